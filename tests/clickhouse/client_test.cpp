// The client against the test server: what it sends with every statement, and RowBinaryReader
// over answers ClickHouse writes (numbers, strings of a one- and a two-byte length, an answer
// cut short).
#include "clickhouse/client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "clickhouse/row_binary.h"
#include "clickhouse/test_database.h"

namespace cca::clickhouse {
namespace {

// The test server's system database: these statements read no table of ours.
ClickHouseUrl system_database(const TestDatabase& database) {
  ClickHouseUrl url = database.url();
  url.database = "system";
  return url;
}

// ClickHouse refuses statements over max_query_size (256 KiB by default); the client's are not
// held to it, since a statement naming a few thousand people exceeds it.
TEST(ClickHouseClientTest, TakesStatementsBeyondTheDefaultQuerySize) {
  const auto database = TestDatabase::create("client");
  if (!database) GTEST_SKIP() << TestDatabase::kSkipReason;
  ClickHouseUrl url = system_database(*database);
  const std::string text(300 * 1024, 'x');
  EXPECT_EQ(std::to_string(text.size()) + "\n",
            ClickHouseClient(url).query("SELECT length('" + text + "')"));
  url.parameters.emplace_back("max_query_size", "262144");
  EXPECT_THROW(ClickHouseClient(url).query("SELECT length('" + text + "')"), ClickHouseError);
}

// An answer that fails after megabytes of rows (here a limit on the rows of a result, met at the
// 1.5 millionth of 2 million: 12 MB, far past the first block sent) is an error, not rows.
TEST(ClickHouseClientTest, AnAnswerFailingMidwayIsAnError) {
  const auto database = TestDatabase::create("client");
  if (!database) GTEST_SKIP() << TestDatabase::kSkipReason;
  ClickHouseUrl url = system_database(*database);
  url.parameters.emplace_back("max_result_rows", "1500000");
  url.parameters.emplace_back("result_overflow_mode", "throw");
  const ClickHouseClient client(url);
  EXPECT_EQ(8'000'000u,
            client.query("SELECT number FROM numbers LIMIT 1000000 FORMAT RowBinary").size());
  EXPECT_THROW(client.query("SELECT number FROM numbers LIMIT 2000000 FORMAT RowBinary"),
               ClickHouseError);
}

// A server that takes the request and closes the connection without an answer: the error says
// so, not that the server took too long (httplib reports both as a failed read).
TEST(ClickHouseClientTest, AConnectionClosedBeforeTheAnswerIsNotATimeout) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(0, ::bind(listener, reinterpret_cast<sockaddr*>(&address), length));
  ASSERT_EQ(0, ::listen(listener, 1));
  ASSERT_EQ(0, ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length));
  std::thread closer([listener] {
    // The whole request is read before closing, as a server that dies while working on it;
    // the client may send the headers and the statement in separate writes.
    const int connection = ::accept(listener, nullptr, nullptr);
    std::string request;
    char chunk[4096];
    while (request.find("SELECT 1") == std::string::npos) {
      const ssize_t received = ::recv(connection, chunk, sizeof(chunk), 0);
      if (received <= 0) break;
      request.append(chunk, static_cast<size_t>(received));
    }
    ::close(connection);
  });
  const ClickHouseClient client(
      ClickHouseUrl::parse("http://127.0.0.1:" + std::to_string(ntohs(address.sin_port))));
  try {
    client.query("SELECT 1");
    ADD_FAILURE() << "no error";
  } catch (const ClickHouseError& error) {
    EXPECT_EQ(ClickHouseError::Kind::kUnreachable, error.kind());
    EXPECT_NE(std::string(error.what()).find("closed the connection"), std::string::npos)
        << error.what();
  }
  closer.join();
  ::close(listener);
}

TEST(RowBinaryReaderTest, ReadsWhatClickHouseWrites) {
  const auto database = TestDatabase::create("row_binary");
  if (!database) GTEST_SKIP() << TestDatabase::kSkipReason;
  const ClickHouseClient client(system_database(*database));
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
