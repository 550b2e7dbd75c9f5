#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/text_hash.h"
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

// Breakdowns by several dimensions over a filter and, in the same answer, over time ranges
// within it: the anomalies' explanations compare each key's amount in every anomaly with its
// amount in the rest.
struct TimeRange {
  int64_t from_ms = 0, to_ms = 0;  // [from, to)
};
struct RangedBreakdownRow {
  std::string key;
  MetricSet whole;                   // over the filter
  std::vector<MetricSet> in_ranges;  // over each range, in the order asked; empty sets included
};

// Gathers ranged breakdowns from groups (dimension, part, key, figures), part 0 the whole filter
// and part r the r-th range. A key may come in pieces (ClickHouse's people, by person and
// practice hint) only where no distinct count is asked: the pieces' figures are added.
class RangedBreakdowns {
 public:
  RangedBreakdowns(size_t dimensions, size_t ranges) : ranges_(ranges), rows_(dimensions) {}
  void add(size_t dimension, size_t part, std::string_view key, const MetricSet& metrics);
  // Per dimension, its rows sorted by key.
  std::vector<std::vector<RangedBreakdownRow>> rows() &&;

 private:
  size_t ranges_;
  std::vector<TextMap<RangedBreakdownRow>> rows_;
};

// The filter of a part: the whole filter (part 0) or its time narrowed to the r-th range.
Filter part_filter(const Filter& filter, std::span<const TimeRange> ranges, size_t part);

std::vector<std::vector<RangedBreakdownRow>> ranged_breakdowns(const Snapshot& snapshot,
                                                               const Filter& filter,
                                                               std::span<const Dimension> by,
                                                               std::span<const TimeRange> ranges);

// Sorts breakdown-style rows: by the metric descending (ascending when asked), rows whose metric
// has no value last, ties by key ascending.
void sort_rows(std::vector<BreakdownRow>& rows, Metric sort, bool ascending = false);

}  // namespace cca::engine
