// The rollups (src/clickhouse/rollups.h): which questions they answer, that what the materialized
// views wrote adds up to the events, that the answers read from them are the engine's under
// random filters they can express (their filling on upgrade: schema_test.cpp).
#include "clickhouse/rollups.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "clickhouse/history_stores.h"
#include "clickhouse/queries.h"
#include "clickhouse/shape_queries.h"
#include "engine/breakdown.h"
#include "engine/heatmap.h"
#include "engine/metric_check.h"
#include "engine/summary.h"
#include "engine/timeseries.h"

namespace cca::clickhouse {
namespace {

using engine::Dimension;
using testing::describe;
using testing::expect_same_metrics;

class RollupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stores_ = HistoryStores::get();
    if (!stores_) GTEST_SKIP() << TestDatabase::kSkipReason;
  }

  // A random filter with what keeps a question off the rollups taken out: status codes, errors,
  // custom attributes, and all but one of the rolled-up columns.
  engine::Filter rollup_filter(std::mt19937_64& random) const {
    engine::Filter filter = stores_->random_filter(random);
    filter.status_code.clear();
    filter.error.clear();
    filter.attributes.clear();
    std::vector<std::string>* columns[] = {&filter.model, &filter.terminal, &filter.tool};
    const size_t kept = random() % std::size(columns);
    for (size_t i = 0; i < std::size(columns); ++i)
      if (i != kept) columns[i]->clear();
    return filter;
  }
  const char* table(const engine::Filter& filter, std::optional<Dimension> by = std::nullopt,
                    int64_t bucket_ms = 0) const {
    const auto read = rollup_read(People(*stores_->client), filter, by, bucket_ms);
    return read ? read->table->name : nullptr;
  }

  const HistoryStores* stores_ = nullptr;
};

TEST_F(RollupsTest, AQuestionReadsTheCoarsestRollupItsFilterAllows) {
  const engine::Filter everything;
  EXPECT_STREQ(table(everything), "rollup_day");
  EXPECT_STREQ(table(everything, std::nullopt, kMsPerHour), "rollup_hour");
  EXPECT_STREQ(table(everything, std::nullopt, 7 * kMsPerDay), "rollup_day");

  engine::Filter days;
  days.from_ms = 20000 * kMsPerDay;
  days.to_ms = 20007 * kMsPerDay;
  EXPECT_STREQ(table(days), "rollup_day");
  engine::Filter hours = days;
  hours.to_ms = *days.to_ms + 5 * kMsPerHour;
  EXPECT_STREQ(table(hours), "rollup_hour");
  engine::Filter instant = days;
  instant.from_ms = *days.from_ms + 1;
  EXPECT_EQ(table(instant), nullptr);

  engine::Filter people = days;
  people.practice = {"Platform Engineering"};
  people.email = {"Someone@example.com"};
  EXPECT_STREQ(table(people, Dimension{Dimension::kLevel}), "rollup_day");
  EXPECT_STREQ(table(people, Dimension{Dimension::kModel}), "rollup_day");

  engine::Filter model;
  model.model = {"claude-opus-4-7"};
  EXPECT_STREQ(table(model), "rollup_day");
  EXPECT_STREQ(table(model, Dimension{Dimension::kModel}), "rollup_day");
  EXPECT_STREQ(table(model, Dimension{Dimension::kPractice}), "rollup_day");
  EXPECT_EQ(table(model, Dimension{Dimension::kTool}), nullptr);  // two rolled-up columns
  engine::Filter two = model;
  two.terminal = {"vscode"};
  EXPECT_EQ(table(two), nullptr);

  for (const auto& single_event : {&engine::Filter::status_code, &engine::Filter::error}) {
    engine::Filter filter;
    (filter.*single_event).push_back("500");
    EXPECT_EQ(table(filter), nullptr);
  }
  engine::Filter attribute;
  attribute.attributes.push_back({"team", {"red"}});
  EXPECT_EQ(table(attribute), nullptr);
  for (const auto kind : {Dimension::kError, Dimension::kStatusCode, Dimension::kAttempt,
                          Dimension::kQuerySource, Dimension::kDecisionSource})
    EXPECT_EQ(table(everything, Dimension{kind}), nullptr);
}

TEST_F(RollupsTest, EveryDimensionOfEveryRollupAddsUpToTheEvents) {
  const ClickHouseClient& client = *stores_->client;
  const std::string events = client.query(
      "SELECT count(), uniqExactIf(session_id, session_id != ''), sum(cost_usd) FROM events");
  for (const RollupTable& rollup : kRollupTables) {
    const std::string answer = client.query(
        "SELECT dimension, sum(events), uniqExactMerge(sessions) - (sum(sessionless) > 0) FROM " +
        std::string(rollup.name) + " GROUP BY dimension ORDER BY dimension");
    const auto rows = rows_of(answer);
    ASSERT_EQ(rows.size(), std::size(kRolledUpColumns) + 1) << rollup.name;
    for (const auto& row : rows) {
      EXPECT_EQ(row.at(1), std::to_string(stores_->history.events.size()))
          << rollup.name << " " << row.at(0);
      EXPECT_EQ(row.at(2), rows_of(events)[0].at(1)) << rollup.name << " " << row.at(0);
    }
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
    const engine::Filter filter = rollup_filter(random);
    const auto snapshot = stores_->engine->snapshot();
    if (table(filter)) ++read_from_rollups;

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

}  // namespace
}  // namespace cca::clickhouse
