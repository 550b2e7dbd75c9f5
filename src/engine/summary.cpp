#include "engine/summary.h"

#include "engine/grouped_metrics.h"
#include "engine/scan.h"

namespace cca::engine {

Summary summarize(const Snapshot& snapshot, const Filter& filter) {
  const RowFilter rows(snapshot, filter);
  GroupedMetrics metrics(1, snapshot);
  const Segment* first_segment = nullptr;
  const Segment* last_segment = nullptr;
  size_t first_row = 0, last_row = 0;
  scan(snapshot, rows, [&](const Segment& s, size_t row, uint32_t api_index) {
    metrics.add(0, s, row, api_index);
    if (first_segment == nullptr) {
      first_segment = &s;
      first_row = row;
    }
    last_segment = &s;
    last_row = row;
  });
  Summary summary;
  summary.metrics = metrics[0];
  if (first_segment != nullptr) {
    summary.first_event_ms = first_segment->time_ms[first_row];
    summary.last_event_ms = last_segment->time_ms[last_row];
  }
  return summary;
}

}  // namespace cca::engine
