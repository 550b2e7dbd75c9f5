#pragma once

#include <memory>
#include <string>

#include "clickhouse/client.h"

namespace cca::clickhouse {

// A database of its own on the test ClickHouse server (the ctest fixture's, or the one
// CCANALYTICS_CLICKHOUSE_URL names: support/clickhouse_test_server.h), dropped when the object
// goes.
class TestDatabase {
 public:
  static constexpr const char* kSkipReason =
      "no ClickHouse server: CCANALYTICS_CLICKHOUSE_URL is unset (ctest starts one)";

  // Null when there is no test server.
  static std::unique_ptr<TestDatabase> create(const std::string& purpose);
  ~TestDatabase();

  const ClickHouseUrl& url() const { return url_; }
  std::string url_text() const { return url_.origin + "/?database=" + url_.database; }

 private:
  explicit TestDatabase(ClickHouseUrl url) : url_(std::move(url)) {}
  ClickHouseUrl url_;
};

}  // namespace cca::clickhouse
