#pragma once

#include <string>
#include <vector>

#include "generate/generator.h"
#include "generate/scenario.h"
#include "generate/session_plan.h"
#include "generate/users.h"

namespace cca::generate {

// Writes PATH: one OTLP/HTTP JSON ExportMetricsServiceRequest per session, as Claude Code would
// export its metrics at the session's end (delta temporality, asDouble values). Each session is
// simulated again from its own random stream, so the metrics match the telemetry file's events;
// what the events do not say (lines changed, commits, languages) is drawn from a stream of its
// own, so the telemetry file stays byte-identical. Returns the data points written.
// With a scenario, the sessions are simulated under it, as for the telemetry file.
uint64_t write_otlp_metrics(const GenerateOptions& options, const std::vector<User>& users,
                            const std::vector<PlannedSession>& plan, const std::string& path,
                            const Scenario* scenario = nullptr);

}  // namespace cca::generate
