#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/filter.h"
#include "engine/metric_set.h"
#include "engine/ordering.h"

namespace cca::engine {

// A user over the matching events. Practice, level and location are the directory's; for users
// it does not list, practice is the hint of their newest event that had one.
struct UserRow {
  std::string email;
  std::optional<std::string> full_name;
  // The directory's email for a user known by `user.id` that the directory maps (user_id column).
  std::optional<std::string> directory_email;
  std::string practice, level, location;
  std::optional<int64_t> first_seen_ms, last_seen_ms;
  uint64_t active_days = 0;  // distinct UTC days with a matching event
  MetricSet metrics;
};

enum class UserField { kMetric, kEmail, kFirstSeen, kLastSeen, kActiveDays };
using UserOrder = Ordering<UserField>;
// "email", "first_seen", "last_seen", "active_days" or a metric name.
std::optional<UserOrder> parse_user_order(std::string_view field, bool ascending);

struct UsersPage {
  size_t total = 0;  // users with at least one matching event
  std::vector<UserRow> rows;
};

UsersPage list_users(const Snapshot& snapshot, const Filter& filter, const UserOrder& order,
                     size_t limit, size_t offset);

struct CalendarDay {
  int64_t day_ms = 0;  // UTC midnight
  uint64_t events = 0, sessions = 0;
  double cost_usd = 0;
};

struct UserProfile {
  UserRow row;
  std::vector<CalendarDay> calendar;  // days with matching events, in order
};

// nullopt when neither the events nor the directory know the email (compared lowercase).
std::optional<UserProfile> user_profile(const Snapshot& snapshot, const Filter& filter,
                                        std::string_view email);

}  // namespace cca::engine
