#include "insights/robust_stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace cca::insights {
namespace {

TEST(RobustStats, MedianAndQuantile) {
  EXPECT_EQ(median({}), 0);
  EXPECT_EQ(median({5, 1, 3}), 3);
  EXPECT_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_EQ(quantile({1, 2, 3, 4, 5}, 0.5), 3);
  EXPECT_DOUBLE_EQ(quantile({1, 2, 3, 4, 5}, 0.9), 4.6);
  EXPECT_EQ(quantile({10, 0}, 0), 0);
  EXPECT_EQ(quantile({10, 0}, 1), 10);
}

TEST(RobustStats, TheilSenIgnoresOutliers) {
  std::vector<double> x, y;
  for (int i = 0; i < 40; ++i) {
    x.push_back(i);
    y.push_back(3 + 0.5 * i);
  }
  y[7] = 500;
  y[30] = -200;
  EXPECT_NEAR(theil_sen_slope(x, y), 0.5, 1e-12);
  // Above 64 points the block medians keep the slope of a clean line exactly.
  x.clear();
  y.clear();
  for (int i = 0; i < 1000; ++i) {
    x.push_back(i);
    y.push_back(-2.0 * i + (i % 97 == 0 ? 1e6 : 0));
  }
  EXPECT_NEAR(theil_sen_slope(x, y), -2.0, 1e-9);
}

TEST(RobustStats, MovingMedianEqualsTheMedianOfEachWindow) {
  std::mt19937 random(5);
  std::uniform_real_distribution<double> value(-10, 10);
  for (size_t width : {1, 2, 7, 24, 168}) {
    std::vector<double> values(500);
    for (double& v : values) v = std::round(value(random));  // ties, as real counts have
    const std::vector<double> moving = moving_median(values, width);
    for (size_t i = 0; i < values.size(); ++i) {
      const size_t from = i >= width / 2 ? i - width / 2 : 0;
      const size_t to = std::min(values.size(), i + width - width / 2);
      std::vector<double> window(values.begin() + from, values.begin() + to);
      std::sort(window.begin(), window.end());
      const size_t n = window.size();
      const double expected = n % 2 ? window[n / 2] : (window[n / 2 - 1] + window[n / 2]) / 2;
      ASSERT_EQ(moving[i], expected) << "width " << width << " at " << i;
    }
  }
}

TEST(RobustStats, NormalQuantile) {
  EXPECT_NEAR(normal_quantile(0.5), 0, 1e-12);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-9);
  EXPECT_NEAR(normal_quantile(0.05), -1.6448536269514722, 1e-9);
  EXPECT_NEAR(normal_quantile(1 - 1e-6), 4.753424308822899, 1e-7);
}

}  // namespace
}  // namespace cca::insights
