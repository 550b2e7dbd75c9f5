#include "common/clock.h"

#include <chrono>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

#include "common/time_util.h"

namespace cca {

int64_t system_time_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t now_ms() {
  const char* now = std::getenv("CCANALYTICS_NOW");
  if (!now || !*now) return system_time_ms();
  const std::optional<int64_t> parsed = parse_rfc3339_ms(now);
  if (!parsed)
    throw std::invalid_argument(std::string("CCANALYTICS_NOW is not an RFC 3339 instant: ") + now);
  return *parsed;
}

}  // namespace cca
