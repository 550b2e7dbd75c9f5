// The client against the test server: what it sends with every statement.
#include "clickhouse/client.h"

#include <gtest/gtest.h>

#include <string>

#include "clickhouse/test_database.h"

namespace cca::clickhouse {
namespace {

// ClickHouse refuses statements over max_query_size (256 KiB by default); the client's are not
// held to it, since a statement naming a few thousand people exceeds it.
TEST(ClickHouseClientTest, TakesStatementsBeyondTheDefaultQuerySize) {
  const auto database = TestDatabase::create("client");
  if (!database) GTEST_SKIP() << TestDatabase::kSkipReason;
  ClickHouseUrl url = database->url();
  url.database = "system";  // the statement reads no table of ours
  const std::string text(300 * 1024, 'x');
  EXPECT_EQ(std::to_string(text.size()) + "\n",
            ClickHouseClient(url).query("SELECT length('" + text + "')"));
  url.parameters.emplace_back("max_query_size", "262144");
  EXPECT_THROW(ClickHouseClient(url).query("SELECT length('" + text + "')"), ClickHouseError);
}

}  // namespace
}  // namespace cca::clickhouse
