// The narrow columns of a segment read back exactly what they were built from.
#include "engine/columns.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace cca::engine {
namespace {

TEST(CodeColumnTest, EachWidthReadsBackEveryCode) {
  std::mt19937_64 random(7);
  for (const uint32_t largest : {0u, 1u, 255u, 256u, 65535u, 65536u, 4'000'000'000u}) {
    std::vector<uint32_t> codes(1000);
    for (uint32_t& code : codes) code = static_cast<uint32_t>(random() % (uint64_t{largest} + 1));
    codes[517] = largest;
    const CodeColumn column(codes);
    EXPECT_EQ(largest <= 255 ? 1 : largest <= 65535 ? 2 : 4, column.width()) << largest;
    EXPECT_EQ(largest + 1, column.codes());
    ASSERT_EQ(codes.size(), column.size());
    for (size_t i = 0; i < codes.size(); ++i) ASSERT_EQ(codes[i], column[i]) << largest << " " << i;
    CodeColumn copy;
    ASSERT_TRUE(copy.assign_raw(column.width(), column.raw()));
    for (size_t i = 0; i < codes.size(); ++i) ASSERT_EQ(codes[i], copy[i]);
    EXPECT_EQ(column.codes(), copy.codes());
  }
  CodeColumn bad;
  EXPECT_FALSE(bad.assign_raw(3, std::vector<uint8_t>(9)));
  EXPECT_FALSE(bad.assign_raw(2, std::vector<uint8_t>(9)));
  EXPECT_EQ(0u, CodeColumn(std::vector<uint32_t>()).codes());
}

TEST(SparseNumbersTest, PresentValuesAndAbsentRowsReadBack) {
  std::mt19937_64 random(11);
  for (const size_t size :
       {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{1000}}) {
    for (const double density : {0.0, 0.1, 0.9, 1.0}) {
      std::vector<double> values(size);
      for (double& value : values)
        value = std::bernoulli_distribution(density)(random)
                    ? static_cast<double>(random() % 100000) / 7.0
                    : std::nan("");
      const SparseNumbers column(values);
      ASSERT_EQ(size, column.size());
      for (size_t i = 0; i < size; ++i) {
        if (std::isnan(values[i])) {
          ASSERT_TRUE(std::isnan(column[i])) << size << " " << i;
        } else {
          ASSERT_EQ(values[i], column[i]) << size << " " << i;
        }
      }
      SparseNumbers copy;
      ASSERT_TRUE(copy.assign_raw(size, column.present(), column.values()));
      if (column.values().size() > 20) {
        EXPECT_FALSE(column.values().narrow()) << "sevenths";
      }
      for (size_t i = 0; i < size; ++i)
        ASSERT_TRUE(copy[i] == column[i] || (std::isnan(copy[i]) && std::isnan(column[i])));
      if (column.values().size() > 0) {
        std::vector<double> fewer;
        for (size_t v = 0; v + 1 < column.values().size(); ++v) fewer.push_back(column.values()[v]);
        EXPECT_FALSE(SparseNumbers().assign_raw(size, column.present(), NumberColumn(fewer)));
      }
    }
  }
  // A presence bit beyond the last row is refused.
  EXPECT_FALSE(SparseNumbers().assign_raw(3, {uint64_t{1} << 5}, NumberColumn({1.0})));
}

TEST(NumberColumnTest, FloatsWhenEveryValueIsExactlyOne) {
  const std::vector<double> whole = {0, 1, 2.5, 16'777'216, -3, std::nan(""), 1e30 * 0};
  const NumberColumn narrow(whole);
  EXPECT_TRUE(narrow.narrow());
  for (size_t i = 0; i < whole.size(); ++i)
    EXPECT_TRUE(narrow[i] == whole[i] || (std::isnan(narrow[i]) && std::isnan(whole[i])));
  // One value that a float would round makes the column doubles, read back exactly.
  for (const double inexact : {0.1, 16'777'217.0, 1e300, 0.0123456789}) {
    std::vector<double> values = whole;
    values.push_back(inexact);
    const NumberColumn column(values);
    EXPECT_FALSE(column.narrow()) << inexact;
    EXPECT_EQ(inexact, column[values.size() - 1]);
    EXPECT_EQ(values.size(), column.size());
  }
  EXPECT_FALSE(NumberColumn().assign_raw(true, {1.0f}, {1.0}));
}

}  // namespace
}  // namespace cca::engine
