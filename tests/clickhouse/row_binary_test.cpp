// RowBinaryReader over answers of the test server: numbers as ClickHouse writes them, strings of
// every length class (a length of one byte and of two), and an answer cut short.
#include "clickhouse/row_binary.h"

#include <gtest/gtest.h>

#include <string>

#include "clickhouse/test_database.h"

namespace cca::clickhouse {
namespace {

TEST(RowBinaryReaderTest, ReadsWhatClickHouseWrites) {
  const auto database = TestDatabase::create("row_binary");
  if (!database) GTEST_SKIP() << TestDatabase::kSkipReason;
  ClickHouseUrl url = database->url();
  url.database = "system";  // the answers read no table of ours
  const ClickHouseClient client(url);
  const std::string answer = client.query(
      "SELECT arrayStringConcat(arrayMap(x -> 'ab', range(number))), toInt64(number) - 150, "
      "toUInt64(number) * 1000003, "
      "toFloat64(number) / 8 FROM system.numbers LIMIT 300 FORMAT RowBinary");
  RowBinaryReader reader(answer);
  for (int64_t n = 0; n < 300; ++n) {
    std::string expected;
    for (int64_t i = 0; i < n; ++i) expected += "ab";
    ASSERT_EQ(expected, reader.text()) << n;
    EXPECT_EQ(n - 150, reader.number<int64_t>());
    EXPECT_EQ(static_cast<uint64_t>(n) * 1000003, reader.number<uint64_t>());
    EXPECT_EQ(static_cast<double>(n) / 8, reader.number<double>());
  }
  EXPECT_TRUE(reader.done());

  for (const size_t cut : {answer.size() - 1, size_t{150}, size_t{1}}) {
    RowBinaryReader short_reader(std::string_view(answer).substr(answer.size() - cut));
    EXPECT_THROW(
        {
          while (!short_reader.done()) {
            short_reader.text();
            short_reader.number<int64_t>();
            short_reader.number<uint64_t>();
            short_reader.number<double>();
          }
        },
        ClickHouseError)
        << cut;
  }
}

}  // namespace
}  // namespace cca::clickhouse
