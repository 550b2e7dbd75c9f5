#pragma once

#include <cstdint>
#include <optional>

namespace cca::store {

// A series' newest cumulative point: what its next cumulative point is compared with.
struct CumulativeState {
  std::optional<int64_t> start_ns, time_ns;
  std::optional<double> value, count;
};

struct PointDelta {
  std::optional<double> delta, delta_count;  // what the point adds to its series
  bool newest = false;  // cumulative and newer than the state: the series' state once stored
};

// What a data point adds to its series (docs/schema.md, "metric_points"): its value as sent,
// unless it is cumulative (OTLP temporality 2), when it is compared with the series' state. Every
// store computes deltas here, so that they all count a series alike.
PointDelta point_delta(const CumulativeState& state, int temporality, bool monotonic,
                       int64_t start_ns, int64_t time_ns, std::optional<double> value,
                       std::optional<double> count);

}  // namespace cca::store
