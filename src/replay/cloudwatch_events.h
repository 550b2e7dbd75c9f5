#pragma once

#include <functional>
#include <string>

#include "replay/replay_event.h"

namespace cca::replay {

// Streams the log events of a CloudWatch-batch JSONL file (plain or gzip) in file order, each
// message unpacked into its body, attributes, scope and resource. Throws std::runtime_error,
// naming the line, on a line that is not a CloudWatch batch.
void read_cloudwatch_events(const std::string& path,
                            const std::function<void(ReplayEvent&&)>& on_event);

}  // namespace cca::replay
