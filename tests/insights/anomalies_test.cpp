#include "insights/anomalies.h"

#include <gtest/gtest.h>

#include <random>

#include "insights/synthetic_series.h"

namespace cca::insights {
namespace {

using testing::SeriesShape;
using testing::synthetic_series;

MetricSeries amounts(std::vector<double> values) {
  MetricSeries s;
  s.values = std::move(values);
  for (size_t i = 0; i < s.values.size(); ++i) s.starts.push_back(static_cast<int64_t>(i) * 86'400'000);
  return s;
}

const std::vector<double> kQuietWeekends = {1.1, 1.1, 1, 1, 0.9, 0.1, 0.05};

TEST(Anomalies, NoAlarmsFromTheWeeklyRhythmOrNoise) {
  // 50 clean series of sessions' costs with trend and quiet weekends: at most the rare false
  // alarm the threshold allows (about 1 % of series for normal noise).
  size_t alarms = 0;
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    const SeriesShape shape{.level = 100, .slope_per_day = seed % 3 == 0 ? 1.0 : 0.0,
                            .weekly = kQuietWeekends, .session_cost = 1.5, .seed = seed};
    const AnomalyCheck check = find_anomalies(amounts(synthetic_series(shape, 60)), 7);
    alarms += check.anomalies.size();

  }
  EXPECT_LE(alarms, 2u);
}

TEST(Anomalies, FindsSpikesAndDropsWithTheirSize) {
  std::vector<double> values = synthetic_series(
      {.level = 100, .weekly = kQuietWeekends, .session_cost = 1.5, .seed = 9}, 63);
  values[30] *= 3.5;                      // a Wednesday spike
  values[44] = values[44] * 0.1;          // a Thursday outage
  values[45] = values[45] * 0.1;          // and Friday
  const AnomalyCheck check = find_anomalies(amounts(values), 7);
  ASSERT_EQ(check.anomalies.size(), 2u);
  const Anomaly& spike = check.anomalies[0];
  EXPECT_EQ(spike.begin, 30u);
  EXPECT_EQ(spike.end, 31u);
  EXPECT_TRUE(spike.up);
  EXPECT_EQ(spike.value, values[30]);
  EXPECT_NEAR(spike.expected, 100, 25);  // a Wednesday of level 100
  EXPECT_GT(spike.value, spike.hi);
  const Anomaly& drop = check.anomalies[1];
  EXPECT_EQ(drop.begin, 44u);
  EXPECT_EQ(drop.end, 46u);  // two days, one anomaly
  EXPECT_FALSE(drop.up);
  EXPECT_LT(drop.value, drop.lo);
  EXPECT_GT(spike.score, drop.score);
  EXPECT_GT(drop.score, check.threshold);
}

TEST(Anomalies, RatesWeighTheirVolume) {
  // An error rate of 2 % with binomial noise; a quiet hour's 1 error in 3 requests is no alarm,
  // a busy hour's 40 % is.
  std::mt19937_64 random(4);
  MetricSeries s;
  for (size_t i = 0; i < 24 * 21; ++i) {
    const double requests = i % 24 < 8 ? 3 : 200;
    const double p = i == 24 * 15 + 12 ? 0.4 : 0.02;
    std::binomial_distribution<int> errors(static_cast<int>(requests), p);
    const double e = i == 24 * 3 + 2 ? 1 : errors(random);
    s.starts.push_back(static_cast<int64_t>(i) * 3'600'000);
    s.numerators.push_back(e);
    s.denominators.push_back(requests);
    s.sessions.push_back(requests);
    s.values.push_back(e / requests);
  }
  const AnomalyCheck check = find_anomalies(s, 24);
  ASSERT_EQ(check.anomalies.size(), 1u);
  EXPECT_EQ(check.anomalies[0].begin, 24u * 15 + 12);
  EXPECT_TRUE(check.anomalies[0].up);
  EXPECT_NEAR(check.anomalies[0].value, 0.4, 0.1);
}

TEST(Anomalies, ContributorsRankTheirShareOfTheDeviation) {
  Anomaly spike;
  spike.up = true;
  spike.value = 300;
  spike.expected = 100;
  // Usually a 50/30/20 mix; in the spike "ml" went from 20 to 215.
  const std::vector<KeyAmounts> keys = {{"backend", 52, 0, 5000, 0},
                                        {"frontend", 33, 0, 3000, 0},
                                        {"ml", 215, 0, 2000, 0}};
  const std::vector<Contributor> ranked = contributors(spike, keys, false, 5);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].key, "ml");
  EXPECT_NEAR(ranked[0].expected, 20, 1e-9);
  EXPECT_NEAR(ranked[0].share, 195.0 / 200.0, 1e-9);
  EXPECT_NEAR(ranked[0].usual_share, 0.2, 1e-9);
  EXPECT_NEAR(explanation_lift(ranked), 195.0 / 200.0 - 0.2, 1e-9);

  // A falling success rate: the tool whose results failed carries the shortfall.
  Anomaly outage;
  outage.up = false;
  const std::vector<KeyAmounts> tools = {{"Bash", 10, 100, 9'500, 10'000},
                                         {"Edit", 49, 50, 4'900, 5'000}};
  const std::vector<Contributor> failing = contributors(outage, tools, true, 5);
  ASSERT_EQ(failing.size(), 1u);  // Edit kept its usual rate
  EXPECT_EQ(failing[0].key, "Bash");
  EXPECT_NEAR(failing[0].value, 0.10, 1e-12);
  EXPECT_NEAR(failing[0].expected, 0.95, 1e-12);
  EXPECT_EQ(failing[0].share, 1.0);
  EXPECT_NEAR(failing[0].usual_share, 500.0 / 600.0, 1e-12);  // of the usual failures
}

}  // namespace
}  // namespace cca::insights
