#include "clickhouse/test_database.h"

#include <unistd.h>

#include <random>

#include "support/clickhouse_test_server.h"

namespace cca::clickhouse {

std::unique_ptr<TestDatabase> TestDatabase::create(const std::string& purpose) {
  const auto server = test::clickhouse_test_url();
  if (!server) return nullptr;
  ClickHouseUrl url = ClickHouseUrl::parse(*server);
  // Unique per run and process, so that suites running at once never share tables.
  url.database = "test_" + purpose + "_" + std::to_string(::getpid()) + "_" +
                 std::to_string(std::random_device{}() % 100000);
  ClickHouseUrl system = url;
  system.database = "system";
  ClickHouseClient(system).query("SELECT 1");  // fails loudly when the server is not there
  return std::unique_ptr<TestDatabase>(new TestDatabase(std::move(url)));
}

TestDatabase::~TestDatabase() {
  try {
    ClickHouseUrl system = url_;
    system.database = "system";
    ClickHouseClient(system).query("DROP DATABASE IF EXISTS " + url_.database +
                                   (url_.cluster.empty() ? "" : " ON CLUSTER " + url_.cluster));
  } catch (const std::exception&) {
    // The server went first; its folder goes with it.
  }
}

}  // namespace cca::clickhouse
