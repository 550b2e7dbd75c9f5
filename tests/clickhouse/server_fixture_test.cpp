// The ctest fixture `clickhouse` (tests/CMakeLists.txt) hands its server to the suites of
// ccanalytics_clickhouse_test(): this suite proves the wiring on a real ClickHouse.
#include <gtest/gtest.h>
#include <httplib.h>

#include "support/clickhouse_test_server.h"

namespace {

TEST(ServerFixture, AnswersSelectOneOverHttp) {
  const auto url = cca::test::clickhouse_test_url();
  if (!url) GTEST_SKIP() << cca::test::kNoClickHouseServer;
  httplib::Client client(*url);
  client.set_connection_timeout(5);
  client.set_read_timeout(30);

  auto ping = client.Get("/ping");
  ASSERT_TRUE(ping) << "no answer from " << *url << ": " << httplib::to_string(ping.error());
  EXPECT_EQ(ping->status, 200);
  EXPECT_EQ(ping->body, "Ok.\n");

  auto answer = client.Post("/", "SELECT 1", "text/plain");
  ASSERT_TRUE(answer) << httplib::to_string(answer.error());
  EXPECT_EQ(answer->status, 200) << answer->body;
  EXPECT_EQ(answer->body, "1\n");
}

// The profile the start script writes: two threads per query, on loopback only.
TEST(ServerFixture, RunsTheTestProfile) {
  const auto url = cca::test::clickhouse_test_url();
  if (!url) GTEST_SKIP() << cca::test::kNoClickHouseServer;
  httplib::Client client(*url);
  auto answer = client.Post(
      "/", "SELECT value FROM system.settings WHERE name = 'max_threads'", "text/plain");
  ASSERT_TRUE(answer) << httplib::to_string(answer.error());
  EXPECT_EQ(answer->status, 200) << answer->body;
  EXPECT_EQ(answer->body, "2\n");
  EXPECT_EQ(url->rfind("http://127.0.0.1:", 0), 0u) << *url;
}

}  // namespace
