#pragma once

#include <cstddef>
#include <vector>

namespace cca::engine {

// Summary statistics of a sample, exact: percentiles by nearest rank (the smallest value with at
// least p% of the sample at or below it).
struct Percentiles {
  size_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, min = 0, max = 0;
};

// Reorders `values`. A sample of size 0 gives count 0 and zeros.
Percentiles percentiles(std::vector<double>& values);

}  // namespace cca::engine
