#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/filter.h"
#include "engine/percentiles.h"
#include "engine/timeseries.h"

namespace cca::engine {

enum class LatencyBy { kModel, kTool };
std::optional<LatencyBy> parse_latency_by(std::string_view name);

// What is measured: duration_ms, or (api_request per model only) ttft_ms, the time to first token.
enum class LatencyMeasure { kDurationMs, kTtftMs };
std::optional<LatencyMeasure> parse_latency_measure(std::string_view name);

struct LatencyRow {
  std::string key;
  Percentiles duration_ms;
};

// duration_ms (or ttft_ms) of api_request events per model, or duration_ms of tool_result events
// per tool; events without the measure are left out. Rows by count descending, ties by key.
// ttft_ms by tool has no meaning: the caller refuses it.
std::vector<LatencyRow> latency(const Snapshot& snapshot, const Filter& filter, LatencyBy by,
                                LatencyMeasure measure = LatencyMeasure::kDurationMs);

struct LatencySeries {
  std::vector<int64_t> starts;           // every bucket of the range (see bucket_range())
  std::vector<Percentiles> duration_ms;  // one per bucket; count 0 where none
};

// The same measure over the api_request events of every model (LatencyBy::kModel) or the
// tool_result events of every tool, together, per time bucket.
LatencySeries latency_timeseries(const Snapshot& snapshot, const Filter& filter, LatencyBy of,
                                 LatencyMeasure measure, Bucket bucket);

}  // namespace cca::engine
