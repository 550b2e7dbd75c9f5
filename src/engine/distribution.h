#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "engine/filter.h"
#include "engine/percentiles.h"

namespace cca::engine {

// Per-session quantities whose spread the dashboard plots, each over a session's matching events.
enum class SessionQuantity { kDurationS, kPrompts, kCostUsd };
std::optional<SessionQuantity> parse_session_quantity(std::string_view name);
std::string_view session_quantity_name(SessionQuantity quantity);

struct HistogramBin {
  double lo = 0, hi = 0;  // [lo, hi), the last bin includes hi
  size_t count = 0;
};

struct Distribution {
  Percentiles stats;
  std::vector<HistogramBin> bins;  // equal widths from the smallest value to the largest
};

inline constexpr size_t kMaxBins = 200;

Distribution session_distribution(const Snapshot& snapshot, const Filter& filter,
                                  SessionQuantity of, size_t bins = 20);

// The statistics and histogram of the sessions' values (which it reorders), however gathered:
// the engine's and ClickHouse's distributions are this one computation.
Distribution distribution_of(std::vector<double>& values, size_t bins);

}  // namespace cca::engine
