#pragma once

#include <gtest/gtest.h>

#include <string>

#include "clickhouse/queries.h"
#include "engine/breakdown.h"
#include "engine/metric_check.h"
#include "engine/summary.h"
#include "engine/timeseries.h"

namespace cca::clickhouse {

// The whole store's summary, its breakdowns by every fixed dimension and its daily series split
// by practice: the engine's over the snapshot and ClickHouse's, alike.
inline void expect_same_store_answers(const engine::Snapshot& snapshot, const Queries& queries) {
  testing::expect_same_metrics(engine::summarize(snapshot, {}).metrics,
                               queries.summarize({}).metrics, "summary");
  for (const engine::Dimension by : engine::all_dimensions()) {
    const auto expected = engine::breakdown(snapshot, {}, by);
    const auto actual = queries.breakdown({}, by);
    ASSERT_EQ(expected.size(), actual.size()) << engine::dimension_name(by);
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(expected[i].key, actual[i].key);
      testing::expect_same_metrics(expected[i].metrics, actual[i].metrics,
                                   std::string(engine::dimension_name(by)) + " " + expected[i].key);
    }
  }
  const auto expected =
      engine::timeseries(snapshot, {}, engine::Bucket::kDay, engine::Dimension::kPractice, 5);
  const auto actual = queries.timeseries({}, engine::Bucket::kDay, engine::Dimension::kPractice, 5);
  ASSERT_EQ(expected.starts, actual.starts);
  for (size_t b = 0; b < expected.points.size(); ++b)
    testing::expect_same_metrics(expected.points[b], actual.points[b], "day " + std::to_string(b));
  ASSERT_EQ(expected.series.size(), actual.series.size());
  for (size_t s = 0; s < expected.series.size(); ++s) {
    EXPECT_EQ(expected.series[s].key, actual.series[s].key);
    for (size_t b = 0; b < expected.series[s].points.size(); ++b)
      testing::expect_same_metrics(expected.series[s].points[b], actual.series[s].points[b],
                                   expected.series[s].key + " day " + std::to_string(b));
  }
}

}  // namespace cca::clickhouse
