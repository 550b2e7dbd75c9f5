// The ClickHouse store against the embedded engine on the same random history (the engine's own
// differential test checks the engine against SQL): under seeded random filter combinations, every
// question answers alike, counts exactly and sums to 1e-9 relative.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>

#include "clickhouse/event_sql.h"
#include "clickhouse/history_stores.h"
#include "clickhouse/queries.h"
#include "common/time_util.h"
#include "engine/metric_check.h"

namespace cca::clickhouse {
namespace {

using engine::Dimension;
using engine::MetricSet;
using testing::describe;
using testing::expect_same_metrics;

// What a question about one metric may leave out: every figure when the metric counts
// something distinct; else only its value and ratio parts are certain (metric_sums).
void expect_same_metric_parts(engine::Metric metric, const MetricSet& e, const MetricSet& a,
                              const std::string& where) {
  if (engine::metric_counts_distinct(metric)) return expect_same_metrics(e, a, where);
  const std::optional<double> value = engine::metric_value(e, metric);
  ASSERT_EQ(value.has_value(), engine::metric_value(a, metric).has_value()) << where;
  if (value) {
    EXPECT_TRUE(testing::near_relative(*value, *engine::metric_value(a, metric))) << where;
  }
  const engine::RatioParts ep = engine::ratio_parts(e, metric), ap = engine::ratio_parts(a, metric);
  EXPECT_TRUE(testing::near_relative(ep.numerator, ap.numerator)) << where;
  EXPECT_TRUE(testing::near_relative(ep.denominator, ap.denominator)) << where;
}

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

// The anomalies' explanations: breakdowns by several dimensions over a filter and over ranges
// within it, on whole days, whole hours or neither. Of a metric that counts nothing distinct
// ClickHouse reads only its sums (the dimensions of people in one read, resolved in C++), so only
// the metric's parts are compared; of the others every figure.
TEST_F(ClickHouseDifferentialTest, RangedBreakdownsUnderRandomFilters) {
  using engine::Metric;
  std::mt19937_64 random(4);
  const auto snapshot = stores_->engine->snapshot();
  const Metric metrics[] = {Metric::kCostUsd,       Metric::kToolSuccessRate, Metric::kApiErrorRate,
                            Metric::kOutputTokens,  Metric::kEvents,          Metric::kSessions,
                            Metric::kCostPerSession};
  const Dimension choices[] = {Dimension::kPractice, Dimension::kLevel,      Dimension::kLocation,
                               Dimension::kEmail,    Dimension::kModel,      Dimension::kTool,
                               Dimension::kError,    Dimension::kStatusCode, Dimension::kTerminal};
  const int64_t grains[] = {kMsPerDay, kMsPerHour, 1};
  // Rows compared with ranges: of people under a metric's sums (one read, resolved in C++), of
  // other dimensions, of metrics with distinct counts.
  size_t people_sums = 0, other_sums = 0, distinct = 0, overlapping_sums = 0;
  for (int i = 0; i < 100; ++i) {
    const engine::Filter filter =
        i % 2 ? stores_->random_session_days_filter(random) : random_filter(random);
    const int64_t from = filter.from_ms.value_or(*snapshot->first_time());
    const int64_t to = filter.to_ms.value_or(*snapshot->last_time() + 1);
    const int64_t grain = grains[random() % std::size(grains)];
    std::vector<int64_t> cuts;
    for (size_t c = 2 * (random() % 4); c > 0; --c) {
      const int64_t at = from + static_cast<int64_t>(random() % static_cast<uint64_t>(to - from));
      cuts.push_back(std::clamp(floor_div(at, grain) * grain, from, to));
    }
    std::sort(cuts.begin(), cuts.end());
    std::vector<engine::TimeRange> ranges;
    for (size_t c = 0; c + 1 < cuts.size(); c += 2)
      if (cuts[c] < cuts[c + 1]) ranges.push_back({cuts[c], cuts[c + 1]});
    // Ranges are disjoint, as an anomaly's buckets are, but for every third filter, which asks
    // too for the span of them all, overlapping every one (ClickHouse reads disjoint ranges of a
    // sum together, each row's range told by its time, and overlapping ones one by one).
    const bool overlapping = i % 3 == 2 && !ranges.empty();
    if (overlapping) ranges.push_back({ranges.front().from_ms, ranges.back().to_ms});
    std::vector<Dimension> by;
    for (const Dimension d : choices)
      if (random() % 3 == 0) by.push_back(d);
    if (by.empty()) by.push_back(choices[random() % std::size(choices)]);
    const Metric metric = metrics[random() % std::size(metrics)];
    std::string context = describe(filter) + " metric=" + std::string(engine::metric_name(metric)) +
                          " ranges=" + std::to_string(ranges.size()) + " by=";
    for (const Dimension d : by) context += std::string(engine::dimension_name(d)) + ",";

    const auto expected = engine::ranged_breakdowns(*snapshot, filter, by, ranges);
    const auto actual = queries_->ranged_breakdowns(filter, by, metric, ranges);
    ASSERT_EQ(expected.size(), actual.size()) << context;
    const auto expect_same_parts = [&](const MetricSet& e, const MetricSet& a,
                                       const std::string& where) {
      expect_same_metric_parts(metric, e, a, where);
    };
    for (size_t d = 0; d < by.size(); ++d) {
      const std::string in = context + " dimension " + std::string(engine::dimension_name(by[d]));
      ASSERT_EQ(expected[d].size(), actual[d].size()) << in;
      for (size_t r = 0; r < expected[d].size(); ++r) {
        ASSERT_EQ(expected[d][r].key, actual[d][r].key) << in;
        const std::string row = in + " key " + expected[d][r].key;
        expect_same_parts(expected[d][r].whole, actual[d][r].whole, row + " whole");
        ASSERT_EQ(ranges.size(), actual[d][r].in_ranges.size()) << row;
        for (size_t p = 0; p < ranges.size(); ++p)
          expect_same_parts(expected[d][r].in_ranges[p], actual[d][r].in_ranges[p],
                            row + " range " + std::to_string(p));
        if (ranges.empty()) continue;
        ++(engine::metric_counts_distinct(metric) ? distinct
           : is_person(by[d])                     ? people_sums
                                                  : other_sums);
        if (overlapping && !engine::metric_counts_distinct(metric)) ++overlapping_sums;
      }
    }
  }
  std::printf(
      "rows compared with ranges: %zu people (sums), %zu others (sums), %zu distinct; %zu of "
      "sums over overlapping ranges\n",
      people_sums, other_sums, distinct, overlapping_sums);
  EXPECT_GT(people_sums, 50u);
  EXPECT_GT(other_sums, 50u);
  EXPECT_GT(distinct, 50u);
  EXPECT_GT(overlapping_sums, 30u);
}

// The forecasts' and the anomalies' series of one metric: of a metric without distinct counts
// ClickHouse sums only its figures, from the totals where no person is asked about.
TEST_F(ClickHouseDifferentialTest, MetricTimeSeriesUnderRandomFilters) {
  using engine::Metric;
  std::mt19937_64 random(5);
  const Metric metrics[] = {Metric::kCostUsd,   Metric::kOutputTokens,    Metric::kEvents,
                            Metric::kApiErrors, Metric::kToolSuccessRate, Metric::kSessions,
                            Metric::kUsers};
  const engine::Bucket buckets[] = {engine::Bucket::kHour, engine::Bucket::kDay,
                                    engine::Bucket::kWeek};
  for (int i = 0; i < 60; ++i) {
    // Every other filter one the rollups answer (whole days, people, terminals).
    const engine::Filter filter =
        i % 2 ? stores_->random_session_days_filter(random) : random_filter(random);
    const engine::Bucket bucket = buckets[random() % 3];
    const Metric metric = metrics[random() % std::size(metrics)];
    const std::string context = describe(filter) +
                                " bucket=" + std::string(engine::bucket_name(bucket)) +
                                " metric=" + std::string(engine::metric_name(metric));
    const auto expected = engine::timeseries(*stores_->engine->snapshot(), filter, bucket);
    const auto actual = queries_->timeseries(filter, bucket, std::nullopt, 0, nullptr, metric);
    ASSERT_EQ(expected.starts, actual.starts) << context;
    ASSERT_EQ(expected.points.size(), actual.points.size()) << context;
    for (size_t b = 0; b < expected.points.size(); ++b)
      expect_same_metric_parts(metric, expected.points[b], actual.points[b],
                               context + " bucket " + std::to_string(b));
  }
}

}  // namespace
}  // namespace cca::clickhouse
