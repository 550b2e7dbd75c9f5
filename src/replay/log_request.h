#pragma once

#include <opentelemetry/proto/collector/logs/v1/logs_service.pb.h>

#include <vector>

#include "replay/replay_event.h"

namespace cca::replay {

// The OTLP export Claude Code would have sent for these events: one ResourceLogs per resource,
// one ScopeLogs per scope within it, records in the order given. CloudWatch carries every
// attribute as a string; those Claude Code sends as numbers become intValue or doubleValue.
opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest logs_request(
    const std::vector<ReplayEvent>& events);

}  // namespace cca::replay
