#include "support/clickhouse_test_server.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace cca::test {

std::optional<std::string> clickhouse_test_url() {
  std::string url;
  if (const char* value = std::getenv("CCANALYTICS_CLICKHOUSE_URL"); value && *value) {
    url = value;
  } else if (const char* file = std::getenv("CCANALYTICS_CLICKHOUSE_URL_FILE"); file && *file) {
    std::ifstream in(file);
    if (!std::getline(in, url) || url.empty()) {
      throw std::runtime_error(std::string("no ClickHouse URL in ") + file +
                               ": did the ctest fixture clickhouse_server_start pass?");
    }
  } else {
    return std::nullopt;
  }
  while (!url.empty() && (url.back() == '/' || url.back() == '\r' || url.back() == ' ')) {
    url.pop_back();
  }
  return url;
}

}  // namespace cca::test
