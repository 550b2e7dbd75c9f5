#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace cca::engine {

// Summary statistics of a sample, exact: percentiles by nearest rank (the smallest value with at
// least p% of the sample at or below it).
struct Percentiles {
  size_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, min = 0, max = 0;
};

// The 1-based nearest rank of `percent` in a sample of `count` (> 0) values: max(1, ceil(p% of
// count)), in this double arithmetic, which ClickHouse's quantileExactWeighted shares.
inline size_t nearest_rank(double percent, size_t count) {
  return static_cast<size_t>(
      std::max(1.0, std::ceil(percent / 100.0 * static_cast<double>(count))));
}

// Reorders `values`. A sample of size 0 gives count 0 and zeros.
Percentiles percentiles(std::vector<double>& values);

}  // namespace cca::engine
