#include "engine/users.h"

#include <algorithm>

#include "common/time_util.h"
#include "engine/ascii_lower.h"
#include "engine/grouped_metrics.h"
#include "engine/scan.h"
#include "store/employee_directory.h"

namespace cca::engine {
namespace {

// First and last seen count every event; active days only days with one of the five events of
// work (a prompt, an API call or error, a tool decision or result): newer releases also send
// start-up and configuration events (plugin_loaded, managed_settings_resolved, ...), and a day
// with only those is a day Claude Code was started, not used.
struct Activity {
  int64_t first_ms = INT64_MAX, last_ms = INT64_MIN;
  int64_t last_day = INT64_MIN;
  uint64_t active_days = 0;

  bool seen() const { return first_ms != INT64_MAX; }

  void add(const Cell& cell) {
    first_ms = std::min(first_ms, cell.first_ms);
    last_ms = std::max(last_ms, cell.last_ms);
    if (cell.by_kind[static_cast<int>(EventKind::kOther)] == cell.events) return;
    // A cell lies within one hour, and cells come in time order, so a day never comes back.
    const int64_t day = floor_div(cell.first_ms, kMsPerDay);
    if (day != last_day) {
      last_day = day;
      ++active_days;
    }
  }
};

// The user row's identity fields, for a user code or, for a directory-only user, an employee.
UserRow identity(const Snapshot& snapshot, std::optional<uint32_t> user, const Employee* employee) {
  const Dictionaries& d = snapshot.dict();
  UserRow row;
  if (user) {
    const UserAttributes& attributes = snapshot.users[*user];
    row.email = d.user.value(*user);
    row.practice = d.practice.value(attributes.display_practice);
    row.level = d.level.value(attributes.level);
    row.location = d.location.value(attributes.location);
    if (attributes.employee >= 0) employee = &snapshot.directory->employees[attributes.employee];
  } else {
    row.email = employee->email;
    const auto given = [](const std::string& value) {
      return value.empty() ? std::string(store::kUnknownValue) : value;
    };
    row.practice = given(employee->practice);
    row.level = given(employee->level);
    row.location = given(employee->location);
  }
  if (employee != nullptr) {
    row.full_name = employee->full_name;
    if (employee->email != row.email) row.directory_email = employee->email;
  }
  return row;
}

std::optional<double> order_value(const UserOrder& order, const Activity& activity,
                                  const MetricSet& metrics) {
  switch (order.field) {
    case UserField::kMetric:
      return metric_value(metrics, order.metric);
    case UserField::kEmail:
      return std::nullopt;  // compared as text by the caller
    case UserField::kFirstSeen:
      return static_cast<double>(activity.first_ms);
    case UserField::kLastSeen:
      return static_cast<double>(activity.last_ms);
    case UserField::kActiveDays:
      return static_cast<double>(activity.active_days);
  }
  return std::nullopt;
}

}  // namespace

std::optional<UserOrder> parse_user_order(std::string_view field, bool ascending) {
  if (field == "email") return UserOrder{UserField::kEmail, Metric::kEvents, ascending};
  if (field == "first_seen") return UserOrder{UserField::kFirstSeen, Metric::kEvents, ascending};
  if (field == "last_seen") return UserOrder{UserField::kLastSeen, Metric::kEvents, ascending};
  if (field == "active_days") return UserOrder{UserField::kActiveDays, Metric::kEvents, ascending};
  if (const auto metric = parse_metric(field))
    return UserOrder{UserField::kMetric, *metric, ascending};
  return std::nullopt;
}

UsersPage list_users(const Snapshot& snapshot, const Filter& filter, const UserOrder& order,
                     size_t limit, size_t offset) {
  const RowFilter rows(snapshot, filter);
  const size_t user_count = snapshot.user_codes();
  GroupedMetrics metrics(user_count, snapshot);
  std::vector<Activity> activity(user_count);
  scan_cells(snapshot, rows, choose_cells(rows, Needs::kNothing), [&](const Cell& cell) {
    metrics.add(cell.user, cell);
    activity[cell.user].add(cell);
  });

  struct Candidate {
    uint32_t user;
    std::optional<double> value;
  };
  std::vector<Candidate> candidates;
  for (uint32_t user = 0; user < user_count; ++user)
    if (activity[user].seen())
      candidates.push_back({user, order_value(order, activity[user], metrics[user])});

  UsersPage page;
  page.total = candidates.size();
  if (offset >= candidates.size()) return page;
  const size_t page_end = std::min(candidates.size(), offset + limit);
  const Dictionary& emails = snapshot.dict().user;
  const auto before = [&](const Candidate& a, const Candidate& b) {
    if (order.field == UserField::kEmail)
      return order.ascending ? emails.value(a.user) < emails.value(b.user)
                             : emails.value(b.user) < emails.value(a.user);
    const int c = compare_values(a.value, b.value, order.ascending);
    return c != 0 ? c < 0 : emails.value(a.user) < emails.value(b.user);
  };
  std::partial_sort(candidates.begin(), candidates.begin() + page_end, candidates.end(), before);
  for (size_t i = offset; i < page_end; ++i) {
    const uint32_t user = candidates[i].user;
    UserRow row = identity(snapshot, user, nullptr);
    row.first_seen_ms = activity[user].first_ms;
    row.last_seen_ms = activity[user].last_ms;
    row.active_days = activity[user].active_days;
    row.metrics = metrics[user];
    page.rows.push_back(std::move(row));
  }
  return page;
}

std::optional<UserProfile> user_profile(const Snapshot& snapshot, const Filter& filter,
                                        std::string_view email) {
  const std::string lowered = ascii_lower(email);
  std::optional<uint32_t> user = snapshot.dict().user.find(lowered);
  if (user && (*user == Dictionary::kAbsent || *user >= snapshot.user_codes())) user.reset();
  const Employee* employee = snapshot.directory->find(lowered);
  if (!user && employee == nullptr) return std::nullopt;

  UserProfile profile;
  profile.row = identity(snapshot, user, employee);
  if (!user) return profile;
  const bool email_filtered_out =
      !filter.email.empty() &&
      std::none_of(filter.email.begin(), filter.email.end(),
                   [&](const std::string& value) { return ascii_lower(value) == lowered; });
  if (email_filtered_out) return profile;

  Filter own = filter;
  own.email = {lowered};
  const RowFilter rows(snapshot, own);
  GroupedMetrics metrics(1, snapshot);
  Activity activity;
  std::vector<uint32_t> session_day(snapshot.session_codes(), 0);  // day + 1 a session was counted
  scan_cells(snapshot, rows, choose_cells(rows, Needs::kNothing), [&](const Cell& cell) {
    metrics.add(0, cell);
    activity.add(cell);
    const int64_t day_ms = floor_div(cell.first_ms, kMsPerDay) * kMsPerDay;
    if (profile.calendar.empty() || profile.calendar.back().day_ms != day_ms) {
      profile.calendar.push_back({day_ms, 0, 0, 0});
    }
    CalendarDay& day = profile.calendar.back();
    day.events += cell.events;
    const auto day_tag = static_cast<uint32_t>(profile.calendar.size());
    if (session_day[cell.session] != day_tag && cell.session != Dictionary::kAbsent) {
      session_day[cell.session] = day_tag;
      ++day.sessions;
    }
    day.cost_usd += cell.cost_usd;
  });
  profile.row.metrics = metrics[0];
  if (activity.seen()) {
    profile.row.first_seen_ms = activity.first_ms;
    profile.row.last_seen_ms = activity.last_ms;
    profile.row.active_days = activity.active_days;
  }
  return profile;
}

}  // namespace cca::engine
