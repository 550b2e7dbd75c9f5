#include "generate/random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

namespace cca::generate {
namespace {

// The C++ standard fixes the 10000th output of a default-seeded mt19937_64 ([rand.predef]);
// byte-identical output across platforms rests on the engine being exactly that one.
TEST(Random, EngineIsTheStandardMersenneTwister) {
  Random random(5489);
  uint64_t value = 0;
  for (int i = 0; i < 10000; ++i) value = random.next_u64();
  EXPECT_EQ(value, 9981545732273789042ull);
}

TEST(Random, SameSeedGivesTheSameDraws) {
  Random a(123), b(123), c(124);
  bool differs_from_other_seed = false;
  for (int i = 0; i < 1000; ++i) {
    const int64_t from_a = a.uniform_int(0, 1'000'000);
    EXPECT_EQ(from_a, b.uniform_int(0, 1'000'000));
    differs_from_other_seed |= from_a != c.uniform_int(0, 1'000'000);
    const double normal_a = a.normal(0, 1);
    EXPECT_EQ(normal_a, b.normal(0, 1));
    c.normal(0, 1);
  }
  EXPECT_TRUE(differs_from_other_seed);
}

TEST(Random, UniformIntCoversItsRangeEvenly) {
  Random random(1);
  constexpr int kDraws = 200000;
  std::vector<int> counts(10, 0);
  for (int i = 0; i < kDraws; ++i) {
    const int64_t value = random.uniform_int(-3, 6);
    ASSERT_GE(value, -3);
    ASSERT_LE(value, 6);
    ++counts[static_cast<size_t>(value + 3)];
  }
  const double expected = kDraws / 10.0;
  const double sd = std::sqrt(kDraws * 0.1 * 0.9);
  for (const int count : counts) EXPECT_NEAR(count, expected, 5 * sd);
}

TEST(Random, UniformIntHandlesDegenerateAndFullRanges) {
  Random random(2);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(random.uniform_int(7, 7), 7);
  std::set<int64_t> seen;
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  for (int i = 0; i < 100; ++i) seen.insert(random.uniform_int(kMin, kMax));
  EXPECT_GT(seen.size(), 95u);
  // A range just above 2^63 rejects almost half of the raw draws; results must stay inside.
  const uint64_t range = (uint64_t{1} << 63) + 12345;
  for (int i = 0; i < 1000; ++i) EXPECT_LT(random.below(range), range);
}

TEST(Random, UniformUnitIntervalExcludesOne) {
  Random random(3);
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = random.uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 100000, 0.5, 0.005);
}

TEST(Random, NormalHasTheRequestedMeanSpreadAndShape) {
  Random random(4);
  constexpr int kDraws = 400000;
  double sum = 0, sum_squares = 0;
  int within_one_sd = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double x = random.normal(10, 2);
    sum += x;
    sum_squares += x * x;
    within_one_sd += std::fabs(x - 10) < 2;
  }
  const double mean = sum / kDraws;
  EXPECT_NEAR(mean, 10, 0.02);
  EXPECT_NEAR(std::sqrt(sum_squares / kDraws - mean * mean), 2, 0.02);
  EXPECT_NEAR(static_cast<double>(within_one_sd) / kDraws, std::erf(1 / std::sqrt(2.0)), 0.005);
}

TEST(Random, LognormalHasTheRequestedMedian) {
  Random random(5);
  std::vector<double> draws(100001);
  for (double& x : draws) x = random.lognormal(1.5, 1.0);
  std::nth_element(draws.begin(), draws.begin() + 50000, draws.end());
  EXPECT_NEAR(draws[50000] / std::exp(1.5), 1.0, 0.03);
}

TEST(WeightedChoice, PicksInProportionToTheWeights) {
  Random random(6);
  const WeightedChoice choice{15, 50, 25, 10};
  constexpr int kDraws = 200000;
  std::vector<int> counts(4, 0);
  for (int i = 0; i < kDraws; ++i) ++counts[choice.pick(random)];
  const double expected[] = {0.15, 0.50, 0.25, 0.10};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(static_cast<double>(counts[i]) / kDraws, expected[i], 0.005) << "index " << i;
  }
}

TEST(WeightedChoice, NeverPicksAZeroWeight) {
  Random random(7);
  const WeightedChoice choice{0, 5, 0, 5, 0};
  for (int i = 0; i < 10000; ++i) {
    const size_t index = choice.pick(random);
    EXPECT_TRUE(index == 1 || index == 3) << index;
  }
  EXPECT_THROW(WeightedChoice({0, 0}), std::invalid_argument);
}

TEST(DeriveSeed, GivesDistinctStableSeedsPerStream) {
  std::set<uint64_t> seeds;
  for (uint64_t stream = 0; stream < 10000; ++stream) seeds.insert(derive_seed(42, stream));
  EXPECT_EQ(seeds.size(), 10000u);
  EXPECT_EQ(derive_seed(42, 3), derive_seed(42, 3));
  EXPECT_NE(derive_seed(42, 3), derive_seed(43, 3));
}

}  // namespace
}  // namespace cca::generate
