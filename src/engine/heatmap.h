#pragma once

#include <vector>

#include "engine/filter.h"
#include "engine/metric_set.h"

namespace cca::engine {

// 168 cells, UTC: cell weekday * 24 + hour, Monday 0.
std::vector<MetricSet> heatmap(const Snapshot& snapshot, const Filter& filter);

}  // namespace cca::engine
