#pragma once

#include <optional>
#include <string>

namespace cca::test {

// The ClickHouse server a suite of ccanalytics_clickhouse_test() runs against: the one ctest's
// fixture `clickhouse` started (scripts/clickhouse.sh; docs/testing.md). The URL comes from
// CCANALYTICS_CLICKHOUSE_URL when set (a server of your own), else from the first line of the
// file named by CCANALYTICS_CLICKHOUSE_URL_FILE, which ctest sets to the file the fixture
// writes. Returned without its trailing slash ("http://127.0.0.1:PORT"), the form
// httplib::Client takes. nullopt when neither variable is set (the test binary was run
// outside ctest); throws std::runtime_error when the file is named but holds no URL (the
// fixture did not start the server). A test skips when there is no server:
//
//   const auto url = cca::test::clickhouse_test_url();
//   if (!url) GTEST_SKIP() << cca::test::kNoClickHouseServer;
std::optional<std::string> clickhouse_test_url();

inline constexpr const char* kNoClickHouseServer =
    "no ClickHouse test server: run through ctest (fixture `clickhouse`), or set "
    "CCANALYTICS_CLICKHOUSE_URL=http://127.0.0.1:PORT (scripts/clickhouse.sh start DIR)";

}  // namespace cca::test
