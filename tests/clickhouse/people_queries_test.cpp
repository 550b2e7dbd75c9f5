// Sessions and users answered by ClickHouse against the embedded engine on the same random history:
// under seeded random filters, every sort order and a spread of pages, each row field by field
// (counts exactly, sums to 1e-9 relative), each event of a session's detail against the engine's
// row decoded through the snapshot's dictionaries.
//
// The one tolerance: events at the same millisecond are ordered by the embedded store's insertion
// order, which ClickHouse does not keep. Where the engine's first event of a session (or a user's
// newest hint) ties in time with another, ClickHouse may pick the other: the test then accepts the
// identity of any of the tied events, and only those, and counts how often it had to.
#include "clickhouse/people_queries.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <tuple>

#include "clickhouse/clickhouse_ingestor.h"
#include "clickhouse/history_stores.h"
#include "clickhouse/rollups.h"
#include "clickhouse/session_days.h"
#include "common/time_util.h"
#include "engine/ascii_lower.h"
#include "engine/metric_check.h"
#include "engine/snapshot.h"

namespace cca::clickhouse {
namespace {

using engine::Metric;
using testing::describe;
using testing::expect_same_metrics;
using testing::near_relative;

// Who and where a session is: email, practice, level, location, terminal.
using Identity =
    std::tuple<std::string, std::string, std::string, std::string, std::optional<std::string>>;

Identity identity_of(const engine::SessionRow& row) {
  return {row.email, row.practice, row.level, row.location, row.terminal};
}

Identity identity_of(const engine::Snapshot& snapshot, const engine::EventRow& event) {
  const engine::Dictionaries& d = snapshot.dict();
  std::optional<std::string> terminal;
  if (event.terminal != engine::Dictionary::kAbsent)
    terminal = std::string(d.terminal.value(event.terminal));
  return {std::string(d.user.value(event.user)),
          std::string(d.practice.value(snapshot.practice_of(event.user, event.practice_hint))),
          std::string(d.level.value(snapshot.users[event.user].level)),
          std::string(d.location.value(snapshot.users[event.user].location)), terminal};
}

std::string text(const Identity& i) {
  return std::get<0>(i) + "/" + std::get<1>(i) + "/" + std::get<2>(i) + "/" + std::get<3>(i) + "/" +
         std::get<4>(i).value_or("-");
}

// Every field of an event in one line; numbers exactly (%.17g), absent ones as "-".
std::string line(const engine::EventValues& v) {
  std::string out = std::to_string(v.time_ms) + " " + v.event_name;
  for (const auto* field :
       {&v.model, &v.tool, &v.decision, &v.decision_source, &v.status_code, &v.error}) {
    out += ' ';
    out += field->value_or("-");
  }
  out += " success=";
  out += std::to_string(v.success);
  for (const double number :
       {v.attempt, v.input_tokens, v.output_tokens, v.cache_read_tokens, v.cache_creation_tokens,
        v.cost_usd, v.duration_ms, v.prompt_length, v.tool_result_size_bytes}) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, " %.17g", number);
    out += std::isnan(number) ? std::string(" -") : std::string(buffer);
  }
  return out;
}

// The lines of a detail's events, those at equal times sorted among themselves: the order within
// a millisecond is the one thing the stores may disagree on.
std::vector<std::string> lines_by_time(const std::vector<engine::EventValues>& events) {
  std::vector<std::string> lines;
  size_t run = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].time_ms != events[run].time_ms) {
      std::sort(lines.begin() + static_cast<std::ptrdiff_t>(run), lines.end());
      run = i;
    }
    lines.push_back(line(events[i]));
  }
  std::sort(lines.begin() + static_cast<std::ptrdiff_t>(run), lines.end());
  return lines;
}

struct Order {
  std::string name;
  bool ascending;
};

// Every `sort=` a list takes, both ways.
std::vector<Order> every_order(std::vector<std::string> fields) {
  for (const Metric metric : engine::all_metrics())
    fields.emplace_back(engine::metric_name(metric));
  std::vector<Order> orders;
  for (const std::string& field : fields)
    for (const bool ascending : {false, true}) orders.push_back({field, ascending});
  return orders;
}

class PeopleQueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stores_ = HistoryStores::get();
    if (!stores_) GTEST_SKIP() << TestDatabase::kSkipReason;
    queries_ = std::make_unique<PeopleQueries>(*stores_->client);
    snapshot_ = stores_->engine->snapshot();
  }

  // Both stores with the history's events under another directory, `employees` (email, full
  // name, practice, level, location, user_id).
  void use_directory(const std::vector<std::vector<std::string>>& employees) {
    std::string csv = "email,full_name,practice,level,location,user_id\n";
    std::vector<testing::StoredEmployee> stored;
    for (const auto& e : employees) {
      csv += e[0] + "," + e[1] + "," + e[2] + "," + e[3] + "," + e[4] + "," + e[5] + "\n";
      stored.push_back({e[0], e[1], e[2], e[3], e[4]});
    }
    store_ = std::make_unique<testing::TempStore>();
    {
      store::Database db(store_->path());
      testing::StoreWriter writer(db);
      writer.insert(stores_->history.events);
      writer.replace_directory(stored);
      for (const auto& e : employees)
        if (!e[5].empty())
          db.exec("UPDATE employees SET user_id = '" + e[5] + "' WHERE email = '" + e[0] + "'");
    }
    engine_ = std::make_unique<engine::Engine>(store_->path());
    snapshot_ = engine_->snapshot();

    database_ = TestDatabase::create("people_directory");
    ASSERT_TRUE(database_);
    ClickHouseIngestor ingestor(database_->url());
    ingestor.load_employees_csv(csv, "directory.csv");
    client_ = std::make_unique<ClickHouseClient>(database_->url());
    client_->query("INSERT INTO events SELECT * FROM " + stores_->client->database() + ".events");
    queries_ = std::make_unique<PeopleQueries>(*client_);
  }

  // The identities of the session's first events: its first matching event and those at the same
  // millisecond, or when none matches, its first event and those tied with it.
  std::set<Identity> first_identities(const engine::Filter& filter,
                                      const std::string& session_id) const {
    auto detail = engine::session_detail(*snapshot_, filter, session_id);
    std::vector<engine::EventRow> events;
    if (detail && !detail->events.empty()) {
      events = std::move(detail->events);
    } else if (auto all = engine::session_detail(*snapshot_, {}, session_id)) {
      events = std::move(all->events);
    }
    std::set<Identity> identities;
    for (const engine::EventRow& event : events)
      if (event.time_ms == events.front().time_ms)
        identities.insert(identity_of(*snapshot_, event));
    return identities;
  }

  // The session's who and where: the engine's, or (at a tie) one of the tied events'.
  void expect_same_identity(const engine::SessionRow& expected, const engine::SessionRow& actual,
                            const engine::Filter& filter, const std::string& context) {
    if (identity_of(expected) == identity_of(actual)) return;
    const std::set<Identity> tied = first_identities(filter, expected.session_id);
    EXPECT_TRUE(tied.size() > 1 && tied.count(identity_of(actual)))
        << context << " session " << expected.session_id << ": engine "
        << text(identity_of(expected)) << ", ClickHouse " << text(identity_of(actual));
    ++identity_ties_;
  }

  void expect_same_session(const engine::SessionRow& expected, const engine::SessionRow& actual,
                           const engine::Filter& filter, const std::string& context) {
    EXPECT_EQ(expected.session_id, actual.session_id) << context;
    expect_same_identity(expected, actual, filter, context);
    EXPECT_EQ(expected.start_ms, actual.start_ms) << context << " " << expected.session_id;
    EXPECT_EQ(expected.end_ms, actual.end_ms) << context << " " << expected.session_id;
    expect_same_metrics(expected.metrics, actual.metrics, context + " " + expected.session_id);
  }

  // A user's practice when the directory does not list them: their newest hint, or one of the
  // hints at that millisecond.
  std::set<std::string> newest_hints(const std::string& user) const {
    int64_t newest = INT64_MIN;
    std::set<std::string> hints;
    for (const auto& event : stores_->history.events) {
      if (event.user != user || !event.practice_hint) continue;
      if (event.time_ms > newest) hints.clear();
      if (event.time_ms >= newest) {
        newest = event.time_ms;
        hints.insert(*event.practice_hint);
      }
    }
    return hints;
  }

  void expect_same_user(const engine::UserRow& expected, const engine::UserRow& actual,
                        const std::string& context) {
    const std::string who = context + " user " + expected.email;
    EXPECT_EQ(expected.email, actual.email) << who;
    EXPECT_EQ(expected.full_name, actual.full_name) << who;
    EXPECT_EQ(expected.directory_email, actual.directory_email) << who;
    if (expected.practice != actual.practice) {
      const std::set<std::string> hints = newest_hints(expected.email);
      EXPECT_TRUE(!expected.full_name && hints.size() > 1 && hints.count(actual.practice))
          << who << ": practice " << expected.practice << ", ClickHouse " << actual.practice;
      ++hint_ties_;
    }
    EXPECT_EQ(expected.level, actual.level) << who;
    EXPECT_EQ(expected.location, actual.location) << who;
    EXPECT_EQ(expected.first_seen_ms, actual.first_seen_ms) << who;
    EXPECT_EQ(expected.last_seen_ms, actual.last_seen_ms) << who;
    EXPECT_EQ(expected.active_days, actual.active_days) << who;
    expect_same_metrics(expected.metrics, actual.metrics, who);
  }

  void compare_sessions(const engine::Filter& filter, const Order& order, size_t limit,
                        size_t offset) {
    const auto parsed = engine::parse_session_order(order.name, order.ascending);
    ASSERT_TRUE(parsed) << order.name;
    const std::string context =
        describe(filter) + " sort=" + order.name + (order.ascending ? " asc" : " desc") +
        " limit=" + std::to_string(limit) + " offset=" + std::to_string(offset);
    const auto expected = engine::list_sessions(*snapshot_, filter, *parsed, limit, offset);
    const auto actual = queries_->list_sessions(filter, *parsed, limit, offset);
    ++compared_;
    ASSERT_EQ(expected.total, actual.total) << context;
    ASSERT_EQ(expected.rows.size(), actual.rows.size()) << context;
    for (size_t r = 0; r < expected.rows.size(); ++r)
      expect_same_session(expected.rows[r], actual.rows[r], filter,
                          context + " row " + std::to_string(r));
    rows_compared_ += expected.rows.size();
  }

  void compare_users(const engine::Filter& filter, const Order& order, size_t limit,
                     size_t offset) {
    const auto parsed = engine::parse_user_order(order.name, order.ascending);
    ASSERT_TRUE(parsed) << order.name;
    const std::string context =
        describe(filter) + " sort=" + order.name + (order.ascending ? " asc" : " desc") +
        " limit=" + std::to_string(limit) + " offset=" + std::to_string(offset);
    const auto expected = engine::list_users(*snapshot_, filter, *parsed, limit, offset);
    const auto actual = queries_->list_users(filter, *parsed, limit, offset);
    ++compared_;
    ASSERT_EQ(expected.total, actual.total) << context;
    ASSERT_EQ(expected.rows.size(), actual.rows.size()) << context;
    for (size_t r = 0; r < expected.rows.size(); ++r)
      expect_same_user(expected.rows[r], actual.rows[r], context + " row " + std::to_string(r));
    rows_compared_ += expected.rows.size();
  }

  // A page: the whole list, its first rows, or some rows further on (perhaps past the end).
  std::pair<size_t, size_t> random_page(std::mt19937_64& random) const {
    switch (random() % 4) {
      case 0:
        return {1000, 0};
      case 1:
        return {1 + random() % 10, 0};
      case 2:
        return {1 + random() % 20, random() % 40};
      default:
        return {random() % 3, random() % 90};
    }
  }

  void TearDown() override {
    if (!stores_ || rows_compared_ == 0) return;
    std::printf(
        "[ compared ] %zu questions, %zu rows; ties within a millisecond: %zu session "
        "identities, %zu practice hints\n",
        compared_, rows_compared_, identity_ties_, hint_ties_);
  }

  const HistoryStores* stores_ = nullptr;
  // A world of the test's own (use_directory).
  std::unique_ptr<testing::TempStore> store_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<ClickHouseClient> client_;
  std::unique_ptr<PeopleQueries> queries_;
  std::shared_ptr<const engine::Snapshot> snapshot_;
  size_t compared_ = 0, rows_compared_ = 0, identity_ties_ = 0, hint_ties_ = 0;
};

const std::vector<Order> kSessionOrders = every_order({"start", "end", "duration_s"});
const std::vector<Order> kUserOrders =
    every_order({"email", "first_seen", "last_seen", "active_days"});

TEST_F(PeopleQueriesTest, SessionListsInEveryOrderWithoutAndWithAFilter) {
  std::mt19937_64 random(11);
  const engine::Filter filters[] = {{}, stores_->random_filter(random)};
  // Every session, and a page that a few sessions' values bound (candidates_by_value).
  for (const engine::Filter& filter : filters)
    for (const Order& order : kSessionOrders) {
      compare_sessions(filter, order, 1000, 0);
      compare_sessions(filter, order, 5, 3);
    }
}

TEST_F(PeopleQueriesTest, SessionPagesUnderRandomFilters) {
  std::mt19937_64 random(12);
  for (int i = 0; i < 120; ++i) {
    const engine::Filter filter = stores_->random_filter(random);
    for (int k = 0; k < 3; ++k) {
      const auto [limit, offset] = random_page(random);
      compare_sessions(filter, kSessionOrders[random() % kSessionOrders.size()], limit, offset);
    }
  }
}

// Filters session_days answers (whole UTC days, people, terminals; no single-event filters),
// each page read from it.
TEST_F(PeopleQueriesTest, SessionPagesFromSessionDaysUnderRandomFilters) {
  std::mt19937_64 random(17);
  for (int i = 0; i < 80; ++i) {
    const engine::Filter filter = stores_->random_session_days_filter(random);
    ASSERT_TRUE(session_days_read(People(*stores_->client), filter)) << describe(filter);
    for (int k = 0; k < 3; ++k) {
      const auto [limit, offset] = random_page(random);
      compare_sessions(filter, kSessionOrders[random() % kSessionOrders.size()], limit, offset);
    }
  }
}

TEST_F(PeopleQueriesTest, SessionDetailsUnderRandomFilters) {
  std::mt19937_64 random(13);
  std::vector<std::string> ids;
  for (const auto& event : stores_->history.events)
    if (std::find(ids.begin(), ids.end(), event.session_id) == ids.end())
      ids.push_back(event.session_id);
  ASSERT_GT(ids.size(), 50u);
  size_t events_compared = 0, details = 0;
  for (int i = 0; i < 60; ++i) {
    const engine::Filter filter = i == 0 ? engine::Filter() : stores_->random_filter(random);
    std::vector<std::string> asked = {"no-such-session", ""};
    for (int k = 0; k < 6; ++k) asked.push_back(ids[random() % ids.size()]);
    for (const std::string& id : asked) {
      const std::string context = describe(filter) + " session=" + id;
      // The engine's detail with its events decoded as the server shows them.
      const auto expected = engine::SnapshotAnalytics(snapshot_).session_detail(filter, id);
      const auto actual = queries_->session_detail(filter, id);
      ++compared_;
      ASSERT_EQ(expected.has_value(), actual.has_value()) << context;
      if (!expected) continue;
      ++details;
      EXPECT_EQ(expected->row.session_id, actual->row.session_id) << context;
      expect_same_identity(expected->row, actual->row, filter, context);
      EXPECT_EQ(expected->row.start_ms, actual->row.start_ms) << context;
      EXPECT_EQ(expected->row.end_ms, actual->row.end_ms) << context;
      expect_same_metrics(expected->row.metrics, actual->row.metrics, context);
      ASSERT_EQ(expected->events.size(), actual->events.size()) << context;
      const std::vector<engine::EventValues>& decoded = expected->events;
      EXPECT_EQ(lines_by_time(decoded), lines_by_time(actual->events)) << context;
      for (size_t e = 0; e < decoded.size(); ++e)
        EXPECT_EQ(decoded[e].time_ms, actual->events[e].time_ms) << context;
      events_compared += decoded.size();
    }
  }
  EXPECT_GT(details, 200u);
  EXPECT_GT(events_compared, 1500u);
  std::printf("[ compared ] %zu details, %zu events\n", details, events_compared);
}

TEST_F(PeopleQueriesTest, UserListsInEveryOrderWithoutAndWithAFilter) {
  std::mt19937_64 random(14);
  const engine::Filter filters[] = {{}, stores_->random_filter(random)};
  for (const engine::Filter& filter : filters)
    for (const Order& order : kUserOrders) compare_users(filter, order, 1000, 0);
}

TEST_F(PeopleQueriesTest, UserPagesUnderRandomFilters) {
  std::mt19937_64 random(15);
  size_t from_rollups = 0;
  for (int i = 0; i < 120; ++i) {
    const engine::Filter filter = stores_->random_filter(random);
    if (rollup_read(People(*stores_->client), filter, engine::Dimension{engine::Dimension::kEmail}))
      ++from_rollups;
    for (int k = 0; k < 3; ++k) {
      auto [limit, offset] = random_page(random);
      offset %= 20;  // there are 14 users
      compare_users(filter, kUserOrders[random() % kUserOrders.size()], limit, offset);
    }
  }
  EXPECT_GT(from_rollups, 20u);  // the pages read from the rollups, as well as from the events
}

// A day is active only with an event of work: ranges holding one user's start-up or custom events
// alone give first and last seen, but no active day, and a calendar day all the same.
TEST_F(PeopleQueriesTest, DaysWithOnlyOtherEventsAreNotActive) {
  const std::set<std::string> work = {"user_prompt", "api_request", "api_error", "tool_decision",
                                      "tool_result"};
  size_t checked = 0;
  for (const auto& event : stores_->history.events) {
    if (work.count(event.event_name) || checked == 12) continue;
    engine::Filter filter;
    filter.from_ms = event.time_ms;
    filter.to_ms = event.time_ms + 1;
    filter.email = {event.user};
    const auto expected =
        engine::list_users(*snapshot_, filter, {engine::UserField::kEmail}, 10, 0);
    if (expected.rows.size() != 1 || expected.rows[0].active_days != 0) continue;
    ++checked;
    compare_users(filter, {"active_days", false}, 10, 0);
    filter.email.clear();
    filter.to_ms = event.time_ms + kMsPerHour;
    compare_users(filter, {"active_days", true}, 10, 0);
    const auto profile = engine::user_profile(*snapshot_, filter, event.user);
    const auto actual = queries_->user_profile(filter, event.user);
    ASSERT_TRUE(profile && actual) << event.user;
    expect_same_user(profile->row, actual->row, describe(filter));
    ASSERT_EQ(profile->calendar.size(), actual->calendar.size()) << describe(filter);
    for (size_t d = 0; d < profile->calendar.size(); ++d)
      EXPECT_EQ(profile->calendar[d].events, actual->calendar[d].events) << describe(filter);
  }
  EXPECT_EQ(checked, 12u);
}

// The same from the hourly rollup: a whole hour holding a user's other events but none of their
// work is no active day.
TEST_F(PeopleQueriesTest, AnHourWithOnlyOtherEventsIsNoActiveDayInTheRollupToo) {
  const std::set<std::string> work = {"user_prompt", "api_request", "api_error", "tool_decision",
                                      "tool_result"};
  size_t idle_hours = 0;
  for (const auto& event : stores_->history.events) {
    if (work.count(event.event_name)) continue;
    engine::Filter hour;
    hour.from_ms = floor_div(event.time_ms, kMsPerHour) * kMsPerHour;
    hour.to_ms = *hour.from_ms + kMsPerHour;
    hour.email = {event.user};
    const auto expected = engine::list_users(*snapshot_, hour, {engine::UserField::kEmail}, 1, 0);
    if (expected.rows.size() != 1 || expected.rows[0].active_days != 0) continue;
    ++idle_hours;
    ASSERT_TRUE(
        rollup_read(People(*stores_->client), hour, engine::Dimension{engine::Dimension::kEmail}));
    compare_users(hour, {"active_days", true}, 10, 0);
    engine::Filter day = hour;  // and the whole day, from the daily rollup
    day.from_ms = floor_div(event.time_ms, kMsPerDay) * kMsPerDay;
    day.to_ms = *day.from_ms + kMsPerDay;
    compare_users(day, {"active_days", true}, 10, 0);
    day.email.clear();
    compare_users(day, {"active_days", true}, 10, 0);
  }
  EXPECT_GT(idle_hours, 0u);  // the random history has one at least
}

TEST_F(PeopleQueriesTest, UserProfilesUnderRandomFilters) {
  std::mt19937_64 random(16);
  // Every user by their key, some in another case, the directory's people as it spells them,
  // and people nobody knows.
  std::vector<std::string> emails = stores_->history.emails;
  for (const auto& employee : stores_->history.directory) emails.push_back(employee.email);
  emails.push_back("0F1012A7C3E9B2D4");
  emails.push_back("");
  size_t profiles = 0, days = 0, from_rollups = 0;
  const People people(*stores_->client);
  for (int i = 0; i < 25; ++i) {
    const engine::Filter filter = i == 0 ? engine::Filter() : stores_->random_filter(random);
    engine::Filter own = filter;
    own.email = {"someone@example.com"};
    if (!metric_source(people, own, std::nullopt, kMsPerDay, true)
             .filtered_table.starts_with("events"))
      ++from_rollups;
    for (const std::string& email : emails) {
      const std::string context = describe(filter) + " profile=" + email;
      const auto expected = engine::user_profile(*snapshot_, filter, email);
      const auto actual = queries_->user_profile(filter, email);
      ++compared_;
      ASSERT_EQ(expected.has_value(), actual.has_value()) << context;
      if (!expected) continue;
      ++profiles;
      expect_same_user(expected->row, actual->row, context);
      ASSERT_EQ(expected->calendar.size(), actual->calendar.size()) << context;
      for (size_t d = 0; d < expected->calendar.size(); ++d) {
        const auto& e = expected->calendar[d];
        const auto& a = actual->calendar[d];
        const std::string day = context + " day " + format_date(e.day_ms);
        EXPECT_EQ(e.day_ms, a.day_ms) << day;
        EXPECT_EQ(e.events, a.events) << day;
        EXPECT_EQ(e.sessions, a.sessions) << day;
        EXPECT_TRUE(near_relative(e.cost_usd, a.cost_usd)) << day;
      }
      days += expected->calendar.size();
    }
  }
  EXPECT_GT(days, 300u);
  EXPECT_GT(from_rollups, 5u);
  std::printf("[ compared ] %zu profiles, %zu calendar days, %zu filters from the rollups\n",
              profiles, days, from_rollups);
}

}  // namespace
}  // namespace cca::clickhouse

namespace cca::clickhouse {
namespace {

// People the directory knows by their `user.id` (its user_id column) resolve to that employee:
// their name, practice, level and location, and the directory's email beside the id they send.
// Two employees giving the same id: the first by email wins; an id that is some employee's email
// is that employee. An employee known only by the id
// still has a profile of their own under their email, from the directory alone.
TEST_F(PeopleQueriesTest, PeopleKnownByTheirUserId) {
  std::vector<std::vector<std::string>> employees;
  for (const auto& e : stores_->history.directory)
    employees.push_back({e.email, e.full_name, e.practice, e.level, e.location, ""});
  employees.push_back(
      {"user12@example.com", "Twelve", "ML Engineering", "L7", "Canada", "0f1012a7c3e9b2d4"});
  employees.push_back(
      {"zed@example.com", "Zed", "Data Engineering", "L1", "Poland", "user5@example.com"});
  employees.push_back(
      {"abe@example.com", "Abe", "Platform Engineering", "L4", "Germany", "user5@example.com"});
  // The directory lists 0f1013a7c3e9b2d4 by that email already: the email wins.
  employees.push_back(
      {"amy@example.com", "Amy", "Data Engineering", "L1", "Poland", "0f1013a7c3e9b2d4"});
  use_directory(employees);
  if (HasFatalFailure()) return;

  const auto everyone = engine::list_users(*snapshot_, {}, {engine::UserField::kEmail}, 100, 0);
  size_t by_id = 0;
  for (const auto& row : everyone.rows) by_id += row.directory_email.has_value();
  ASSERT_EQ(by_id, 2u);  // 0f1012a7c3e9b2d4 and user5: the world is what this test means

  std::mt19937_64 random(17);
  const std::vector<std::string> asked = {
      "0f1012a7c3e9b2d4", "0F1013A7C3E9B2D4", "user12@example.com", "User5@example.com",
      "abe@example.com",  "zed@example.com",  "amy@example.com",    "user3@example.com"};
  for (int i = 0; i < 12; ++i) {
    engine::Filter filter = i == 0 ? engine::Filter() : stores_->random_filter(random);
    if (i % 3 == 1) filter.practice = {"ML Engineering", "Platform Engineering"};
    for (const Order& order : {Order{"email", true}, Order{"cost_usd", false}})
      compare_users(filter, order, 1000, 0);
    compare_sessions(filter, {"start", true}, 1000, 0);
    for (const std::string& email : asked) {
      const auto expected = engine::user_profile(*snapshot_, filter, email);
      const auto actual = queries_->user_profile(filter, email);
      ASSERT_EQ(expected.has_value(), actual.has_value()) << email;
      if (expected) expect_same_user(expected->row, actual->row, describe(filter));
    }
  }
}

// Pages ordered by start or end are read from the sessions with a row on the days nearest the
// page's end of the order: sessions reaching into those days from others count with all their
// rows, and a page whose last session lies beyond those days is read from more. A history made
// for it: on days 9 and 10, sessions a, b, c run from day 9 into day 10, e lies late on day 9
// and d on day 10, so that day 10's rows hold four sessions but only one that starts there (start,
// descending: d, e, c, ...); on days 1 and 2 the mirror image (end, ascending: s, t, r, ...).
TEST(SessionPagesFromTheNearestDays, AnswerAsEverySessionDoes) {
  testing::RandomHistory history;
  const int64_t origin = days_from_civil(2026, 1, 1) * kMsPerDay;
  const auto at = [&](int day, double hour) {
    return origin + day * kMsPerDay + static_cast<int64_t>(hour * kMsPerHour);
  };
  const std::pair<const char*, std::vector<int64_t>> sessions[] = {
      {"a", {at(9, 10), at(10, 2)}},     {"b", {at(9, 11), at(10, 3)}},
      {"c", {at(9, 20), at(10, 1)}},     {"e", {at(9, 23), at(9, 23.5)}},
      {"d", {at(10, 12), at(10, 12.2)}}, {"p", {at(1, 22), at(2, 5)}},
      {"q", {at(1, 21), at(2, 4)}},      {"r", {at(1, 4), at(2, 3)}},
      {"s", {at(1, 1), at(1, 2)}},       {"t", {at(2, 0.5), at(2, 1)}}};
  double cost = 0.01;
  for (const auto& [id, times] : sessions)
    for (const int64_t time : times) {
      testing::StoredEvent event;
      event.time_ms = time;
      event.event_name = "api_request";
      event.session_id = id;
      event.user = "ana@example.com";
      event.terminal = "vscode";
      event.model = "claude-sonnet-4-5";
      event.cost_usd = cost += 0.01;  // each event its own cost: a row missing one shows
      history.events.push_back(event);
    }
  std::sort(history.events.begin(), history.events.end(),
            [](const auto& x, const auto& y) { return x.time_ms < y.time_ms; });
  history.directory = {{"ana@example.com", "Ana", "Platform Engineering", "L4", "Spain"}};
  const auto stores = HistoryStores::of("nearest_days", std::move(history));
  if (!stores) GTEST_SKIP() << TestDatabase::kSkipReason;

  const auto snapshot = stores->engine->snapshot();
  const PeopleQueries queries(*stores->client);
  engine::Filter days;  // whole days, as the dashboard asks
  days.from_ms = at(0, 0);
  days.to_ms = at(12, 0);
  for (const engine::Filter& filter : {engine::Filter(), days})
    for (const engine::SessionField field :
         {engine::SessionField::kStart, engine::SessionField::kEnd})
      for (const bool ascending : {true, false})
        for (size_t limit = 1; limit <= 4; ++limit)
          for (size_t offset = 0; offset <= 3; ++offset) {
            const engine::SessionOrder order{field, Metric::kEvents, ascending};
            const auto expected = engine::list_sessions(*snapshot, filter, order, limit, offset);
            const auto actual = queries.list_sessions(filter, order, limit, offset);
            const std::string context =
                describe(filter) + (field == engine::SessionField::kStart ? " start" : " end") +
                (ascending ? " asc" : " desc") + " limit " + std::to_string(limit) + " offset " +
                std::to_string(offset);
            ASSERT_EQ(expected.total, actual.total) << context;
            ASSERT_EQ(expected.rows.size(), actual.rows.size()) << context;
            for (size_t r = 0; r < expected.rows.size(); ++r) {
              EXPECT_EQ(expected.rows[r].session_id, actual.rows[r].session_id) << context;
              EXPECT_EQ(expected.rows[r].start_ms, actual.rows[r].start_ms) << context;
              EXPECT_EQ(expected.rows[r].end_ms, actual.rows[r].end_ms) << context;
              expect_same_metrics(expected.rows[r].metrics, actual.rows[r].metrics, context);
            }
          }
}

}  // namespace
}  // namespace cca::clickhouse
