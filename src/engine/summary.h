#pragma once

#include <cstdint>
#include <optional>

#include "engine/filter.h"
#include "engine/metric_set.h"

namespace cca::engine {

struct Summary {
  MetricSet metrics;
  std::optional<int64_t> first_event_ms, last_event_ms;  // of the matching events
};

Summary summarize(const Snapshot& snapshot, const Filter& filter);

}  // namespace cca::engine
