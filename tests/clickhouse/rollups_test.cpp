// The rollups (src/clickhouse/rollups.h): which questions they answer, that what the materialized
// views wrote adds up to the events, that the answers read from them are the engine's under
// random filters they can express (their filling on upgrade: schema_test.cpp).
#include "clickhouse/rollups.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>

#include "clickhouse/history_stores.h"
#include "clickhouse/people_queries.h"
#include "clickhouse/queries.h"
#include "clickhouse/schema.h"
#include "clickhouse/shape_queries.h"
#include "clickhouse/test_database.h"
#include "engine/breakdown.h"
#include "engine/heatmap.h"
#include "engine/metric_check.h"
#include "engine/sessions.h"
#include "engine/summary.h"
#include "engine/timeseries.h"
#include "engine/users.h"

namespace cca::clickhouse {
namespace {

using engine::Dimension;
using testing::describe;
using testing::expect_same_metrics;

// A random filter with what keeps a question off the rollups taken out: status codes, errors,
// custom attributes, and all but one of the rolled-up columns.
engine::Filter rollup_filter(const HistoryStores& stores, std::mt19937_64& random) {
  engine::Filter filter = stores.random_filter(random);
  filter.status_code.clear();
  filter.error.clear();
  filter.attributes.clear();
  std::vector<std::string>* columns[] = {&filter.model, &filter.terminal, &filter.tool};
  const size_t kept = random() % std::size(columns);
  for (size_t i = 0; i < std::size(columns); ++i)
    if (i != kept) columns[i]->clear();
  return filter;
}

// The tables a question reads, coarsest first ("rollup_month rollup_day"), or "" for events.
std::string tables(const HistoryStores& stores, const engine::Filter& filter,
                   std::optional<Dimension> by = std::nullopt, int64_t bucket_ms = 0,
                   bool per_day = false) {
  const auto read = rollup_read(People(*stores.client), filter, by, bucket_ms, per_day);
  std::string names;
  if (read)
    for (const RollupRead::Part& part : read->parts) {
      if (!names.empty()) names += ' ';
      names += part.table->name;
    }
  return names;
}

class RollupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stores_ = HistoryStores::get();
    if (!stores_) GTEST_SKIP() << TestDatabase::kSkipReason;
  }

  std::string tables(const engine::Filter& filter, std::optional<Dimension> by = std::nullopt,
                     int64_t bucket_ms = 0, bool per_day = false) const {
    return clickhouse::tables(*stores_, filter, by, bucket_ms, per_day);
  }

  const HistoryStores* stores_ = nullptr;
};

TEST_F(RollupsTest, AQuestionReadsTheCoarsestRollupItsFilterAllows) {
  const engine::Filter everything;
  EXPECT_EQ(tables(everything), "rollup_month");
  EXPECT_EQ(tables(everything, std::nullopt, 0, true), "rollup_day");  // active days
  EXPECT_EQ(tables(everything, std::nullopt, kMsPerHour), "rollup_hour");
  EXPECT_EQ(tables(everything, std::nullopt, 7 * kMsPerDay), "rollup_day");

  engine::Filter days;
  days.from_ms = 20000 * kMsPerDay;
  days.to_ms = 20007 * kMsPerDay;
  EXPECT_EQ(tables(days), "rollup_day");
  engine::Filter hours = days;
  hours.to_ms = *days.to_ms + 5 * kMsPerHour;
  EXPECT_EQ(tables(hours), "rollup_hour");
  engine::Filter instant = days;
  instant.from_ms = *days.from_ms + 1;
  EXPECT_EQ(tables(instant), "");

  // 2024-10-15 to 2025-01-10: November and December whole, the days around them.
  engine::Filter months;
  months.from_ms = days_from_civil(2024, 10, 15) * kMsPerDay;
  months.to_ms = days_from_civil(2025, 1, 10) * kMsPerDay;
  EXPECT_EQ(tables(months), "rollup_month rollup_day rollup_day");
  EXPECT_EQ(tables(months, Dimension{Dimension::kModel}), "rollup_month rollup_day rollup_day");
  EXPECT_EQ(tables(months, std::nullopt, kMsPerDay), "rollup_day");
  months.from_ms = days_from_civil(2024, 11, 1) * kMsPerDay;
  EXPECT_EQ(tables(months), "rollup_month rollup_day");
  months.to_ms = std::nullopt;
  EXPECT_EQ(tables(months), "rollup_month");
  months.from_ms = days_from_civil(2024, 11, 2) * kMsPerDay;
  months.to_ms = days_from_civil(2024, 12, 31) * kMsPerDay;
  EXPECT_EQ(tables(months), "rollup_day");  // no whole month

  engine::Filter people = days;
  people.practice = {"Platform Engineering"};
  people.email = {"Someone@example.com"};
  EXPECT_EQ(tables(people, Dimension{Dimension::kLevel}), "rollup_day");
  EXPECT_EQ(tables(people, Dimension{Dimension::kModel}), "rollup_day");

  engine::Filter model;
  model.model = {"claude-opus-4-7"};
  EXPECT_EQ(tables(model), "rollup_month");
  EXPECT_EQ(tables(model, Dimension{Dimension::kModel}), "rollup_month");
  EXPECT_EQ(tables(model, Dimension{Dimension::kPractice}), "rollup_month");
  EXPECT_EQ(tables(model, Dimension{Dimension::kTool}), "");  // two rolled-up columns
  engine::Filter two = model;
  two.terminal = {"vscode"};
  EXPECT_EQ(tables(two), "");

  // The sparse dimensions are rolled up like the others.
  for (const auto& single_event : {&engine::Filter::status_code, &engine::Filter::error}) {
    engine::Filter filter;
    (filter.*single_event).push_back("500");
    EXPECT_EQ(tables(filter), "rollup_month");
    EXPECT_EQ(tables(filter, Dimension{Dimension::kPractice}), "rollup_month");
    EXPECT_EQ(tables(filter, Dimension{Dimension::kModel}), "");  // two rolled-up columns
  }
  for (const auto kind :
       {Dimension::kError, Dimension::kStatusCode, Dimension::kAttempt, Dimension::kDecisionSource})
    EXPECT_EQ(tables(everything, Dimension{kind}), "rollup_month");
  engine::Filter status = model;
  status.status_code = {"500"};
  EXPECT_EQ(tables(status), "");
  engine::Filter attribute;
  attribute.attributes.push_back({"team", {"red"}});
  EXPECT_EQ(tables(attribute), "");
  EXPECT_EQ(tables(everything, Dimension{Dimension::kQuerySource}), "");
}

// The totals hold everyone: a question about some people, or scoped to some practices, never
// reads them.
TEST_F(RollupsTest, OnlyQuestionsAboutEveryoneReadTheTotals) {
  const People people(*stores_->client);
  const auto totals = [&](const engine::Filter& filter, std::optional<Dimension> by) {
    const auto read = rollup_read(people, filter, by);
    return read && read->totals;
  };
  const engine::Filter everyone;
  EXPECT_TRUE(totals(everyone, std::nullopt));
  EXPECT_TRUE(totals(everyone, Dimension{Dimension::kModel}));
  EXPECT_FALSE(totals(everyone, Dimension{Dimension::kPractice}));
  EXPECT_FALSE(totals(everyone, Dimension{Dimension::kEmail}));
  engine::Filter practice, scoped, person, level, location;
  practice.practice = {"Platform Engineering"};
  scoped.scope_practices = {"Platform Engineering"};
  person.email = {"someone@example.com"};
  level.level = {"L4"};
  location.location = {"Spain"};
  for (const engine::Filter* some : {&practice, &scoped, &person, &level, &location}) {
    EXPECT_FALSE(totals(*some, std::nullopt)) << testing::describe(*some);
    EXPECT_FALSE(totals(*some, Dimension{Dimension::kModel})) << testing::describe(*some);
  }
}

// The sessions of each day as the day rollup counts them, under random filters it expresses, are
// those of the events: distinct per person and hint.
TEST_F(RollupsTest, SessionsPerDayAreTheEventsSessionsPerPersonAndHint) {
  std::mt19937_64 random(31);
  const People people(*stores_->client);
  size_t counted = 0;
  for (int i = 0; i < 60; ++i) {
    engine::Filter filter = rollup_filter(*stores_, random);
    if (random() % 2) {  // whole days, which the day rollup holds
      filter.from_ms =
          filter.from_ms ? std::optional(*filter.from_ms / kMsPerDay * kMsPerDay) : std::nullopt;
      filter.to_ms =
          filter.to_ms ? std::optional(*filter.to_ms / kMsPerDay * kMsPerDay) : std::nullopt;
    }
    const std::optional<std::string> per_day = sessions_per_day(people, filter);
    if (!per_day) continue;
    ++counted;
    const auto expected = rows_of(stores_->client->query(
        "SELECT day, uniqExact(session_id, user, practice_hint) FROM events WHERE session_id != '' "
        "AND " +
        where(people, filter) + " GROUP BY day ORDER BY day"));
    EXPECT_EQ(expected, rows_of(stores_->client->query(*per_day + " ORDER BY day")))
        << describe(filter);
  }
  EXPECT_GT(counted, 20u);
}

TEST_F(RollupsTest, EveryDimensionOfEveryRollupAddsUpToTheEvents) {
  const ClickHouseClient& client = *stores_->client;
  // Each dimension's events and sessions: every event's, or a sparse dimension's, those with a
  // value for it.
  std::map<std::string, std::string> expected;
  for (size_t d = 0; d < kRollupDimensionCount; ++d) {
    const RolledUpColumn* column = rollup_dimension_column(d);
    const std::string events = column && column->sparse
                                   ? "events WHERE " + std::string(column->value) + " != ''"
                                   : "events";
    expected[column ? column->dimension : ""] =
        client.query("SELECT count(), uniqExactIf(session_id, session_id != '') FROM " + events);
  }
  EXPECT_TRUE(expected[""].starts_with(std::to_string(stores_->history.events.size()) + "\t"));
  EXPECT_NE(expected["status_code"], "0\t0\n");
  EXPECT_NE(expected["decision_source"], "0\t0\n");
  for (const RollupTable& rollup : kRollupTables) {
    const std::string answer = client.query(
        "SELECT dimension, sum(events), uniqExactMerge(sessions) - (sum(sessionless) > 0) FROM " +
        std::string(rollup.name) + " GROUP BY dimension ORDER BY dimension");
    const auto rows = rows_of(answer);
    ASSERT_EQ(rows.size(), std::size(kRolledUpColumns) + 1) << rollup.name;
    for (const auto& row : rows)
      EXPECT_EQ(row.at(1) + "\t" + row.at(2) + "\n", expected[row.at(0)])
          << rollup.name << " " << row.at(0);
    // The totals hold the rollup's figures and session counts without people; each rollup row
    // its person's number.
    const std::string figures = "dimension, sum(events), round(sum(cost_usd_sum), 6), sum(opened)";
    const std::string per_dimension = " GROUP BY dimension ORDER BY dimension";
    EXPECT_EQ(client.query("SELECT " + figures + " FROM " + rollup.totals + per_dimension),
              client.query("SELECT " + figures + " FROM " + rollup.name + per_dimension))
        << rollup.totals;
    EXPECT_EQ(client.query("SELECT countIf(user_key != cityHash64(user)), count() > 0 FROM " +
                           std::string(rollup.name)),
              "0\t1\n")
        << rollup.name;
    // A people table holds each cell's people of the rollup, each once.
    if (!rollup.people) continue;
    const std::string cells =
        "SELECT dimension, count(), sum(cityHash64(value, day, start_ms, "
        "user_key)) FROM (SELECT DISTINCT dimension, value, day, start_ms, "
        "user_key FROM ";
    const std::string per_dimension_rows = ") GROUP BY dimension ORDER BY dimension";
    EXPECT_EQ(client.query(cells + rollup.people + per_dimension_rows),
              client.query(cells + rollup.name + per_dimension_rows))
        << rollup.people;
  }
}

TEST_F(RollupsTest, AnswersFromTheRollupsAreTheEnginesUnderRandomFilters) {
  std::mt19937_64 random(21);
  const Queries queries(*stores_->client);
  const ShapeQueries shapes(*stores_->client);
  const Dimension dimensions[] = {{Dimension::kPractice}, {Dimension::kLevel},
                                  {Dimension::kLocation}, {Dimension::kEmail},
                                  {Dimension::kModel},    {Dimension::kTerminal},
                                  {Dimension::kTool},     {Dimension::kEventType},
                                  {Dimension::kVersion},  {Dimension::kOs}};
  const engine::Bucket buckets[] = {engine::Bucket::kHour, engine::Bucket::kDay,
                                    engine::Bucket::kWeek};
  size_t read_from_rollups = 0;
  for (int i = 0; i < 60; ++i) {
    const engine::Filter filter = rollup_filter(*stores_, random);
    const auto snapshot = stores_->engine->snapshot();
    if (!tables(filter).empty()) ++read_from_rollups;

    const auto summary = queries.summarize(filter);
    const auto expected_summary = engine::summarize(*snapshot, filter);
    expect_same_metrics(expected_summary.metrics, summary.metrics, describe(filter));
    EXPECT_EQ(expected_summary.first_event_ms, summary.first_event_ms) << describe(filter);
    EXPECT_EQ(expected_summary.last_event_ms, summary.last_event_ms) << describe(filter);

    const Dimension by = dimensions[random() % std::size(dimensions)];
    const std::string context = describe(filter) + " by=" + std::string(dimension_name(by));
    const auto expected_rows = engine::breakdown(*snapshot, filter, by, engine::Metric::kEvents);
    const auto rows = queries.breakdown(filter, by, engine::Metric::kEvents);
    ASSERT_EQ(expected_rows.size(), rows.size()) << context;
    for (size_t r = 0; r < rows.size(); ++r) {
      EXPECT_EQ(expected_rows[r].key, rows[r].key) << context;
      expect_same_metrics(expected_rows[r].metrics, rows[r].metrics, context);
    }

    const engine::Bucket bucket = buckets[random() % std::size(buckets)];
    const auto expected_series = engine::timeseries(*snapshot, filter, bucket, by, 4);
    const auto series = queries.timeseries(filter, bucket, by, 4);
    ASSERT_EQ(expected_series.starts, series.starts) << context;
    for (size_t b = 0; b < series.points.size(); ++b)
      expect_same_metrics(expected_series.points[b], series.points[b], context);
    ASSERT_EQ(expected_series.series.size(), series.series.size()) << context;
    for (size_t s = 0; s < series.series.size(); ++s) {
      EXPECT_EQ(expected_series.series[s].key, series.series[s].key) << context;
      for (size_t b = 0; b < series.points.size(); ++b)
        expect_same_metrics(expected_series.series[s].points[b], series.series[s].points[b],
                            context + " series " + series.series[s].key);
    }

    const auto expected_cells = engine::heatmap(*snapshot, filter);
    const auto cells = shapes.heatmap(filter);
    ASSERT_EQ(expected_cells.size(), cells.size());
    for (size_t c = 0; c < cells.size(); ++c)
      expect_same_metrics(expected_cells[c], cells[c], describe(filter) + " heatmap");
  }
  EXPECT_GT(read_from_rollups, 30u);  // most of these questions were the rollups' to answer
}

// The random history stretched over three months (its times from its first taken four times),
// so that ranges hold whole months: their rows are read from rollup_month, the days around them
// from rollup_day, and the sessions are counted across both, spanning ones (resumed, shared,
// changing hints, crossing midnight or a month's end) included.
TEST(RollupMonthsTest, RangesOverWholeMonthsAnswerAsTheEngine) {
  testing::RandomHistory history = testing::make_random_history(20261206, 120);
  const int64_t origin = history.events.front().time_ms;
  for (testing::StoredEvent& e : history.events) e.time_ms = origin + (e.time_ms - origin) * 4;
  const auto stores = HistoryStores::of("months", std::move(history));
  if (!stores) GTEST_SKIP() << TestDatabase::kSkipReason;
  const Queries queries(*stores->client);
  const PeopleQueries people(*stores->client);
  const auto snapshot = stores->engine->snapshot();
  const int64_t first_day = floor_div(*snapshot->first_time(), kMsPerDay);
  const int64_t days = floor_div(*snapshot->last_time(), kMsPerDay) - first_day + 1;
  ASSERT_GT(days, 62);
  const Dimension dimensions[] = {{Dimension::kPractice}, {Dimension::kEmail},
                                  {Dimension::kModel},    {Dimension::kTool},
                                  {Dimension::kTerminal}, {Dimension::kEventType}};
  std::mt19937_64 random(6);
  size_t months_and_days = 0;
  for (int i = 0; i < 40; ++i) {
    engine::Filter filter = rollup_filter(*stores, random);
    const auto any_day = [&] {
      return (first_day - 2 + static_cast<int64_t>(random() % (days + 4))) * kMsPerDay;
    };
    filter.from_ms = random() % 4 == 0 ? std::nullopt : std::optional(any_day());
    filter.to_ms = random() % 4 == 0 ? std::nullopt : std::optional(any_day());
    if (filter.from_ms && filter.to_ms && *filter.from_ms > *filter.to_ms)
      std::swap(*filter.from_ms, *filter.to_ms);
    if (tables(*stores, filter).starts_with("rollup_month rollup_day")) ++months_and_days;

    const std::string context = describe(filter);
    expect_same_metrics(engine::summarize(*snapshot, filter).metrics,
                        queries.summarize(filter).metrics, context);
    const Dimension by = dimensions[random() % std::size(dimensions)];
    const auto expected_rows = engine::breakdown(*snapshot, filter, by, engine::Metric::kEvents);
    const auto rows = queries.breakdown(filter, by, engine::Metric::kEvents);
    ASSERT_EQ(expected_rows.size(), rows.size()) << context;
    for (size_t r = 0; r < rows.size(); ++r) {
      EXPECT_EQ(expected_rows[r].key, rows[r].key) << context;
      expect_same_metrics(expected_rows[r].metrics, rows[r].metrics,
                          context + " by " + std::string(dimension_name(by)));
    }
    const engine::SessionOrder newest{engine::SessionField::kStart};
    EXPECT_EQ(engine::list_sessions(*snapshot, filter, newest, 5, 0).total,
              people.list_sessions(filter, newest, 5, 0).total)
        << context;
    // The users page: figures from months and days, active days from the days alone.
    const engine::UserOrder order =
        random() % 2
            ? engine::UserOrder{engine::UserField::kActiveDays}
            : engine::UserOrder{engine::UserField::kMetric, engine::Metric::kCostUsd, true};
    const auto expected_users = engine::list_users(*snapshot, filter, order, 8, 0);
    const auto users = people.list_users(filter, order, 8, 0);
    ASSERT_EQ(expected_users.total, users.total) << context;
    ASSERT_EQ(expected_users.rows.size(), users.rows.size()) << context;
    for (size_t r = 0; r < users.rows.size(); ++r) {
      const std::string who = context + " user row " + std::to_string(r);
      EXPECT_EQ(expected_users.rows[r].email, users.rows[r].email) << who;
      EXPECT_EQ(expected_users.rows[r].first_seen_ms, users.rows[r].first_seen_ms) << who;
      EXPECT_EQ(expected_users.rows[r].last_seen_ms, users.rows[r].last_seen_ms) << who;
      EXPECT_EQ(expected_users.rows[r].active_days, users.rows[r].active_days) << who;
      expect_same_metrics(expected_users.rows[r].metrics, users.rows[r].metrics, who);
    }
  }
  EXPECT_GT(months_and_days, 8u);
}

// People are counted by their rollup numbers only while no two share one; two that do (made
// here by hand: cityHash64 collisions are too rare to meet) turn the count to the strings.
TEST(UserKeysTest, TwoPeopleSharingANumberAreCountedByName) {
  const auto database = TestDatabase::create("user_keys");
  if (!database) GTEST_SKIP() << TestDatabase::kSkipReason;
  const ClickHouseClient client(database->url());
  ensure_schema(client);
  const std::string months = kRollupTables[kMonthRollup].name;
  const auto add = [&](const std::string& user, const std::string& key) {
    client.query("INSERT INTO " + months +
                 " (dimension, value, day, start_ms, user, user_key, events) VALUES ('', '', "
                 "'2026-01-01', 1767225600000, '" +
                 user + "', " + key + ", 1)");
  };
  add("a@example.com", "cityHash64('a@example.com')");
  add("b@example.com", "cityHash64('b@example.com')");
  EXPECT_TRUE(People(client).user_keys_unique());
  const RollupTable& hours = kRollupTables[kHourRollup];
  EXPECT_TRUE(metric_source(People(client), {}, std::nullopt, kMsPerHour)
                  .people_rows.starts_with(std::string(hours.people) + " "));
  add("c@example.com", "cityHash64('a@example.com')");
  const People people(client);
  EXPECT_FALSE(people.user_keys_unique());
  EXPECT_EQ(metric_source(people, {}, std::nullopt).people, "uniqExact(user)");
  // Nor does an hourly question read the hour rollup's people table, which holds numbers only.
  EXPECT_TRUE(metric_source(people, {}, std::nullopt, kMsPerHour)
                  .people_rows.starts_with(std::string(hours.name) + " "));
}

}  // namespace
}  // namespace cca::clickhouse
