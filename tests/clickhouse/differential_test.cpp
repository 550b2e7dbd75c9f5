// The ClickHouse store against the embedded engine on the same random history (the engine's own
// differential test checks the engine against SQL): under seeded random filter combinations, every
// question answers alike, counts exactly and sums to 1e-9 relative.
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "clickhouse/history_stores.h"
#include "clickhouse/queries.h"
#include "engine/metric_check.h"

namespace cca::clickhouse {
namespace {

using engine::Dimension;
using engine::MetricSet;
using testing::describe;
using testing::expect_same_metrics;

class ClickHouseDifferentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stores_ = HistoryStores::get();
    if (!stores_) GTEST_SKIP() << TestDatabase::kSkipReason;
    queries_ = std::make_unique<Queries>(*stores_->client);
  }
  engine::Filter random_filter(std::mt19937_64& random) const {
    return stores_->random_filter(random);
  }

  const HistoryStores* stores_ = nullptr;
  std::unique_ptr<Queries> queries_;
};

TEST_F(ClickHouseDifferentialTest, EveryEventStoredOnceDespiteTheRedelivery) {
  const size_t third = stores_->history.events.size() / 3;
  EXPECT_EQ(stores_->first_block.inserted, third);
  EXPECT_EQ(stores_->redelivered.inserted, 0u);
  EXPECT_EQ(stores_->redelivered.duplicates, third + 10);
  EXPECT_EQ(stores_->client->query("SELECT count() FROM events"),
            std::to_string(stores_->history.events.size()) + "\n");
  EXPECT_EQ(queries_->summarize({}).metrics.events, stores_->history.events.size());
}

TEST_F(ClickHouseDifferentialTest, SummaryUnderRandomFilters) {
  std::mt19937_64 random(1);
  for (int i = 0; i < 150; ++i) {
    const engine::Filter filter = random_filter(random);
    const engine::Summary expected = engine::summarize(*stores_->engine->snapshot(), filter);
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
  for (const auto& [key, values] : stores_->history.attributes)
    attribute_names.push_back("attr." + key);
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
      const auto expected = engine::breakdown(*stores_->engine->snapshot(), filter, by, sort);
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
    const auto expected =
        engine::timeseries(*stores_->engine->snapshot(), filter, bucket, split, limit);
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
