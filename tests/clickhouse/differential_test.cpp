// The ClickHouse store against the embedded engine on the same random history (the engine's own
// differential test checks the engine against SQL): under seeded random filter combinations, every
// question answers alike, counts exactly and sums to 1e-9 relative.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <random>

#include "clickhouse/clickhouse_ingestor.h"
#include "clickhouse/event_writer.h"
#include "clickhouse/queries.h"
#include "clickhouse/schema.h"
#include "clickhouse/test_database.h"
#include "engine/engine.h"
#include "engine/metric_check.h"
#include "engine/random_store.h"
#include "engine/temp_store.h"

namespace cca::clickhouse {
namespace {

using engine::Dimension;
using engine::MetricSet;
using testing::describe;
using testing::expect_same_metrics;

// A stored event as the ingest hands it to a writer.
struct EventText {
  explicit EventText(const testing::StoredEvent& e, uint64_t index) : source(e) {
    record.key = hash128(std::to_string(index));
    record.time_ms = e.time_ms;
    record.event_name = e.event_name;
    record.session_id = e.session_id;
    record.user = e.user;
    const auto view = [](const std::optional<std::string>& s) {
      return s ? std::string_view(*s) : std::string_view();
    };
    record.terminal = view(e.terminal);
    record.model = view(e.model);
    record.tool_name = view(e.tool);
    record.decision = view(e.decision);
    record.decision_source = view(e.decision_source);
    record.error = view(e.error);
    record.status_code = view(e.status_code);
    record.service_version = view(e.version);
    record.os_type = view(e.os);
    record.practice_hint = view(e.practice_hint);
    record.attributes_json = view(e.attributes);
    record.success = e.success ? static_cast<int8_t>(*e.success) : int8_t{-1};
    const auto number = [](const std::optional<double>& v, OptionalNumber& out) {
      if (v) out.set(*v);
    };
    number(e.input_tokens, record.input_tokens);
    number(e.output_tokens, record.output_tokens);
    number(e.cache_read_tokens, record.cache_read_tokens);
    number(e.cache_creation_tokens, record.cache_creation_tokens);
    number(e.cost_usd, record.cost_usd);
    number(e.duration_ms, record.duration_ms);
    number(e.prompt_length, record.prompt_length);
    number(e.attempt, record.attempt);
    number(e.tool_result_size_bytes, record.tool_result_size_bytes);
  }
  const testing::StoredEvent& source;
  EventRecord record;
};

std::string directory_csv(const std::vector<testing::StoredEmployee>& employees) {
  std::string csv = "email,full_name,practice,level,location\n";
  for (const auto& e : employees)
    csv += e.email + "," + e.full_name + "," + e.practice + "," + e.level + "," + e.location + "\n";
  return csv;
}

class ClickHouseDifferentialTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = TestDatabase::create("differential");
    if (!database_) return;
    history_ = testing::make_random_history(20261204);
    const auto& events = history_.events;

    // The embedded store, written straight into its tables, read by the engine.
    store_ = std::make_unique<testing::TempStore>();
    {
      store::Database db(store_->path());
      testing::StoreWriter writer(db);
      writer.insert(events);
      writer.replace_directory(history_.directory);
    }
    engine_ = std::make_unique<engine::Engine>(store_->path());

    // ClickHouse, through the store's writer: three blocks, the second sent twice (a redelivery)
    // and overlapping the first, and a partial directory replaced by the full one.
    ClickHouseIngestor ingestor(database_->url());
    std::vector<testing::StoredEmployee> partial(history_.directory.begin(),
                                                 history_.directory.begin() + 3);
    ingestor.load_employees_csv(directory_csv(partial), "partial.csv");
    std::vector<std::unique_ptr<EventText>> texts;
    for (size_t i = 0; i < events.size(); ++i)
      texts.push_back(std::make_unique<EventText>(events[i], i));
    const ClickHouseClient client(database_->url());
    EventWriter writer(client);
    const size_t third = events.size() / 3;
    const auto write = [&](size_t from, size_t to) {
      for (size_t i = from; i < to; ++i) writer.add(texts[i]->record, 1);
      const FlushCounts flushed = writer.flush();
      return flushed;
    };
    first_block_ = write(0, third);
    write(third, 2 * third);
    redelivered_ = write(third - 10, 2 * third);
    write(2 * third, events.size());
    ingestor.load_employees_csv(directory_csv(history_.directory), "directory.csv");
    client_ = std::make_unique<ClickHouseClient>(database_->url());
    queries_ = std::make_unique<Queries>(*client_);
  }

  static void TearDownTestSuite() {
    queries_.reset();
    client_.reset();
    engine_.reset();
    store_.reset();
    database_.reset();
  }

  void SetUp() override {
    if (!database_) GTEST_SKIP() << TestDatabase::kSkipReason;
  }

  engine::Filter random_filter(std::mt19937_64& random) const {
    const auto snapshot = engine_->snapshot();
    return testing::random_filter(history_, *snapshot->first_time(), *snapshot->last_time(),
                                  random);
  }

  static std::unique_ptr<TestDatabase> database_;
  static testing::RandomHistory history_;
  static std::unique_ptr<testing::TempStore> store_;
  static std::unique_ptr<engine::Engine> engine_;
  static std::unique_ptr<ClickHouseClient> client_;
  static std::unique_ptr<Queries> queries_;
  static FlushCounts first_block_, redelivered_;
};

std::unique_ptr<TestDatabase> ClickHouseDifferentialTest::database_;
testing::RandomHistory ClickHouseDifferentialTest::history_;
std::unique_ptr<testing::TempStore> ClickHouseDifferentialTest::store_;
std::unique_ptr<engine::Engine> ClickHouseDifferentialTest::engine_;
std::unique_ptr<ClickHouseClient> ClickHouseDifferentialTest::client_;
std::unique_ptr<Queries> ClickHouseDifferentialTest::queries_;
FlushCounts ClickHouseDifferentialTest::first_block_, ClickHouseDifferentialTest::redelivered_;

TEST_F(ClickHouseDifferentialTest, EveryEventStoredOnceDespiteTheRedelivery) {
  const size_t third = history_.events.size() / 3;
  EXPECT_EQ(first_block_.inserted, third);
  EXPECT_EQ(redelivered_.inserted, 0u);
  EXPECT_EQ(redelivered_.duplicates, third + 10);
  EXPECT_EQ(client_->query("SELECT count() FROM events"),
            std::to_string(history_.events.size()) + "\n");
  EXPECT_EQ(queries_->summarize({}).metrics.events, history_.events.size());
}

TEST_F(ClickHouseDifferentialTest, SummaryUnderRandomFilters) {
  std::mt19937_64 random(1);
  for (int i = 0; i < 150; ++i) {
    const engine::Filter filter = random_filter(random);
    const engine::Summary expected = engine::summarize(*engine_->snapshot(), filter);
    const engine::Summary actual = queries_->summarize(filter);
    expect_same_metrics(expected.metrics, actual.metrics, describe(filter));
    EXPECT_EQ(expected.first_event_ms, actual.first_event_ms) << describe(filter);
    EXPECT_EQ(expected.last_event_ms, actual.last_event_ms) << describe(filter);
  }
}

TEST_F(ClickHouseDifferentialTest, BreakdownsByEveryDimensionUnderRandomFilters) {
  std::mt19937_64 random(2);
  std::vector<Dimension> dimensions(engine::all_dimensions().begin(),
                                    engine::all_dimensions().end());
  std::vector<std::string> attribute_names;
  for (const auto& [key, values] : history_.attributes) attribute_names.push_back("attr." + key);
  for (const std::string& name : attribute_names) dimensions.push_back(Dimension::attribute(name));
  const engine::Metric sorts[] = {engine::Metric::kEvents, engine::Metric::kCostUsd,
                                  engine::Metric::kToolSuccessRate, engine::Metric::kUsers};
  for (int i = 0; i < 40; ++i) {
    const engine::Filter filter = random_filter(random);
    for (const Dimension by : dimensions) {
      const engine::Metric sort = sorts[random() % std::size(sorts)];
      const std::string context = describe(filter) +
                                  " by=" + std::string(engine::dimension_name(by)) +
                                  " sort=" + std::string(engine::metric_name(sort));
      const auto expected = engine::breakdown(*engine_->snapshot(), filter, by, sort);
      const auto actual = queries_->breakdown(filter, by, sort);
      ASSERT_EQ(expected.size(), actual.size()) << context;
      for (size_t r = 0; r < expected.size(); ++r) {
        EXPECT_EQ(expected[r].key, actual[r].key) << context;
        expect_same_metrics(expected[r].metrics, actual[r].metrics,
                            context + " row " + expected[r].key);
      }
    }
  }
}

TEST_F(ClickHouseDifferentialTest, TimeSeriesWithSplitsUnderRandomFilters) {
  std::mt19937_64 random(3);
  const engine::Bucket buckets[] = {engine::Bucket::kHour, engine::Bucket::kDay,
                                    engine::Bucket::kWeek};
  const auto dimensions = engine::all_dimensions();
  for (int i = 0; i < 60; ++i) {
    const engine::Filter filter = random_filter(random);
    const engine::Bucket bucket = buckets[random() % 3];
    std::optional<Dimension> split;
    if (random() % 2) split = dimensions[random() % dimensions.size()];
    const size_t limit = 1 + random() % 6;
    std::string context = describe(filter) + " bucket=" + std::string(engine::bucket_name(bucket));
    if (split) context += " split=" + std::string(engine::dimension_name(*split));
    const auto expected = engine::timeseries(*engine_->snapshot(), filter, bucket, split, limit);
    const auto actual = queries_->timeseries(filter, bucket, split, limit);
    ASSERT_EQ(expected.starts, actual.starts) << context;
    ASSERT_EQ(expected.points.size(), actual.points.size()) << context;
    for (size_t b = 0; b < expected.points.size(); ++b)
      expect_same_metrics(expected.points[b], actual.points[b],
                          context + " bucket " + std::to_string(b));
    ASSERT_EQ(expected.series.size(), actual.series.size()) << context;
    for (size_t s = 0; s < expected.series.size(); ++s) {
      EXPECT_EQ(expected.series[s].key, actual.series[s].key) << context;
      for (size_t b = 0; b < expected.series[s].points.size(); ++b)
        expect_same_metrics(expected.series[s].points[b], actual.series[s].points[b],
                            context + " series " + expected.series[s].key);
    }
  }
}

}  // namespace
}  // namespace cca::clickhouse
