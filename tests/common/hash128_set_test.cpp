#include "common/hash128_set.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

namespace cca {
namespace {

TEST(Hash128Set, AgreesWithStdSetThroughGrowth) {
  Hash128Set set;
  std::set<std::pair<uint64_t, uint64_t>> reference;
  std::mt19937_64 random(7);
  // Keys are uniform hashes, as the set assumes; drawn from a pool so that re-inserts happen.
  std::vector<Hash128> pool(50'000);
  for (Hash128& key : pool) key = {random(), random()};
  pool[17] = {0, 0};
  pool[18] = {0, 1};
  for (int i = 0; i < 200'000; ++i) {
    const Hash128& key = pool[random() % pool.size()];
    EXPECT_EQ(set.insert(key), reference.insert({key.hi, key.lo}).second);
  }
  EXPECT_EQ(set.size(), reference.size());
  for (const auto& [hi, lo] : reference) EXPECT_TRUE(set.contains({hi, lo}));
  EXPECT_FALSE(set.contains({5000, 5000}));
}

TEST(Hash128Set, TheAllZeroKeyIsStorable) {
  Hash128Set set;
  EXPECT_FALSE(set.contains({0, 0}));
  EXPECT_TRUE(set.insert({0, 0}));
  EXPECT_TRUE(set.contains({0, 0}));
  EXPECT_FALSE(set.insert({0, 0}));
}

TEST(Hash128, DependsOnEveryByteAndTheSeed) {
  EXPECT_EQ(hash128("abc"), hash128("abc"));
  EXPECT_NE(hash128("abc"), hash128("abd"));
  EXPECT_NE(hash128("abc", 1), hash128("abc", 2));
}

}  // namespace
}  // namespace cca
