// The shape questions (latency percentiles, heatmap, session distributions, facets) answered by
// ClickHouse against the embedded engine on the same random history: under seeded random filter
// combinations, counts and percentiles exactly, means and sums to 1e-9 relative.
#include "clickhouse/shape_queries.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>

#include "clickhouse/clickhouse_ingestor.h"
#include "clickhouse/facet_values.h"
#include "clickhouse/history_stores.h"
#include "clickhouse/latency_rollups.h"
#include "clickhouse/schema.h"
#include "clickhouse/session_days.h"
#include "common/time_util.h"
#include "engine/distribution.h"
#include "engine/facets.h"
#include "engine/heatmap.h"
#include "engine/latency.h"
#include "engine/metric_check.h"
#include "support/test_support.h"

namespace cca::clickhouse {
namespace {

using engine::LatencyBy;
using engine::LatencyMeasure;
using engine::Percentiles;
using testing::describe;
using testing::expect_same_metrics;
using testing::near_relative;

constexpr engine::Bucket kBuckets[] = {engine::Bucket::kHour, engine::Bucket::kDay,
                                       engine::Bucket::kWeek};
constexpr LatencyBy kBys[] = {LatencyBy::kModel, LatencyBy::kTool};
constexpr LatencyMeasure kMeasures[] = {LatencyMeasure::kDurationMs, LatencyMeasure::kTtftMs};

std::string latency_context(const engine::Filter& filter, LatencyBy by, LatencyMeasure measure) {
  return describe(filter) + (by == LatencyBy::kModel ? " by=model" : " by=tool") +
         (measure == LatencyMeasure::kDurationMs ? " measure=duration_ms" : " measure=ttft_ms");
}

// Counts and ranks exactly (both sides pick the same stored values); the mean to 1e-9 relative
// (both sides add the same values in different orders).
void expect_same_percentiles(const Percentiles& expected, const Percentiles& actual,
                             const std::string& context) {
  SCOPED_TRACE(context);
  EXPECT_EQ(expected.count, actual.count);
  EXPECT_TRUE(near_relative(expected.mean, actual.mean));
  EXPECT_EQ(expected.p50, actual.p50);
  EXPECT_EQ(expected.p90, actual.p90);
  EXPECT_EQ(expected.p95, actual.p95);
  EXPECT_EQ(expected.p99, actual.p99);
  EXPECT_EQ(expected.min, actual.min);
  EXPECT_EQ(expected.max, actual.max);
}

// The same, every figure to 1e-9 relative: for samples of sums (a session's cost).
void expect_near_percentiles(const Percentiles& expected, const Percentiles& actual,
                             const std::string& context) {
  SCOPED_TRACE(context);
  EXPECT_EQ(expected.count, actual.count);
  for (const auto member :
       {&Percentiles::mean, &Percentiles::p50, &Percentiles::p90, &Percentiles::p95,
        &Percentiles::p99, &Percentiles::min, &Percentiles::max})
    EXPECT_TRUE(near_relative(expected.*member, actual.*member));
}

class ShapeQueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stores_ = HistoryStores::get();
    if (!stores_) GTEST_SKIP() << TestDatabase::kSkipReason;
    queries_ = std::make_unique<ShapeQueries>(*stores_->client);
  }
  engine::Filter random_filter(std::mt19937_64& random) const {
    return stores_->random_filter(random);
  }
  std::shared_ptr<const engine::Snapshot> snapshot() const { return stores_->engine->snapshot(); }
  // Compares the latency rows of both stores; returns how many there were.
  size_t expect_same_latency(const engine::Filter& filter, LatencyBy by,
                             LatencyMeasure measure) const {
    const std::string context = latency_context(filter, by, measure);
    const auto expected = engine::latency(*snapshot(), filter, by, measure);
    const auto actual = queries_->latency(filter, by, measure);
    EXPECT_EQ(expected.size(), actual.size()) << context;
    for (size_t r = 0; r < std::min(expected.size(), actual.size()); ++r) {
      EXPECT_EQ(expected[r].key, actual[r].key) << context;
      expect_same_percentiles(expected[r].duration_ms, actual[r].duration_ms,
                              context + " row " + expected[r].key);
    }
    return expected.size();
  }

  const HistoryStores* stores_ = nullptr;
  std::unique_ptr<ShapeQueries> queries_;
};

TEST_F(ShapeQueriesTest, LatencyByModelAndToolUnderRandomFilters) {
  std::mt19937_64 random(11);
  size_t rows = 0;
  for (int i = 0; i < 80; ++i) {
    const engine::Filter filter = i == 0 ? engine::Filter() : random_filter(random);
    for (const LatencyBy by : kBys) {
      for (const LatencyMeasure measure : kMeasures)
        rows += expect_same_latency(filter, by, measure);
    }
  }
  EXPECT_GT(rows, 200u);  // the filters leave something to compare
}

// The filters the latency rollups express: whole UTC days, open on either side or not, within a
// month or across months (then the months wholly inside come from latency_month), and the rows'
// own models or tools, some of which no event has.
TEST_F(ShapeQueriesTest, LatencyFromTheLatencyRollupsUnderTheFiltersTheyExpress) {
  const int64_t first = floor_div(*snapshot()->first_time(), kMsPerDay) * kMsPerDay;
  const int64_t last = floor_div(*snapshot()->last_time(), kMsPerDay) * kMsPerDay;
  const int64_t span_days = (last - first) / kMsPerDay;
  std::mt19937_64 random(13);
  size_t rows = 0;
  for (int i = 0; i < 60; ++i) {
    engine::Filter filter;
    const auto day = [&] {
      return first + (static_cast<int64_t>(random() % (span_days + 70)) - 35) * kMsPerDay;
    };
    if (random() % 4 != 0) filter.from_ms = day();
    if (random() % 4 != 0) filter.to_ms = day();
    if (filter.from_ms && filter.to_ms && *filter.from_ms > *filter.to_ms)
      std::swap(filter.from_ms, filter.to_ms);
    for (const LatencyBy by : kBys) {
      engine::Filter keyed = filter;
      if (random() % 3 == 0) {
        const std::vector<std::string>& values =
            by == LatencyBy::kModel ? stores_->history.models : stores_->history.tools;
        (by == LatencyBy::kModel ? keyed.model : keyed.tool) = {values[random() % values.size()],
                                                                values[random() % values.size()]};
      }
      for (const LatencyMeasure measure : kMeasures) {
        const std::string context = latency_context(keyed, by, measure);
        ASSERT_TRUE(latency_rollup_condition(keyed, by, measure)) << context;
        rows += expect_same_latency(keyed, by, measure);
        // Day and week buckets read latency_day.
        for (const engine::Bucket bucket : {engine::Bucket::kDay, engine::Bucket::kWeek}) {
          const std::string where = context + " bucket=" + std::string(engine::bucket_name(bucket));
          const auto expected_series =
              engine::latency_timeseries(*snapshot(), keyed, by, measure, bucket);
          const auto actual_series = queries_->latency_timeseries(keyed, by, measure, bucket);
          ASSERT_EQ(expected_series.starts, actual_series.starts) << where;
          for (size_t b = 0; b < expected_series.duration_ms.size(); ++b)
            expect_same_percentiles(expected_series.duration_ms[b], actual_series.duration_ms[b],
                                    where + " bucket " + std::to_string(b));
        }
      }
    }
  }
  EXPECT_GT(rows, 100u);
  // What needs the events.
  engine::Filter practice, hours, tool_by_model;
  practice.practice = {stores_->history.practices.front()};
  hours.from_ms = first + kMsPerHour;
  tool_by_model.tool = {stores_->history.tools.front()};
  for (const engine::Filter* filter : {&practice, &hours, &tool_by_model})
    EXPECT_FALSE(latency_rollup_condition(*filter, LatencyBy::kModel, LatencyMeasure::kDurationMs))
        << describe(*filter);
}

TEST_F(ShapeQueriesTest, LatencySeriesUnderRandomFilters) {
  std::mt19937_64 random(12);
  size_t samples = 0;
  for (int i = 0; i < 40; ++i) {
    const engine::Filter filter = i == 0 ? engine::Filter() : random_filter(random);
    for (const engine::Bucket bucket : kBuckets) {
      for (const LatencyBy of : kBys) {
        const LatencyMeasure measure = kMeasures[random() % 2];
        const std::string context = latency_context(filter, of, measure) +
                                    " bucket=" + std::string(engine::bucket_name(bucket));
        const auto expected = engine::latency_timeseries(*snapshot(), filter, of, measure, bucket);
        const auto actual = queries_->latency_timeseries(filter, of, measure, bucket);
        ASSERT_EQ(expected.starts, actual.starts) << context;
        ASSERT_EQ(expected.duration_ms.size(), actual.duration_ms.size()) << context;
        for (size_t b = 0; b < expected.duration_ms.size(); ++b) {
          samples += expected.duration_ms[b].count;
          expect_same_percentiles(expected.duration_ms[b], actual.duration_ms[b],
                                  context + " bucket " + std::to_string(b));
        }
      }
    }
  }
  EXPECT_GT(samples, 1000u);
}

TEST_F(ShapeQueriesTest, HeatmapUnderRandomFilters) {
  std::mt19937_64 random(13);
  for (int i = 0; i < 60; ++i) {
    const engine::Filter filter = i == 0 ? engine::Filter() : random_filter(random);
    const auto expected = engine::heatmap(*snapshot(), filter);
    const auto actual = queries_->heatmap(filter);
    ASSERT_EQ(expected.size(), 168u);
    ASSERT_EQ(expected.size(), actual.size()) << describe(filter);
    for (size_t cell = 0; cell < expected.size(); ++cell)
      expect_same_metrics(expected[cell], actual[cell],
                          describe(filter) + " cell " + std::to_string(cell));
  }
}

TEST_F(ShapeQueriesTest, SessionDistributionsUnderRandomFilters) {
  std::mt19937_64 random(14);
  const engine::SessionQuantity quantities[] = {engine::SessionQuantity::kDurationS,
                                                engine::SessionQuantity::kPrompts,
                                                engine::SessionQuantity::kCostUsd};
  const size_t bin_choices[] = {0, 1, 2, 7, 20, engine::kMaxBins};
  // session_days gives some sessions' quantities from their one row, and sums the rows of others
  // (spanning days, people or hints, or written by several inserts): the history has both.
  const auto kinds = rows_of(stores_->client->query(
      "SELECT uniqExact(session_id), uniqExactIf(session_id, session_key IN (" +
      sessions_of_several_rows(std::string(kSessionDays) + " PREWHERE 1") + ")) FROM " +
      kSessionDays));
  EXPECT_GT(std::stoull(kinds.at(0).at(1)), 0u);
  EXPECT_LT(std::stoull(kinds.at(0).at(1)), std::stoull(kinds.at(0).at(0)));
  size_t sessions = 0, from_session_days = 0;
  for (int i = 0; i < 50; ++i) {
    // Every other filter one that session_days answers.
    const engine::Filter filter = i == 0       ? engine::Filter()
                                  : i % 2 == 1 ? stores_->random_session_days_filter(random)
                                               : random_filter(random);
    if (session_days_read(People(*stores_->client), filter)) ++from_session_days;
    for (const engine::SessionQuantity of : quantities) {
      const size_t bins = bin_choices[random() % std::size(bin_choices)];
      const std::string context = describe(filter) +
                                  " quantity=" + std::string(engine::session_quantity_name(of)) +
                                  " bins=" + std::to_string(bins);
      const auto expected = engine::session_distribution(*snapshot(), filter, of, bins);
      const auto actual = queries_->session_distribution(filter, of, bins);
      sessions += expected.stats.count;
      // A session's cost is a sum, added in another order on each side; the others are exact.
      const bool sums = of == engine::SessionQuantity::kCostUsd;
      if (sums) {
        expect_near_percentiles(expected.stats, actual.stats, context);
      } else {
        expect_same_percentiles(expected.stats, actual.stats, context);
      }
      ASSERT_EQ(expected.bins.size(), actual.bins.size()) << context;
      for (size_t b = 0; b < expected.bins.size(); ++b) {
        const std::string bin = context + " bin " + std::to_string(b);
        EXPECT_EQ(expected.bins[b].count, actual.bins[b].count) << bin;
        if (sums) {
          EXPECT_TRUE(near_relative(expected.bins[b].lo, actual.bins[b].lo)) << bin;
          EXPECT_TRUE(near_relative(expected.bins[b].hi, actual.bins[b].hi)) << bin;
        } else {
          EXPECT_EQ(expected.bins[b].lo, actual.bins[b].lo) << bin;
          EXPECT_EQ(expected.bins[b].hi, actual.bins[b].hi) << bin;
        }
      }
    }
  }
  EXPECT_GT(sessions, 1000u);
  EXPECT_GT(from_session_days, 25u);
}

void expect_same_facet(const engine::FacetList& expected, const engine::FacetList& actual,
                       const std::string& context) {
  ASSERT_EQ(expected.size(), actual.size()) << context;
  for (size_t v = 0; v < expected.size(); ++v) {
    EXPECT_EQ(expected[v].value, actual[v].value) << context;
    EXPECT_EQ(expected[v].events, actual[v].events) << context << " value " << expected[v].value;
  }
}

void expect_same_facets(const engine::Facets& expected, const engine::Facets& actual,
                        const std::string& context) {
  const std::pair<const char*, engine::FacetList engine::Facets::*> lists[] = {
      {"practice", &engine::Facets::practice}, {"level", &engine::Facets::level},
      {"location", &engine::Facets::location}, {"model", &engine::Facets::model},
      {"email", &engine::Facets::email},       {"terminal", &engine::Facets::terminal},
      {"tool", &engine::Facets::tool},         {"status_code", &engine::Facets::status_code},
      {"error", &engine::Facets::error}};
  for (const auto& [name, list] : lists)
    expect_same_facet(expected.*list, actual.*list, context + " facet " + name);
  ASSERT_EQ(expected.attributes.size(), actual.attributes.size()) << context;
  for (size_t k = 0; k < expected.attributes.size(); ++k) {
    EXPECT_EQ(expected.attributes[k].first, actual.attributes[k].first) << context;
    expect_same_facet(expected.attributes[k].second, actual.attributes[k].second,
                      context + " attribute " + expected.attributes[k].first);
  }
}

TEST_F(ShapeQueriesTest, FacetsUnderRandomFilters) {
  std::mt19937_64 random(15);
  size_t attribute_values = 0;
  for (int i = 0; i < 80; ++i) {
    const engine::Filter filter = i == 0 ? engine::Filter() : random_filter(random);
    const std::string context = describe(filter);
    const engine::Facets expected = engine::facets(*snapshot(), filter);
    const engine::Facets actual = queries_->facets(filter);
    expect_same_facets(expected, actual, context);
    for (const auto& [key, values] : expected.attributes) attribute_values += values.size();
  }
  EXPECT_GT(attribute_values, 100u);
}

// Under whole days and people, the custom attributes come from facet_values and the other facets
// from the rollups: the same as the engine's.
TEST_F(ShapeQueriesTest, FacetsOverWholeDaysAndPeopleAnswerFromTheFacetValues) {
  std::mt19937_64 random(16);
  size_t from_facet_values = 0;
  for (int i = 0; i < 40; ++i) {
    engine::Filter filter = i == 0 ? engine::Filter() : stores_->random_session_days_filter(random);
    if (i % 2 == 0) filter.terminal.clear();
    if (facet_values_conditions(People(*stores_->client), filter)) ++from_facet_values;
    expect_same_facets(engine::facets(*snapshot(), filter), queries_->facets(filter),
                       describe(filter));
  }
  EXPECT_GT(from_facet_values, 20u);
}

// The shared history carries no time to first token: a smaller one of its own, in both stores,
// where api_request events with a duration mostly carry one too (the same rule on both sides).
std::optional<double> ttft_of(const testing::StoredEvent& e) {
  if (!e.duration_ms || e.time_ms % 5 == 0) return std::nullopt;
  return static_cast<double>(static_cast<int64_t>(*e.duration_ms) % 997);
}

// The sessions that may have several session_days rows are told apart by number, unless another
// session of the store shares one of their numbers: then by id. The rows are written by hand, the
// second session with the first's number, which no two real session ids are likely to share.
TEST(ShapeQueriesSessionNumbersTest, SessionsSharingANumberAreToldApartById) {
  const auto database = TestDatabase::create("session_numbers");
  if (!database) GTEST_SKIP() << TestDatabase::kSkipReason;
  const ClickHouseClient client(database->url());
  ensure_schema(client);
  const auto insert_row = [&](const std::string& session, const std::string& number_of, int prompts,
                              int opened) {
    client.query("INSERT INTO " + std::string(kSessionDays) +
                 " (day, session_id, session_key, user, terminal, user_prompts, opened) VALUES "
                 "('2026-01-05', '" +
                 session + "', cityHash64('" + number_of + "'), 'a@example.com', 'vscode', " +
                 std::to_string(prompts) + ", " + std::to_string(opened) + ")");
  };
  // Session A in two rows of one cell (two inserts): 2 + 3 prompts.
  insert_row("A", "A", 2, 1);
  insert_row("A", "A", 3, 0);
  const auto prompts = [&] {
    return ShapeQueries(client).session_distribution(engine::Filter(),
                                                     engine::SessionQuantity::kPrompts, 10);
  };
  EXPECT_TRUE(People(client).several_row_session_keys_unique());
  const engine::Distribution alone = prompts();
  EXPECT_EQ(alone.stats.count, 1u);
  EXPECT_EQ(alone.stats.max, 5);

  // Session B in one row, with A's number: counted apart, with its own 7 prompts.
  insert_row("B", "A", 7, 1);
  EXPECT_FALSE(People(client).several_row_session_keys_unique());
  const engine::Distribution apart = prompts();
  EXPECT_EQ(apart.stats.count, 2u);
  EXPECT_EQ(apart.stats.min, 5);
  EXPECT_EQ(apart.stats.max, 7);
}

TEST(ShapeQueriesTimeToFirstTokenTest, LatencyOfTimeToFirstTokenUnderRandomFilters) {
  const auto database = TestDatabase::create("ttft");
  if (!database) GTEST_SKIP() << TestDatabase::kSkipReason;
  const testing::RandomHistory history = testing::make_random_history(7, 40);

  testing::TempStore store;
  {
    store::Database db(store.path());
    testing::StoreWriter writer(db);
    writer.insert(history.events);
    writer.replace_directory(history.directory);
    db.exec(
        "UPDATE events SET ttft_ms = CAST(duration_ms AS INTEGER) % 997 "
        "WHERE duration_ms IS NOT NULL AND time_ms % 5 != 0");
  }
  const engine::Engine engine(store.path());

  ClickHouseIngestor ingestor(database->url());
  std::string csv = "email,full_name,practice,level,location\n";
  for (const auto& e : history.directory)
    csv += e.email + "," + e.full_name + "," + e.practice + "," + e.level + "," + e.location + "\n";
  ingestor.load_employees_csv(csv, "directory.csv");
  const ClickHouseClient client(database->url());
  {
    EventWriter writer(client);
    const auto view = [](const std::optional<std::string>& s) {
      return s ? std::string_view(*s) : std::string_view();
    };
    for (size_t i = 0; i < history.events.size(); ++i) {
      const testing::StoredEvent& e = history.events[i];
      EventRecord record;
      record.key = hash128("ttft " + std::to_string(i));
      record.time_ms = e.time_ms;
      record.event_name = e.event_name;
      record.session_id = e.session_id;
      record.user = e.user;
      record.terminal = view(e.terminal);
      record.model = view(e.model);
      record.tool_name = view(e.tool);
      record.error = view(e.error);
      record.status_code = view(e.status_code);
      record.practice_hint = view(e.practice_hint);
      record.attributes_json = view(e.attributes);
      if (e.duration_ms) record.duration_ms.set(*e.duration_ms);
      if (const auto ttft = ttft_of(e)) record.ttft_ms.set(*ttft);
      writer.add(record, 1);
    }
    writer.flush();
  }
  const ShapeQueries queries(client);

  const auto snapshot = engine.snapshot();
  std::mt19937_64 random(16);
  size_t samples = 0;
  for (int i = 0; i < 60; ++i) {
    const engine::Filter filter = i == 0 ? engine::Filter()
                                         : testing::random_filter(history, *snapshot->first_time(),
                                                                  *snapshot->last_time(), random);
    const std::string context = latency_context(filter, LatencyBy::kModel, LatencyMeasure::kTtftMs);
    const auto expected =
        engine::latency(*snapshot, filter, LatencyBy::kModel, LatencyMeasure::kTtftMs);
    const auto actual = queries.latency(filter, LatencyBy::kModel, LatencyMeasure::kTtftMs);
    ASSERT_EQ(expected.size(), actual.size()) << context;
    for (size_t r = 0; r < expected.size(); ++r) {
      samples += expected[r].duration_ms.count;
      EXPECT_EQ(expected[r].key, actual[r].key) << context;
      expect_same_percentiles(expected[r].duration_ms, actual[r].duration_ms,
                              context + " row " + expected[r].key);
    }
    const engine::Bucket bucket = kBuckets[random() % std::size(kBuckets)];
    const auto expected_series = engine::latency_timeseries(*snapshot, filter, LatencyBy::kModel,
                                                            LatencyMeasure::kTtftMs, bucket);
    const auto actual_series =
        queries.latency_timeseries(filter, LatencyBy::kModel, LatencyMeasure::kTtftMs, bucket);
    ASSERT_EQ(expected_series.starts, actual_series.starts) << context;
    ASSERT_EQ(expected_series.duration_ms.size(), actual_series.duration_ms.size()) << context;
    for (size_t b = 0; b < expected_series.duration_ms.size(); ++b)
      expect_same_percentiles(expected_series.duration_ms[b], actual_series.duration_ms[b],
                              context + " bucket " + std::to_string(b));
  }
  EXPECT_GT(samples, 1000u);
}

// The reference dataset through both ingests (the stores' own parsers and writers, not the test's):
// every question without a filter and under one model's filter.
TEST(ShapeQueriesReferenceTest, TheReferenceDatasetAnswersAsInTheEmbeddedStore) {
  const ReferenceStores* reference = ReferenceStores::get();
  if (!reference) GTEST_SKIP() << ReferenceStores::kSkipReason;
  EXPECT_GT(reference->clickhouse_accepted, 10000u);
  const auto snapshot = reference->engine->snapshot();
  const ShapeQueries queries(*reference->client);

  engine::Filter one_model;
  const auto models = engine::latency(*snapshot, {}, LatencyBy::kModel);
  ASSERT_FALSE(models.empty());
  one_model.model = {models.front().key};
  for (const engine::Filter& filter : {engine::Filter(), one_model}) {
    for (const LatencyBy by : kBys) {
      for (const LatencyMeasure measure : kMeasures) {
        const std::string context = latency_context(filter, by, measure);
        const auto expected = engine::latency(*snapshot, filter, by, measure);
        const auto actual = queries.latency(filter, by, measure);
        ASSERT_EQ(expected.size(), actual.size()) << context;
        for (size_t r = 0; r < expected.size(); ++r) {
          EXPECT_EQ(expected[r].key, actual[r].key) << context;
          expect_same_percentiles(expected[r].duration_ms, actual[r].duration_ms,
                                  context + " row " + expected[r].key);
        }
        const auto expected_series =
            engine::latency_timeseries(*snapshot, filter, by, measure, engine::Bucket::kDay);
        const auto actual_series =
            queries.latency_timeseries(filter, by, measure, engine::Bucket::kDay);
        ASSERT_EQ(expected_series.starts, actual_series.starts) << context;
        for (size_t b = 0; b < expected_series.duration_ms.size(); ++b)
          expect_same_percentiles(expected_series.duration_ms[b], actual_series.duration_ms[b],
                                  context + " day " + std::to_string(b));
      }
    }
    const auto expected_cells = engine::heatmap(*snapshot, filter);
    const auto actual_cells = queries.heatmap(filter);
    ASSERT_EQ(expected_cells.size(), actual_cells.size());
    for (size_t cell = 0; cell < expected_cells.size(); ++cell)
      expect_same_metrics(expected_cells[cell], actual_cells[cell],
                          describe(filter) + " cell " + std::to_string(cell));
    for (const auto of : {engine::SessionQuantity::kDurationS, engine::SessionQuantity::kPrompts,
                          engine::SessionQuantity::kCostUsd}) {
      const std::string context =
          describe(filter) + " quantity=" + std::string(engine::session_quantity_name(of));
      const auto expected = engine::session_distribution(*snapshot, filter, of);
      const auto actual = queries.session_distribution(filter, of);
      expect_near_percentiles(expected.stats, actual.stats, context);
      ASSERT_EQ(expected.bins.size(), actual.bins.size()) << context;
      for (size_t b = 0; b < expected.bins.size(); ++b)
        EXPECT_EQ(expected.bins[b].count, actual.bins[b].count) << context << " bin " << b;
    }
    expect_same_facets(engine::facets(*snapshot, filter), queries.facets(filter), describe(filter));
  }
}

}  // namespace
}  // namespace cca::clickhouse
