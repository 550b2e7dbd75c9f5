#pragma once

#include "replay/replay_options.h"

namespace cca::replay {

// Replays the files of `options` to a server as live OTLP traffic: each CloudWatch event a log
// record, options.exporters senders each taking whole sessions (so a session's events arrive in
// order), paced at options.speed times the files' own clock. Metrics files go line by line, one
// export each, on a sender of their own. Throws on an unreadable file; failed requests are
// counted in the report, never dropped silently. With options.preload every logs request is built
// before the clock starts, so the report's seconds time sending only; it throws
// std::invalid_argument when paced (speed > 0).
ReplayReport replay(const ReplayOptions& options);

}  // namespace cca::replay
