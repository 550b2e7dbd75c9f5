#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/filter.h"
#include "engine/percentiles.h"

namespace cca::engine {

enum class LatencyBy { kModel, kTool };
std::optional<LatencyBy> parse_latency_by(std::string_view name);

struct LatencyRow {
  std::string key;
  Percentiles duration_ms;
};

// duration_ms of api_request events per model, or of tool_result events per tool; events without
// a duration are left out. Rows by count descending, ties by key.
std::vector<LatencyRow> latency(const Snapshot& snapshot, const Filter& filter, LatencyBy by);

}  // namespace cca::engine
