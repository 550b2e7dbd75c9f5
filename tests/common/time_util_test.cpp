#include "common/time_util.h"

#include <gtest/gtest.h>

#include <ctime>

namespace cca {
namespace {

// Independent reference: the C library's timegm.
int64_t timegm_ms(int year, int month, int day, int hour, int minute, int second) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

TEST(TimeUtil, ParsesUtcInstantsWithAnyFraction) {
  EXPECT_EQ(parse_rfc3339_ms("2026-01-02T02:41:00.685Z"), timegm_ms(2026, 1, 2, 2, 41, 0) + 685);
  EXPECT_EQ(parse_rfc3339_ms("2026-01-02T02:41:00Z"), timegm_ms(2026, 1, 2, 2, 41, 0));
  EXPECT_EQ(parse_rfc3339_ms("2026-01-02T02:41:00.5Z"), timegm_ms(2026, 1, 2, 2, 41, 0) + 500);
  EXPECT_EQ(parse_rfc3339_ms("2026-01-02T02:41:00.123456789Z"), timegm_ms(2026, 1, 2, 2, 41, 0) + 123);
  EXPECT_EQ(parse_rfc3339_ms("2026-01-02t02:41:00z"), timegm_ms(2026, 1, 2, 2, 41, 0));
}

TEST(TimeUtil, ConvertsOffsetsToUtc) {
  EXPECT_EQ(parse_rfc3339_ms("2026-01-02T04:41:00+02:00"), timegm_ms(2026, 1, 2, 2, 41, 0));
  EXPECT_EQ(parse_rfc3339_ms("2026-01-01T21:41:00-05:00"), timegm_ms(2026, 1, 2, 2, 41, 0));
  EXPECT_EQ(parse_rfc3339_ms("2026-03-01T00:30:00+01:00"), timegm_ms(2026, 2, 28, 23, 30, 0));
}

TEST(TimeUtil, RejectsInvalidInstants) {
  for (const char* bad : {"", "2026-01-02", "2026-01-02T02:41:00", "2026-13-02T00:00:00Z",
                          "2026-02-30T00:00:00Z", "2026-01-02T24:00:00Z", "2026-01-02T02:41:00.Z",
                          "2026-01-02T02:41:00+2:00", "2026-01-02T02:41:00Zjunk", "yesterday",
                          "2026/01/02T02:41:00Z"})
    EXPECT_FALSE(parse_rfc3339_ms(bad)) << bad;
}

TEST(TimeUtil, ParsesDatesAndLeapYears) {
  EXPECT_EQ(parse_date_ms("2024-02-29"), timegm_ms(2024, 2, 29, 0, 0, 0));
  EXPECT_FALSE(parse_date_ms("2025-02-29"));
  EXPECT_FALSE(parse_date_ms("2026-01-02T00:00:00Z"));
}

TEST(TimeUtil, FormatsAndRoundTrips) {
  for (int64_t ms : {int64_t{0}, int64_t{1767321660685}, timegm_ms(2000, 2, 29, 23, 59, 59) + 999}) {
    EXPECT_EQ(parse_rfc3339_ms(format_rfc3339_ms(ms)), ms);
  }
  EXPECT_EQ(format_rfc3339_ms(1767321660685), "2026-01-02T02:41:00.685Z");
  EXPECT_EQ(format_rfc3339_s(1767321660685), "2026-01-02T02:41:00Z");
  EXPECT_EQ(format_date(1767321660685), "2026-01-02");
}

TEST(TimeUtil, WeekdaysStartOnMonday) {
  EXPECT_EQ(weekday_monday0(timegm_ms(2026, 1, 5, 12, 0, 0)), 0);   // a Monday
  EXPECT_EQ(weekday_monday0(timegm_ms(2026, 1, 11, 23, 0, 0)), 6);  // a Sunday
  EXPECT_EQ(weekday_monday0(0), 3);                                  // 1970-01-01, a Thursday
}

}  // namespace
}  // namespace cca
