#pragma once

#include <string>
#include <vector>

#include "engine/dimension.h"
#include "engine/filter.h"
#include "engine/metric_set.h"

namespace cca::engine {

struct BreakdownRow {
  std::string key;
  MetricSet metrics;
};

// One row per value of the dimension among the matching events (events without it are in no
// row), sorted by `sort` descending with ties by key; ratios without a value sort last.
std::vector<BreakdownRow> breakdown(const Snapshot& snapshot, const Filter& filter, Dimension by,
                                    Metric sort = Metric::kEvents);

// Sorts breakdown-style rows: by the metric descending (ascending when asked), rows whose metric
// has no value last, ties by key ascending.
void sort_rows(std::vector<BreakdownRow>& rows, Metric sort, bool ascending = false);

}  // namespace cca::engine
