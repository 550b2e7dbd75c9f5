#include "engine/heatmap.h"

#include "common/time_util.h"
#include "engine/grouped_metrics.h"
#include "engine/scan.h"

namespace cca::engine {

std::vector<MetricSet> heatmap(const Snapshot& snapshot, const Filter& filter) {
  const RowFilter rows(snapshot, filter);
  GroupedMetrics slots(7 * 24, snapshot);  // weekday * 24 + hour
  // Cells come in time order: work out the slot again only when the hour changes.
  int64_t hour_start = 1, hour_end = 0;
  uint32_t slot = 0;
  scan_cells(snapshot, rows, choose_cells(rows, Needs::kNothing), [&](const Cell& cell) {
    const int64_t t = cell.first_ms;
    if (t < hour_start || t >= hour_end) {
      hour_start = floor_div(t, kMsPerHour) * kMsPerHour;
      hour_end = hour_start + kMsPerHour;
      const int64_t hour_of_day = (hour_start - floor_div(t, kMsPerDay) * kMsPerDay) / kMsPerHour;
      slot = static_cast<uint32_t>(weekday_monday0(t) * 24 + hour_of_day);
    }
    slots.add(slot, cell);
  });
  return slots.take();
}

}  // namespace cca::engine
