// The soak's memory rule: flat after warm-up passes, whatever the warm-up did and whatever a
// passing peak does; growth that goes on after warm-up fails.
#include "system/rss_sampler.h"

#include <gtest/gtest.h>

#include <functional>

namespace cca::system_test {
namespace {

// A sample every second over 100 s, VmRSS given by `kib_at(second)`.
std::vector<RssSample> samples(const std::function<uint64_t(int)>& kib_at) {
  std::vector<RssSample> out;
  for (int second = 0; second < 100; ++second)
    out.push_back({static_cast<double>(second), kib_at(second)});
  return out;
}

TEST(MemoryRule, FlatAfterAWarmUpThatGrewPasses) {
  EXPECT_EQ(memory_flat_violation(
                samples([](int s) { return s < 25 ? 20'000 + 3'000 * s : 100'000 + s % 3; }), 100,
                25, 0.10),
            "");
}

TEST(MemoryRule, APassingPeakPasses) {
  EXPECT_EQ(memory_flat_violation(samples([](int s) { return s == 90 ? 400'000 : 100'000; }), 100,
                                  25, 0.10),
            "");
}

TEST(MemoryRule, GrowthThatGoesOnFails) {
  EXPECT_NE(
      memory_flat_violation(samples([](int s) { return 100'000 + 1'000 * s; }), 100, 25, 0.10), "");
}

// A slow machine's warm-up (the data complete at 45 s of 100): memory that grows until then and
// stays flat after passes; measured from the first quarter it would not.
TEST(MemoryRule, ALongerWarmUpMovesTheComparedQuarter) {
  const auto grows_until_45 = [](int s) -> uint64_t {
    return s < 45 ? 20'000 + 2'000 * s : 110'000 + s % 3;
  };
  EXPECT_EQ(memory_flat_violation(samples(grows_until_45), 100, 45, 0.10), "");
  EXPECT_NE(memory_flat_violation(samples(grows_until_45), 100, 25, 0.10), "");
}

TEST(MemoryRule, AWarmUpPastHalfTheRunFails) {
  EXPECT_EQ(memory_flat_violation(samples([](int) { return 100'000; }), 100, 60, 0.10),
            "the warm-up outlasted half the run");
}

TEST(MemoryRule, TooFewSamplesFail) {
  EXPECT_EQ(memory_flat_violation({{1, 100}, {2, 100}}, 100, 25, 0.10), "too few memory samples");
}

}  // namespace
}  // namespace cca::system_test
