#include "engine/summary.h"

#include <algorithm>

#include "engine/grouped_metrics.h"
#include "engine/scan.h"

namespace cca::engine {

Summary summarize(const Snapshot& snapshot, const Filter& filter) {
  const RowFilter rows(snapshot, filter);
  GroupedMetrics metrics(1, snapshot);
  int64_t first = INT64_MAX, last = INT64_MIN;
  scan_cells(snapshot, rows, choose_cells(rows, Needs::kNothing), [&](const Cell& cell) {
    metrics.add(0, cell);
    first = std::min(first, cell.first_ms);
    last = std::max(last, cell.last_ms);
  });
  Summary summary;
  summary.metrics = metrics[0];
  if (summary.metrics.events > 0) {
    summary.first_event_ms = first;
    summary.last_event_ms = last;
  }
  return summary;
}

}  // namespace cca::engine
