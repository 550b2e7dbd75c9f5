// Every query of the engine against plain SQL over the same store, under seeded random filter
// combinations: counts must be equal and sums equal to 1e-9 relative.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>

#include "common/time_util.h"
#include "engine/breakdown.h"
#include "engine/distribution.h"
#include "engine/engine.h"
#include "engine/facets.h"
#include "engine/heatmap.h"
#include "engine/latency.h"
#include "engine/metric_check.h"
#include "engine/random_store.h"
#include "engine/sessions.h"
#include "engine/sql_oracle.h"
#include "engine/summary.h"
#include "engine/temp_store.h"
#include "engine/timeseries.h"
#include "engine/users.h"

namespace cca::engine {
namespace {

using testing::describe;
using testing::RandomHistory;
using testing::SqlMetrics;

// How the engine under test was loaded: refreshed along as the rows arrived; from a snapshot file
// the refreshed engine wrote at the end (every row from the file); from one it wrote after the
// first refresh (the later rows and the full directory from the store); started on three fifths
// of the rows with segments of a few hundred rows, so that its first load goes by time ranges and
// its refreshes stop compacting at that size.
enum class Load { kRefreshes, kSnapshotFile, kSnapshotFilePrefix, kSmallSegments };

class DifferentialTest : public ::testing::TestWithParam<Load> {
 protected:
  static void SetUpTestSuite() {
    store_ = std::make_unique<testing::TempStore>();
    db_ = std::make_unique<store::Database>(store_->path());
    history_ = testing::make_random_history(20260105);
    testing::StoreWriter writer(*db_);
    // A partial directory first; the full one arrives after the events, and must re-label them.
    std::vector<testing::StoredEmployee> partial(history_.directory.begin(),
                                                 history_.directory.begin() + 3);
    writer.replace_directory(partial);
    // Several refreshes: late arrivals merged into the first segment, then appended batches.
    const auto& events = history_.events;  // in time order
    const size_t n = events.size();
    std::vector<testing::StoredEvent> first, late;
    for (size_t i = 0; i < n * 2 / 5; ++i) (i % 17 == 5 ? late : first).push_back(events[i]);
    writer.insert(first);
    snapshot_path_ = store_->path() + ".snapshot";
    EngineOptions options;
    options.snapshot_path = snapshot_path_;
    engine_ = std::make_unique<Engine>(store_->path(), options);
    writer.insert(late);
    engine_->refresh();
    ASSERT_TRUE(engine_->write_snapshot());
    writer.insert({events.begin() + n * 2 / 5, events.begin() + n * 3 / 5});
    engine_->refresh();
    EngineOptions small_segments;
    small_segments.segment_rows = 300;
    small_segments_ = std::make_unique<Engine>(store_->path(), small_segments);
    // Loaded by time ranges: more segments than a load by seq makes, none above the size.
    ASSERT_GT(small_segments_->snapshot()->segments.size(), n * 3 / 5 / 300);
    for (const auto& segment : small_segments_->snapshot()->segments)
      ASSERT_LE(segment->size(), 2 * small_segments.segment_rows);
    writer.insert({events.begin() + n * 3 / 5, events.begin() + n * 4 / 5});
    engine_->refresh();
    small_segments_->refresh();
    writer.insert({events.begin() + n * 4 / 5, events.end()});
    engine_->refresh();
    small_segments_->refresh();
    writer.replace_directory(history_.directory);
    engine_->refresh();
    small_segments_->refresh();
    from_prefix_ = std::make_unique<Engine>(store_->path(), options);
    ASSERT_TRUE(from_prefix_->start_report().from_snapshot_file);
    ASSERT_GT(from_prefix_->start_report().events_from_file, 0u);
    ASSERT_GT(from_prefix_->start_report().events_from_store, 0u);
    ASSERT_TRUE(engine_->write_snapshot());
    from_file_ = std::make_unique<Engine>(store_->path(), options);
    ASSERT_TRUE(from_file_->start_report().from_snapshot_file);
    ASSERT_EQ(0u, from_file_->start_report().events_from_store);
    oracle_ = std::make_unique<testing::SqlOracle>(*db_);
  }

  const Engine& engine() const {
    switch (GetParam()) {
      case Load::kRefreshes:
        return *engine_;
      case Load::kSnapshotFile:
        return *from_file_;
      case Load::kSnapshotFilePrefix:
        return *from_prefix_;
      case Load::kSmallSegments:
        return *small_segments_;
    }
    return *engine_;
  }

  static void TearDownTestSuite() {
    oracle_.reset();
    from_file_.reset();
    from_prefix_.reset();
    small_segments_.reset();
    engine_.reset();
    db_.reset();
    store_.reset();
  }

  static Filter random_filter(std::mt19937_64& random) {
    return testing::random_filter(history_, *oracle_->data_first_time(), *oracle_->data_last_time(),
                                  random);
  }

  static std::unique_ptr<testing::TempStore> store_;
  static std::unique_ptr<store::Database> db_;
  static RandomHistory history_;
  static std::unique_ptr<Engine> engine_, from_file_, from_prefix_, small_segments_;
  static std::string snapshot_path_;
  static std::unique_ptr<testing::SqlOracle> oracle_;
};

std::unique_ptr<testing::TempStore> DifferentialTest::store_;
std::unique_ptr<store::Database> DifferentialTest::db_;
RandomHistory DifferentialTest::history_;
std::unique_ptr<Engine> DifferentialTest::engine_;
std::unique_ptr<Engine> DifferentialTest::from_file_;
std::unique_ptr<Engine> DifferentialTest::from_prefix_;
std::unique_ptr<Engine> DifferentialTest::small_segments_;
std::string DifferentialTest::snapshot_path_;
std::unique_ptr<testing::SqlOracle> DifferentialTest::oracle_;

TEST_P(DifferentialTest, StoreHasSeveralSegmentsAndEveryEvent) {
  const auto snapshot = engine().snapshot();
  EXPECT_GT(snapshot->segments.size(), 1u);
  EXPECT_EQ(static_cast<int64_t>(snapshot->events), oracle_->summary({}).events);
  for (size_t i = 1; i < snapshot->segments.size(); ++i)
    EXPECT_LE(snapshot->segments[i - 1]->last_time(), snapshot->segments[i]->first_time());
}

TEST_P(DifferentialTest, Summary) {
  std::mt19937_64 random(1);
  const auto snapshot = engine().snapshot();
  for (int i = 0; i < 150; ++i) {
    const Filter filter = random_filter(random);
    const Summary summary = summarize(*snapshot, filter);
    testing::expect_same_metrics(oracle_->summary(filter), summary.metrics, describe(filter));
    EXPECT_EQ(oracle_->first_time(filter), summary.first_event_ms) << describe(filter);
    EXPECT_EQ(oracle_->last_time(filter), summary.last_event_ms) << describe(filter);
  }
}

// Every fixed dimension, then each custom attribute's, one of which no event carries.
std::vector<Dimension> dimensions_to_check(const RandomHistory& history) {
  static std::vector<std::string> names;
  std::vector<Dimension> dimensions(all_dimensions().begin(), all_dimensions().end());
  names.clear();
  for (const auto& [key, values] : history.attributes) names.push_back("attr." + key);
  for (const std::string& name : names) dimensions.push_back(*parse_dimension(name));
  return dimensions;
}

TEST_P(DifferentialTest, BreakdownByEveryDimension) {
  std::mt19937_64 random(2);
  const auto snapshot = engine().snapshot();
  for (const Dimension dimension : dimensions_to_check(history_)) {
    const std::string name(dimension_name(dimension));
    for (int i = 0; i < 25; ++i) {
      const Filter filter = random_filter(random);
      const std::string context = name + " " + describe(filter);
      const auto expected = oracle_->grouped(filter, testing::SqlOracle::dimension_sql(name));
      const std::vector<BreakdownRow> rows = breakdown(*snapshot, filter, dimension);
      ASSERT_EQ(expected.size(), rows.size()) << context;
      for (const BreakdownRow& row : rows) {
        const auto it = expected.find(row.key);
        ASSERT_NE(it, expected.end()) << context << " key " << row.key;
        testing::expect_same_metrics(it->second, row.metrics, context + " key " + row.key);
      }
      // Sorted by events descending, ties by key.
      for (size_t r = 1; r < rows.size(); ++r) {
        const auto& a = rows[r - 1];
        const auto& b = rows[r];
        EXPECT_TRUE(a.metrics.events > b.metrics.events ||
                    (a.metrics.events == b.metrics.events && a.key < b.key))
            << context;
      }
    }
  }
}

TEST_P(DifferentialTest, BreakdownSortedByAnotherMetric) {
  const auto snapshot = engine().snapshot();
  const std::vector<BreakdownRow> rows =
      breakdown(*snapshot, {}, Dimension::kEmail, Metric::kCostPerSession);
  ASSERT_GT(rows.size(), 2u);
  for (size_t r = 1; r < rows.size(); ++r) {
    const double a = rows[r - 1].metrics.cost_usd / rows[r - 1].metrics.sessions;
    const double b = rows[r].metrics.cost_usd / rows[r].metrics.sessions;
    EXPECT_GE(a, b);
  }
}

TEST_P(DifferentialTest, TimeseriesEveryBucket) {
  std::mt19937_64 random(3);
  const auto snapshot = engine().snapshot();
  const std::string day = "(e.time_ms / 86400000) * 86400000";
  const std::pair<Bucket, std::string> buckets[] = {
      {Bucket::kHour, "(e.time_ms / 3600000) * 3600000"},
      {Bucket::kDay, day},
      {Bucket::kWeek, day + " - ((e.time_ms / 86400000 + 3) % 7) * 86400000"},
  };
  for (const auto& [bucket, key_sql] : buckets) {
    for (int i = 0; i < 25; ++i) {
      const Filter filter = random_filter(random);
      const std::string context = std::string(bucket_name(bucket)) + " " + describe(filter);
      const Timeseries series = timeseries(*snapshot, filter, bucket);
      const auto expected = oracle_->grouped_int(filter, key_sql);
      // Dense over the filter's range, else the data's.
      const int64_t start = filter.from_ms.value_or(*oracle_->data_first_time());
      const int64_t end = filter.to_ms.value_or(*oracle_->data_last_time() + 1);
      if (end <= start) {
        EXPECT_TRUE(series.points.empty()) << context;
        continue;
      }
      ASSERT_FALSE(series.starts.empty()) << context;
      EXPECT_EQ(bucket_start(bucket, start), series.starts.front()) << context;
      EXPECT_EQ(bucket_start(bucket, end - 1), series.starts.back()) << context;
      ASSERT_EQ(series.starts.size(), series.points.size());
      uint64_t events = 0;
      for (size_t p = 0; p < series.points.size(); ++p) {
        if (p > 0) {
          EXPECT_EQ(series.starts[p - 1] + bucket_width_ms(bucket), series.starts[p]) << context;
        }
        const auto it = expected.find(series.starts[p]);
        testing::expect_same_metrics(it == expected.end() ? SqlMetrics{} : it->second,
                                     series.points[p],
                                     context + " bucket " + format_rfc3339_s(series.starts[p]));
        events += series.points[p].events;
      }
      EXPECT_EQ(oracle_->summary(filter).events, static_cast<int64_t>(events)) << context;
    }
  }
}

TEST_P(DifferentialTest, TimeseriesSplitSeries) {
  std::mt19937_64 random(4);
  const auto snapshot = engine().snapshot();
  for (const Dimension split :
       {Dimension(Dimension::kModel), Dimension(Dimension::kPractice), Dimension(Dimension::kTool),
        Dimension::attribute("attr.team.id")}) {
    for (int i = 0; i < 15; ++i) {
      const Filter filter = random_filter(random);
      const std::string name(dimension_name(split));
      const std::string context = name + " " + describe(filter);
      const Timeseries series = timeseries(*snapshot, filter, Bucket::kDay, split, 2);
      const auto totals = oracle_->grouped(filter, testing::SqlOracle::dimension_sql(name));
      // The two largest values by events, ties by value.
      std::vector<std::pair<int64_t, std::string>> ranked;
      for (const auto& [key, metrics] : totals) ranked.push_back({-metrics.events, key});
      std::sort(ranked.begin(), ranked.end());
      ASSERT_EQ(std::min<size_t>(2, ranked.size()), series.series.size()) << context;
      for (size_t s = 0; s < series.series.size(); ++s) {
        const TimeSeries& one = series.series[s];
        EXPECT_EQ(ranked[s].second, one.key) << context;
        Filter only = filter;
        const std::string key_sql = testing::SqlOracle::dimension_sql(name);
        const auto by_day =
            oracle_->grouped_int(only, "CASE WHEN " + key_sql + " = '" + one.key +
                                           "' THEN (e.time_ms / 86400000) * 86400000 ELSE -1 END");
        ASSERT_EQ(series.starts.size(), one.points.size());
        for (size_t p = 0; p < one.points.size(); ++p) {
          const auto it = by_day.find(series.starts[p]);
          testing::expect_same_metrics(it == by_day.end() ? SqlMetrics{} : it->second,
                                       one.points[p], context + " series " + one.key);
        }
      }
    }
  }
}

TEST_P(DifferentialTest, TimeseriesSplitByChosenValues) {
  // compare=previous asks the previous period for the current period's series, whether or not
  // they lead it; a value without events gets zeros.
  std::mt19937_64 random(15);
  const auto snapshot = engine().snapshot();
  const std::vector<std::string> chosen = {history_.models[2], "no-such-model", history_.models[0]};
  for (int i = 0; i < 10; ++i) {
    const Filter filter = random_filter(random);
    const std::string context = describe(filter);
    const Timeseries series =
        timeseries(*snapshot, filter, Bucket::kDay, Dimension::kModel, 1, &chosen);
    ASSERT_EQ(chosen.size(), series.series.size()) << context;
    for (size_t s = 0; s < chosen.size(); ++s) {
      EXPECT_EQ(chosen[s], series.series[s].key);
      const auto by_day =
          oracle_->grouped_int(filter, "CASE WHEN e.model = '" + chosen[s] +
                                           "' THEN (e.time_ms / 86400000) * 86400000 ELSE -1 END");
      for (size_t p = 0; p < series.starts.size(); ++p) {
        const auto it = by_day.find(series.starts[p]);
        testing::expect_same_metrics(it == by_day.end() ? SqlMetrics{} : it->second,
                                     series.series[s].points[p], context + " " + chosen[s]);
      }
    }
  }
}

TEST_P(DifferentialTest, Heatmap) {
  std::mt19937_64 random(5);
  const auto snapshot = engine().snapshot();
  for (int i = 0; i < 40; ++i) {
    const Filter filter = random_filter(random);
    const auto expected = oracle_->grouped_int(
        filter, "((e.time_ms / 86400000 + 3) % 7) * 24 + (e.time_ms % 86400000) / 3600000");
    const std::vector<MetricSet> cells = heatmap(*snapshot, filter);
    ASSERT_EQ(168u, cells.size());
    for (int cell = 0; cell < 168; ++cell) {
      const auto it = expected.find(cell);
      testing::expect_same_metrics(it == expected.end() ? SqlMetrics{} : it->second, cells[cell],
                                   describe(filter) + " cell " + std::to_string(cell));
    }
  }
}

TEST_P(DifferentialTest, SessionsEveryRowAndTheirOrder) {
  std::mt19937_64 random(6);
  const auto snapshot = engine().snapshot();
  for (int i = 0; i < 40; ++i) {
    const Filter filter = random_filter(random);
    const std::string context = describe(filter);
    const auto expected = oracle_->sessions(filter);
    const SessionsPage page = list_sessions(*snapshot, filter, {SessionField::kStart}, 1000, 0);
    ASSERT_EQ(expected.size(), page.total) << context;
    ASSERT_EQ(expected.size(), page.rows.size()) << context;
    for (size_t r = 0; r < page.rows.size(); ++r) {
      const SessionRow& row = page.rows[r];
      const auto it = expected.find(row.session_id);
      ASSERT_NE(it, expected.end()) << context;
      const auto& want = it->second;
      testing::expect_same_metrics(want.metrics, row.metrics, context + " " + row.session_id);
      EXPECT_EQ(want.start_ms, row.start_ms) << context;
      EXPECT_EQ(want.end_ms, row.end_ms) << context;
      EXPECT_EQ(want.email, row.email) << context;
      EXPECT_EQ(want.practice, row.practice) << context;
      EXPECT_EQ(want.level, row.level) << context;
      EXPECT_EQ(want.location, row.location) << context;
      EXPECT_EQ(want.terminal, row.terminal) << context;
      if (r > 0) {
        const SessionRow& before = page.rows[r - 1];
        EXPECT_TRUE(*before.start_ms > *row.start_ms ||
                    (*before.start_ms == *row.start_ms && before.session_id < row.session_id))
            << context;
      }
    }
  }
}

TEST_P(DifferentialTest, SessionsPagesSortedByAMetricAscending) {
  const auto snapshot = engine().snapshot();
  const auto expected = oracle_->sessions({});
  std::vector<std::pair<int64_t, std::string>> by_cost;  // cost in micro-dollars is not exact,
  std::vector<std::string> ids;                          // so order by prompts, an exact count
  for (const auto& [id, session] : expected) by_cost.push_back({session.metrics.user_prompts, id});
  std::sort(by_cost.begin(), by_cost.end());
  for (const auto& [prompts, id] : by_cost) ids.push_back(id);
  const SessionOrder order{SessionField::kMetric, Metric::kUserPrompts, true};
  std::vector<std::string> paged;
  for (size_t offset = 0; offset < ids.size(); offset += 7) {
    const SessionsPage page = list_sessions(*snapshot, {}, order, 7, offset);
    EXPECT_EQ(ids.size(), page.total);
    for (const SessionRow& row : page.rows) paged.push_back(row.session_id);
  }
  EXPECT_EQ(ids, paged);
}

TEST_P(DifferentialTest, SessionDetailEvents) {
  std::mt19937_64 random(7);
  const auto snapshot = engine().snapshot();
  const auto all = oracle_->sessions({});
  int checked = 0;
  for (const auto& [id, session] : all) {
    if (checked++ % 5 != 0) continue;
    const Filter filter = random_filter(random);
    Filter by_session = filter;
    const auto detail = session_detail(*snapshot, filter, id);
    ASSERT_TRUE(detail.has_value()) << id;
    const auto expected = oracle_->sessions(filter);
    const auto it = expected.find(id);
    if (it == expected.end()) {
      EXPECT_TRUE(detail->events.empty()) << id << " " << describe(filter);
      EXPECT_EQ(0u, detail->row.metrics.events);
      continue;
    }
    testing::expect_same_metrics(it->second.metrics, detail->row.metrics, id);
    ASSERT_EQ(static_cast<size_t>(it->second.metrics.events), detail->events.size());
    for (size_t e = 1; e < detail->events.size(); ++e)
      EXPECT_LE(detail->events[e - 1].time_ms, detail->events[e].time_ms);
    EXPECT_EQ(it->second.start_ms, detail->events.front().time_ms);
  }
  EXPECT_FALSE(session_detail(*snapshot, {}, "no-such-session").has_value());
}

TEST_P(DifferentialTest, UsersEveryRow) {
  std::mt19937_64 random(8);
  const auto snapshot = engine().snapshot();
  for (int i = 0; i < 40; ++i) {
    const Filter filter = random_filter(random);
    const std::string context = describe(filter);
    const auto expected = oracle_->users(filter);
    const UsersPage page =
        list_users(*snapshot, filter, {UserField::kMetric, Metric::kCostUsd}, 1000, 0);
    ASSERT_EQ(expected.size(), page.total) << context;
    for (size_t r = 0; r < page.rows.size(); ++r) {
      const UserRow& row = page.rows[r];
      const auto it = expected.find(row.email);
      ASSERT_NE(it, expected.end()) << context;
      const auto& want = it->second;
      testing::expect_same_metrics(want.metrics, row.metrics, context + " " + row.email);
      EXPECT_EQ(want.first_ms, row.first_seen_ms) << context;
      EXPECT_EQ(want.last_ms, row.last_seen_ms) << context;
      EXPECT_EQ(want.active_days, static_cast<int64_t>(row.active_days)) << context;
      EXPECT_EQ(want.full_name, row.full_name) << context;
      EXPECT_EQ(want.practice, row.practice) << context << " " << row.email;
      EXPECT_EQ(want.level, row.level) << context;
      EXPECT_EQ(want.location, row.location) << context;
      if (r > 0) {
        EXPECT_GE(page.rows[r - 1].metrics.cost_usd, row.metrics.cost_usd);
      }
    }
  }
}

TEST_P(DifferentialTest, UserProfileCalendar) {
  std::mt19937_64 random(9);
  const auto snapshot = engine().snapshot();
  for (const std::string& email : history_.emails) {
    const Filter filter = random_filter(random);
    const auto profile = user_profile(*snapshot, filter, email);
    if (!profile) {
      EXPECT_EQ("nobody@example.com", email);
      continue;
    }
    // The user's own events under the filter; none when the filter names other users only.
    Filter own = filter;
    const auto lowered = [](std::string text) {
      for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return text;
    };
    const bool excluded =
        !filter.email.empty() &&
        std::none_of(filter.email.begin(), filter.email.end(),
                     [&](const std::string& value) { return lowered(value) == lowered(email); });
    if (excluded) {
      EXPECT_TRUE(profile->calendar.empty()) << email;
      EXPECT_EQ(0u, profile->row.metrics.events) << email;
      continue;
    }
    own.email = {email};
    const auto users = oracle_->users(own);
    const auto days = oracle_->grouped_int(own, "(e.time_ms / 86400000) * 86400000");
    ASSERT_EQ(days.size(), profile->calendar.size()) << email;
    for (const CalendarDay& day : profile->calendar) {
      const auto it = days.find(day.day_ms);
      ASSERT_NE(it, days.end());
      EXPECT_EQ(it->second.events, static_cast<int64_t>(day.events));
      EXPECT_EQ(it->second.sessions, static_cast<int64_t>(day.sessions));
      EXPECT_TRUE(testing::near_relative(it->second.cost_usd, day.cost_usd));
    }
    if (!users.empty())
      testing::expect_same_metrics(users.begin()->second.metrics, profile->row.metrics, email);
  }
}

TEST_P(DifferentialTest, LatencyPercentilesExact) {
  std::mt19937_64 random(10);
  const auto snapshot = engine().snapshot();
  for (int i = 0; i < 60; ++i) {
    const Filter filter = i < 2 ? Filter{} : random_filter(random);
    for (const bool by_model : {true, false}) {
      const std::string context = describe(filter) + (by_model ? " by model" : " by tool");
      const auto expected = oracle_->durations(filter, by_model);
      const std::vector<LatencyRow> rows =
          latency(*snapshot, filter, by_model ? LatencyBy::kModel : LatencyBy::kTool);
      ASSERT_EQ(expected.size(), rows.size()) << context;
      for (const LatencyRow& row : rows) {
        const auto it = expected.find(row.key);
        ASSERT_NE(it, expected.end()) << context;
        const std::vector<double>& sorted = it->second;
        double sum = 0;
        for (const double v : sorted) sum += v;
        EXPECT_EQ(sorted.size(), row.duration_ms.count) << context;
        EXPECT_TRUE(testing::near_relative(sum / sorted.size(), row.duration_ms.mean)) << context;
        EXPECT_EQ(testing::nearest_rank(sorted, 50), row.duration_ms.p50) << context;
        EXPECT_EQ(testing::nearest_rank(sorted, 90), row.duration_ms.p90) << context;
        EXPECT_EQ(testing::nearest_rank(sorted, 95), row.duration_ms.p95) << context;
        EXPECT_EQ(testing::nearest_rank(sorted, 99), row.duration_ms.p99) << context;
        EXPECT_EQ(sorted.back(), row.duration_ms.max) << context;
      }
    }
  }
}

TEST_P(DifferentialTest, LatencyTimeseriesExact) {
  std::mt19937_64 random(14);
  const auto snapshot = engine().snapshot();
  for (int i = 0; i < 20; ++i) {
    const Filter filter = i == 0 ? Filter{} : random_filter(random);
    for (const bool of_requests : {true, false}) {
      const std::string context =
          describe(filter) + (of_requests ? " api_request" : " tool_result");
      const LatencySeries series =
          latency_timeseries(*snapshot, filter, of_requests ? LatencyBy::kModel : LatencyBy::kTool,
                             LatencyMeasure::kDurationMs, Bucket::kDay);
      ASSERT_EQ(series.starts.size(), series.duration_ms.size()) << context;
      size_t total = 0;
      for (size_t b = 0; b < series.starts.size(); ++b) {
        Filter day = filter;
        day.from_ms = std::max(filter.from_ms.value_or(INT64_MIN), series.starts[b]);
        day.to_ms = std::min(filter.to_ms.value_or(INT64_MAX), series.starts[b] + kMsPerDay);
        std::vector<double> sorted;
        for (const auto& [key, values] : oracle_->durations(day, of_requests))
          sorted.insert(sorted.end(), values.begin(), values.end());
        std::sort(sorted.begin(), sorted.end());
        const Percentiles& p = series.duration_ms[b];
        ASSERT_EQ(sorted.size(), p.count) << context << " bucket " << b;
        total += p.count;
        if (sorted.empty()) continue;
        EXPECT_EQ(testing::nearest_rank(sorted, 50), p.p50) << context;
        EXPECT_EQ(testing::nearest_rank(sorted, 95), p.p95) << context;
        EXPECT_EQ(testing::nearest_rank(sorted, 99), p.p99) << context;
        EXPECT_EQ(sorted.back(), p.max) << context;
      }
      size_t everything = 0;
      for (const auto& [key, values] : oracle_->durations(filter, of_requests))
        everything += values.size();
      EXPECT_EQ(everything, total) << context << ": every measured event is in a bucket";
    }
  }
}

TEST_P(DifferentialTest, SessionDistributions) {
  std::mt19937_64 random(11);
  const auto snapshot = engine().snapshot();
  for (int i = 0; i < 30; ++i) {
    const Filter filter = random_filter(random);
    const auto sessions = oracle_->sessions(filter);
    for (const SessionQuantity of :
         {SessionQuantity::kDurationS, SessionQuantity::kPrompts, SessionQuantity::kCostUsd}) {
      std::vector<double> values;
      for (const auto& [id, s] : sessions) {
        values.push_back(of == SessionQuantity::kDurationS ? (s.end_ms - s.start_ms) / 1000.0
                         : of == SessionQuantity::kPrompts
                             ? static_cast<double>(s.metrics.user_prompts)
                             : s.metrics.cost_usd);
      }
      std::sort(values.begin(), values.end());
      const std::string context = describe(filter) + " " + std::string(session_quantity_name(of));
      const Distribution d = session_distribution(*snapshot, filter, of, 7);
      ASSERT_EQ(values.size(), d.stats.count) << context;
      if (values.empty()) continue;
      EXPECT_TRUE(testing::near_relative(testing::nearest_rank(values, 50), d.stats.p50));
      EXPECT_TRUE(testing::near_relative(testing::nearest_rank(values, 90), d.stats.p90));
      EXPECT_TRUE(testing::near_relative(testing::nearest_rank(values, 99), d.stats.p99));
      EXPECT_TRUE(testing::near_relative(values.front(), d.stats.min));
      EXPECT_TRUE(testing::near_relative(values.back(), d.stats.max));
      size_t binned = 0;
      // Bin membership is exact for durations and prompt counts; a session's cost is a sum whose
      // last bit depends on the order of addition, which would move values across an edge.
      const bool exact = of != SessionQuantity::kCostUsd;
      for (size_t b = 0; b < d.bins.size(); ++b) {
        const bool last = b + 1 == d.bins.size();
        const size_t inside =
            static_cast<size_t>(std::count_if(values.begin(), values.end(), [&](double v) {
              return v >= d.bins[b].lo && (last ? v <= d.bins[b].hi : v < d.bins[b].hi);
            }));
        if (exact) {
          EXPECT_EQ(inside, d.bins[b].count) << context << " bin " << b;
        }
        binned += d.bins[b].count;
      }
      EXPECT_EQ(values.size(), binned) << context;
    }
  }
}

std::vector<std::pair<std::string, int64_t>> as_pairs(const FacetList& list) {
  std::vector<std::pair<std::string, int64_t>> pairs;
  for (const FacetValue& value : list) pairs.emplace_back(value.value, value.events);
  return pairs;
}

TEST_P(DifferentialTest, FacetsLeaveOutTheirOwnFilter) {
  std::mt19937_64 random(12);
  const auto snapshot = engine().snapshot();
  for (int i = 0; i < 40; ++i) {
    const Filter filter = random_filter(random);
    const Facets answer = facets(*snapshot, filter);
    const std::string context = describe(filter);
    const auto check = [&](std::vector<std::string> Filter::*member, const std::string& value_sql,
                           const FacetList& list, const char* name) {
      Filter relaxed = filter;
      (relaxed.*member).clear();
      EXPECT_EQ(oracle_->counted(relaxed, value_sql), as_pairs(list)) << name << ": " << context;
    };
    check(&Filter::practice, testing::SqlOracle::practice_sql(), answer.practice, "practice");
    check(&Filter::level, testing::SqlOracle::level_sql(), answer.level, "level");
    check(&Filter::location, testing::SqlOracle::location_sql(), answer.location, "location");
    check(&Filter::model, "e.model", answer.model, "model");
    check(&Filter::email, "e.user", answer.email, "email");
    check(&Filter::terminal, "e.terminal", answer.terminal, "terminal");
    check(&Filter::tool, "e.tool_name", answer.tool, "tool");
    check(&Filter::status_code, "e.status_code", answer.status_code, "status_code");
    check(&Filter::error, "e.error", answer.error, "error");
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, int64_t>>>> expected,
        actual;
    for (const auto& [key, values] : history_.attributes) {
      Filter without_key = filter;
      std::erase_if(without_key.attributes, [&](const auto& entry) { return entry.first == key; });
      auto found = oracle_->counted(without_key, testing::SqlOracle::attribute_sql(key));
      if (!found.empty()) expected.emplace_back(key, std::move(found));
    }
    std::sort(expected.begin(), expected.end());
    for (const auto& [key, list] : answer.attributes) actual.emplace_back(key, as_pairs(list));
    EXPECT_EQ(expected, actual) << context;
  }
}

TEST_P(DifferentialTest, PracticeFromACustomAttribute) {
  // The same store, read with serve --practice-attribute department; from a snapshot file
  // written with it too, unless loading refreshed.
  EngineOptions options;
  options.practice_attribute = "department";
  if (GetParam() != Load::kRefreshes) {
    options.snapshot_path = store_->path() + ".department.snapshot";
    ASSERT_TRUE(Engine(store_->path(), options).write_snapshot());
  }
  const Engine by_department(store_->path(), options);
  EXPECT_EQ(GetParam() != Load::kRefreshes, by_department.start_report().from_snapshot_file);
  const auto snapshot = by_department.snapshot();
  const std::string practice = testing::SqlOracle::practice_sql("department");
  std::mt19937_64 random(13);
  for (int i = 0; i < 25; ++i) {
    Filter filter = random_filter(random);
    filter.practice.clear();
    if (i % 2 == 1) filter.practice = {"research", "Platform Engineering", "Unknown"};
    const std::string context = describe(filter);
    // The practice filter too must follow the attribute: the oracle's where() does not, so it
    // filters by the grouped key instead.
    Filter any_practice = filter;
    any_practice.practice.clear();
    const auto expected = oracle_->grouped(any_practice, practice);
    std::map<std::string, SqlMetrics> wanted;
    for (const auto& [key, metrics] : expected)
      if (filter.practice.empty() ||
          std::find(filter.practice.begin(), filter.practice.end(), key) != filter.practice.end())
        wanted.emplace(key, metrics);
    const std::vector<BreakdownRow> rows = breakdown(*snapshot, filter, Dimension::kPractice);
    ASSERT_EQ(wanted.size(), rows.size()) << context;
    for (const BreakdownRow& row : rows) {
      const auto it = wanted.find(row.key);
      ASSERT_NE(it, wanted.end()) << context << " key " << row.key;
      testing::expect_same_metrics(it->second, row.metrics, context + " key " + row.key);
    }
  }
  // The attribute's values are practices only for users the directory does not list.
  bool some_research = false;
  for (const BreakdownRow& row : breakdown(*snapshot, {}, Dimension::kPractice))
    some_research = some_research || row.key == "research";
  EXPECT_TRUE(some_research);
}

INSTANTIATE_TEST_SUITE_P(Loads, DifferentialTest,
                         ::testing::Values(Load::kRefreshes, Load::kSnapshotFile,
                                           Load::kSnapshotFilePrefix, Load::kSmallSegments),
                         [](const ::testing::TestParamInfo<Load>& info) {
                           switch (info.param) {
                             case Load::kRefreshes:
                               return "Refreshes";
                             case Load::kSnapshotFile:
                               return "SnapshotFile";
                             case Load::kSnapshotFilePrefix:
                               return "SnapshotFilePrefix";
                             case Load::kSmallSegments:
                               return "SmallSegments";
                           }
                           return "Unknown";
                         });

}  // namespace
}  // namespace cca::engine
