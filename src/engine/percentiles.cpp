#include "engine/percentiles.h"

#include <algorithm>

namespace cca::engine {

Percentiles percentiles(std::vector<double>& values) {
  Percentiles p;
  p.count = values.size();
  if (values.empty()) return p;
  double sum = 0;
  for (const double v : values) sum += v;
  p.mean = sum / static_cast<double>(values.size());
  // Increasing ranks: each nth_element only reorders the part above the previous one.
  auto from = values.begin();
  const auto rank = [&](double percent) {
    const size_t k = nearest_rank(percent, values.size()) - 1;
    const auto nth = values.begin() + static_cast<std::ptrdiff_t>(k);
    std::nth_element(from, nth, values.end());
    from = nth;
    return *nth;
  };
  p.p50 = rank(50);
  p.p90 = rank(90);
  p.p95 = rank(95);
  p.p99 = rank(99);
  p.min = *std::min_element(values.begin(), values.end());
  p.max = *std::max_element(from, values.end());
  return p;
}

}  // namespace cca::engine
