#include "insights/decomposition.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "insights/synthetic_series.h"

namespace cca::insights {
namespace {

// The decomposition written out plainly, each median by sorting its window: the reference the
// fast one (sliding windows, nth_element) is held to.
double sorted_median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::vector<double> reference_trend(const std::vector<double>& v, size_t width) {
  std::vector<double> out;
  for (size_t i = 0; i < v.size(); ++i) {
    const size_t from = i >= width / 2 ? i - width / 2 : 0;
    const size_t to = std::min(v.size(), i + width - width / 2);
    out.push_back(sorted_median({v.begin() + from, v.begin() + to}));
  }
  return out;
}

std::vector<double> reference_profile(const std::vector<double>& v, const std::vector<double>& trend,
                                      size_t season, size_t first, bool ratio) {
  std::vector<double> profile(season);
  for (size_t phase = 0; phase < season; ++phase) {
    std::vector<double> about;
    for (size_t i = 0; i < v.size(); ++i) {
      if ((first + i) % season != phase || (ratio && trend[i] <= 0)) continue;
      about.push_back(ratio ? v[i] / trend[i] : v[i] - trend[i]);
    }
    profile[phase] = about.empty() ? (ratio ? 1 : 0) : sorted_median(about);
  }
  const double mean = std::accumulate(profile.begin(), profile.end(), 0.0) / season;
  for (double& p : profile) p = ratio ? p / mean : p - mean;
  return profile;
}

TEST(Decomposition, EqualsThePlainReference) {
  testing::SeriesShape shape{.level = 50, .slope_per_day = 0.8,
                             .weekly = {1.2, 1.1, 1, 1, 0.9, 0.2, 0.0}, .noise_cv = 0.2, .seed = 3};
  std::vector<double> values = testing::synthetic_series(shape, 75);
  values[40] *= 6;  // an incident
  for (const bool ratio : {false, true}) {
    for (const size_t first : {0, 3}) {
      const Decomposition d = decompose(
          values, 7, ratio ? Seasonality::kMultiplicative : Seasonality::kAdditive, first);
      ASSERT_EQ(d.season, 7u);
      const std::vector<double> trend1 = reference_trend(values, 21);
      const std::vector<double> profile1 = reference_profile(values, trend1, 7, first, ratio);
      std::vector<double> adjusted = values;
      for (size_t i = 0; i < adjusted.size(); ++i) {
        const double p = profile1[(first + i) % 7];
        adjusted[i] = !ratio ? values[i] - p : p >= 0.02 ? values[i] / p : trend1[i];
      }
      const std::vector<double> trend = reference_trend(adjusted, 21);
      const std::vector<double> profile = reference_profile(values, trend, 7, first, ratio);
      for (size_t phase = 0; phase < 7; ++phase)
        EXPECT_NEAR(d.seasonal[phase], profile[phase], 1e-9) << ratio << " phase " << phase;
      for (size_t i = 0; i < values.size(); ++i) {
        const double p = profile[(first + i) % 7];
        const double expected = ratio ? trend[i] * p : trend[i] + p;
        EXPECT_NEAR(d.trend[i], trend[i], 1e-9) << ratio << " at " << i;
        EXPECT_NEAR(d.residual[i], values[i] - expected, 1e-9) << ratio << " at " << i;
      }
    }
  }
}

TEST(Decomposition, SeparatesTrendRhythmAndIncident) {
  // Exact weekly rhythm on a straight line: away from the ends, nothing is left but the incident.
  std::vector<double> values;
  const double rhythm[] = {10, 12, 11, 13, 9, -20, -25};
  for (size_t i = 0; i < 70; ++i) values.push_back(100 + 0.5 * i + rhythm[i % 7]);
  values[35] += 80;
  const Decomposition d = decompose(values, 7, Seasonality::kAdditive);
  for (size_t i = 11; i + 11 < values.size(); ++i) {
    if (i == 35) continue;
    EXPECT_NEAR(d.residual[i], 0, 1.0) << i;
  }
  EXPECT_NEAR(d.residual[35], 80, 1.0);
  EXPECT_GT(d.seasonal_at(0) - d.seasonal_at(6), 30);  // Monday above Sunday
}

TEST(Decomposition, ProportionalRhythmOnAGrowingLevel) {
  // Weekends at a tenth of weekdays while the level triples: factors, not terms, fit it.
  const double factors[] = {1.3, 1.3, 1.3, 1.3, 1.3, 0.13, 0.13};
  std::vector<double> values;
  for (size_t i = 0; i < 70; ++i) values.push_back((50 + 2.0 * i) * factors[i % 7]);
  const Decomposition d = decompose(values, 7, Seasonality::kMultiplicative);
  for (size_t i = 11; i + 11 < values.size(); ++i)
    EXPECT_NEAR(d.residual[i], 0, 0.02 * values[i] + 1e-9) << i;
  EXPECT_NEAR(d.seasonal_at(5) / d.seasonal_at(0), 0.1, 0.01);
}

TEST(Decomposition, NeedsTwoSeasons) {
  const std::vector<double> values(13, 5.0);
  const Decomposition d = decompose(values, 7, Seasonality::kMultiplicative);
  EXPECT_EQ(d.season, 0u);
  EXPECT_TRUE(d.seasonal.empty());
  for (double r : d.residual) EXPECT_EQ(r, 0);
}

TEST(Decomposition, SeasonLengths) {
  EXPECT_EQ(season_length(engine::Bucket::kDay, 60), 7u);
  EXPECT_EQ(season_length(engine::Bucket::kHour, 300), 24u);
  EXPECT_EQ(season_length(engine::Bucket::kHour, 3 * 168), 168u);
  EXPECT_EQ(season_length(engine::Bucket::kWeek, 60), 0u);
}

}  // namespace
}  // namespace cca::insights
