#include "engine/heatmap.h"

#include "common/time_util.h"
#include "engine/grouped_metrics.h"
#include "engine/scan.h"

namespace cca::engine {

std::vector<MetricSet> heatmap(const Snapshot& snapshot, const Filter& filter) {
  const RowFilter rows(snapshot, filter);
  GroupedMetrics cells(7 * 24, snapshot);
  // Rows come in time order: recompute the cell only when the hour changes.
  int64_t hour_start = 1, hour_end = 0;
  uint32_t cell = 0;
  scan(snapshot, rows, [&](const Segment& s, size_t row, uint32_t api_index) {
    const int64_t t = s.time_ms[row];
    if (t < hour_start || t >= hour_end) {
      hour_start = floor_div(t, kMsPerHour) * kMsPerHour;
      hour_end = hour_start + kMsPerHour;
      const int64_t hour_of_day = (hour_start - floor_div(t, kMsPerDay) * kMsPerDay) / kMsPerHour;
      cell = static_cast<uint32_t>(weekday_monday0(t) * 24 + hour_of_day);
    }
    cells.add(cell, s, row, api_index);
  });
  return cells.take();
}

}  // namespace cca::engine
