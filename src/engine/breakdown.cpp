#include "engine/breakdown.h"

#include <algorithm>

#include "engine/grouped_metrics.h"
#include "engine/ordering.h"
#include "engine/scan.h"

namespace cca::engine {

void sort_rows(std::vector<BreakdownRow>& rows, Metric sort, bool ascending) {
  struct Entry {
    std::optional<double> value;
    size_t row;
  };
  std::vector<Entry> order;
  order.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i)
    order.push_back({metric_value(rows[i].metrics, sort), i});
  std::sort(order.begin(), order.end(), [&](const Entry& a, const Entry& b) {
    const int c = compare_values(a.value, b.value, ascending);
    return c != 0 ? c < 0 : rows[a.row].key < rows[b.row].key;
  });
  std::vector<BreakdownRow> sorted;
  sorted.reserve(rows.size());
  for (const Entry& entry : order) sorted.push_back(std::move(rows[entry.row]));
  rows.swap(sorted);
}

std::vector<BreakdownRow> breakdown(const Snapshot& snapshot, const Filter& filter, Dimension by,
                                    Metric sort) {
  const RowFilter rows(snapshot, filter);
  const Dictionary& dictionary = dimension_dictionary(snapshot, by);
  GroupedMetrics groups(dictionary.size(), snapshot);
  with_dimension_key(snapshot, by, [&](auto key_of) {
    scan_cells(snapshot, rows, choose_cells(rows, dimension_needs(by)), [&](const Cell& cell) {
      const uint32_t key = key_of(cell);
      if (key != Dictionary::kAbsent) groups.add(key, cell);
    });
  });
  std::vector<BreakdownRow> result;
  for (uint32_t code = 1; code < groups.size(); ++code)
    if (groups[code].events > 0)
      result.push_back({std::string(dictionary.value(code)), groups[code]});
  sort_rows(result, sort);
  return result;
}

void RangedBreakdowns::add(size_t dimension, size_t part, std::string_view key,
                           const MetricSet& metrics) {
  auto& rows = rows_.at(dimension);
  auto row = rows.find(key);
  if (row == rows.end()) {
    row = rows.emplace(std::string(key), RangedBreakdownRow{}).first;
    row->second.key = key;
    row->second.in_ranges.resize(ranges_);
  }
  (part == 0 ? row->second.whole : row->second.in_ranges.at(part - 1)).add(metrics);
}

std::vector<std::vector<RangedBreakdownRow>> RangedBreakdowns::rows() && {
  std::vector<std::vector<RangedBreakdownRow>> rows(rows_.size());
  for (size_t d = 0; d < rows_.size(); ++d) {
    for (auto& [key, row] : rows_[d]) rows[d].push_back(std::move(row));
    std::sort(
        rows[d].begin(), rows[d].end(),
        [](const RangedBreakdownRow& a, const RangedBreakdownRow& b) { return a.key < b.key; });
  }
  return rows;
}

Filter part_filter(const Filter& filter, std::span<const TimeRange> ranges, size_t part) {
  Filter within = filter;
  if (part > 0) {
    within.from_ms = ranges[part - 1].from_ms;
    within.to_ms = ranges[part - 1].to_ms;
  }
  return within;
}

std::vector<std::vector<RangedBreakdownRow>> ranged_breakdowns(const Snapshot& snapshot,
                                                               const Filter& filter,
                                                               std::span<const Dimension> by,
                                                               std::span<const TimeRange> ranges) {
  RangedBreakdowns gathered(by.size(), ranges.size());
  for (size_t part = 0; part <= ranges.size(); ++part) {
    const Filter within = part_filter(filter, ranges, part);
    for (size_t d = 0; d < by.size(); ++d)
      for (const BreakdownRow& row : breakdown(snapshot, within, by[d]))
        gathered.add(d, part, row.key, row.metrics);
  }
  return std::move(gathered).rows();
}

}  // namespace cca::engine
