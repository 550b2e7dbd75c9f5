#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cca {

inline constexpr int64_t kMsPerSecond = 1000;
inline constexpr int64_t kMsPerHour = 3'600'000;
inline constexpr int64_t kMsPerDay = 86'400'000;

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};
CivilDate civil_from_days(int64_t days);

// RFC 3339 instant ("2026-01-02T02:41:00.685Z", "...+02:00", fractional seconds of any length)
// to UTC epoch milliseconds. nullopt when the text is not a valid instant.
std::optional<int64_t> parse_rfc3339_ms(std::string_view text);

// "YYYY-MM-DD" to the epoch milliseconds of that UTC midnight.
std::optional<int64_t> parse_date_ms(std::string_view text);

// Epoch milliseconds to "2026-01-02T02:41:00.685Z" (always milliseconds, always Z).
std::string format_rfc3339_ms(int64_t epoch_ms);
// Epoch milliseconds to "2026-01-02T02:41:00Z" (whole seconds), for bucket starts.
std::string format_rfc3339_s(int64_t epoch_ms);
// Epoch milliseconds to "2026-01-02".
std::string format_date(int64_t epoch_ms);

// Floor division for negative times too.
constexpr int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Monday 0 .. Sunday 6.
inline int weekday_monday0(int64_t epoch_ms) {
  const int64_t days = floor_div(epoch_ms, kMsPerDay);
  return static_cast<int>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
}

}  // namespace cca
