// engine::distribution_of's histogram: a value on a computed edge lies in the bin the edges say,
// where a value's bin computed from its distance to the lowest value alone says the bin below.
#include "engine/distribution.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace cca::engine {
namespace {

TEST(DistributionTest, AValueOnAComputedEdgeLiesInTheBinTheEdgesSay) {
  // 0.3 + (0.6 - 0.3) / 10 is 0.32999999999999996, which (v - 0.3) / width puts below 1,
  // as (v - 0.3) * (1 / width) does.
  const double lo = 0.3, hi = 0.6;
  const double edge = lo + (hi - lo) / 10;
  ASSERT_LT((edge - lo) / ((hi - lo) / 10), 1.0);
  std::vector<double> values = {lo, std::nextafter(edge, lo), edge, hi};
  const Distribution d = distribution_of(values, 10);
  ASSERT_EQ(10u, d.bins.size());
  EXPECT_EQ(edge, d.bins[1].lo);
  EXPECT_EQ(2u, d.bins[0].count);  // lo and the value just below the edge
  EXPECT_EQ(1u, d.bins[1].count);  // the edge itself
  EXPECT_EQ(1u, d.bins[9].count);  // hi, in the last bin with its upper edge
  size_t counted = 0;
  for (const HistogramBin& bin : d.bins) counted += bin.count;
  EXPECT_EQ(values.size(), counted);
}

}  // namespace
}  // namespace cca::engine
