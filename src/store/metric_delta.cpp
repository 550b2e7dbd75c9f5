#include "store/metric_delta.h"

namespace cca::store {
namespace {

// What a cumulative value adds since the series' last point: all of it when the series is new,
// its start time changed or a monotonic value went down (the client restarted its count);
// nothing when the point is older than the last one (its increase is already inside the later
// total); the difference otherwise.
std::optional<double> cumulative_delta(std::optional<double> value, std::optional<double> last,
                                       bool same_start, bool older, bool monotonic) {
  if (!value) return std::nullopt;
  if (older) return 0.0;
  if (!last || !same_start || (monotonic && *value < *last)) return *value;
  return *value - *last;
}

}  // namespace

PointDelta point_delta(const CumulativeState& state, int temporality, bool monotonic,
                       int64_t start_ns, int64_t time_ns, std::optional<double> value,
                       std::optional<double> count) {
  if (temporality != 2) return {value, count, false};
  const bool older = state.time_ns && time_ns <= *state.time_ns;
  const bool same_start = state.start_ns == start_ns;
  return {cumulative_delta(value, state.value, same_start, older, monotonic),
          cumulative_delta(count, state.count, same_start, older, true), !older};
}

}  // namespace cca::store
