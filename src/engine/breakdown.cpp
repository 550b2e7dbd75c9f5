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

}  // namespace cca::engine
