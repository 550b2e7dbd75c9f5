// engine::percentiles against the sorted sample, on both sides of the size from which it counts
// buckets instead of partitioning.
#include "engine/percentiles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace cca::engine {
namespace {

// What the statistics are by definition: the sorted sample's values at the nearest ranks.
Percentiles of_sorted(std::vector<double> values) {
  Percentiles p;
  p.count = values.size();
  if (values.empty()) return p;
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (const double v : values) sum += v;
  p.mean = sum / static_cast<double>(values.size());
  const auto at = [&](double percent) { return values[nearest_rank(percent, values.size()) - 1]; };
  p.p50 = at(50);
  p.p90 = at(90);
  p.p95 = at(95);
  p.p99 = at(99);
  p.min = values.front();
  p.max = values.back();
  return p;
}

TEST(PercentilesTest, AreTheSortedSamplesValuesAtTheNearestRanks) {
  std::mt19937_64 random(29);
  // Samples unlike each other: spread over many powers of two, a few values many times over
  // (every rank in one bucket), negative and zero (both signs), and close together (one bucket).
  const std::vector<std::pair<std::string, std::function<double()>>> shapes = {
      {"durations", [&] { return std::exp(std::uniform_real_distribution(0.0, 12.0)(random)); }},
      {"few values", [&] { return static_cast<double>(random() % 4); }},
      {"signed",
       [&] {
         const double v = std::uniform_real_distribution(-1e6, 1e6)(random);
         return random() % 10 == 0 ? (random() % 2 ? 0.0 : -0.0) : v;
       }},
      {"close", [&] { return 1000 + std::uniform_real_distribution(0.0, 1e-9)(random); }},
      {"edge", {}}};  // 1 up to the median's rank, 2 from there: a rank on a bucket's first value
  size_t checked = 0;
  for (const auto& [shape, draw] : shapes) {
    for (const size_t size : {size_t{0}, size_t{1}, size_t{2}, size_t{7}, size_t{16383},
                              size_t{16384}, size_t{16385}, size_t{100000}}) {
      std::vector<double> values(size);
      for (size_t i = 0; i < size; ++i)
        values[i] = draw ? draw() : i + 1 < nearest_rank(50, size) ? 1.0 : 2.0;
      const Percentiles expected = of_sorted(values);
      const Percentiles actual = percentiles(values);
      const std::string context = shape + " of " + std::to_string(size);
      EXPECT_EQ(actual.count, expected.count) << context;
      // Summed in another order: to the rounding of the largest value's magnitude.
      EXPECT_NEAR(actual.mean, expected.mean,
                  1e-12 * std::max(std::abs(expected.min), std::abs(expected.max)))
          << context;
      EXPECT_EQ(actual.p50, expected.p50) << context;
      EXPECT_EQ(actual.p90, expected.p90) << context;
      EXPECT_EQ(actual.p95, expected.p95) << context;
      EXPECT_EQ(actual.p99, expected.p99) << context;
      EXPECT_EQ(actual.min, expected.min) << context;
      EXPECT_EQ(actual.max, expected.max) << context;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 40u);
}

}  // namespace
}  // namespace cca::engine
