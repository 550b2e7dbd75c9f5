#include "insights/forecast.h"

#include <gtest/gtest.h>

#include <cmath>

#include "insights/synthetic_series.h"

namespace cca::insights {
namespace {

using testing::SeriesShape;
using testing::synthetic_series;

const std::vector<double> kWorkWeek = {1.2, 1.15, 1.1, 1.1, 0.95, 0.3, 0.2};

TEST(Forecast, FollowsTrendAndRhythmAndBeatsSeasonalNaive) {
  const SeriesShape shape{.level = 100, .slope_per_day = 1.5, .weekly = kWorkWeek, .noise_cv = 0.1};
  const std::vector<double> all = synthetic_series(shape, 90 + 14);
  const std::vector<double> history(all.begin(), all.begin() + 90);
  const Forecast f = forecast(history, 7, 14);
  EXPECT_EQ(f.method, "seasonal_trend");
  EXPECT_EQ(f.season, 7u);
  ASSERT_TRUE(f.backtest);
  EXPECT_LT(f.backtest->mase, 1.0);
  EXPECT_LT(f.backtest->mae, f.backtest->naive_mae);
  EXPECT_EQ(f.points.size(), 14u);
  for (size_t h = 0; h < 14; ++h) {
    const size_t day = 90 + h;
    const double truth = (100 + 1.5 * day) * kWorkWeek[day % 7];
    EXPECT_NEAR(f.points[h].value, truth, 0.15 * truth) << h;
    EXPECT_LE(f.points[h].lo95, f.points[h].lo80);
    EXPECT_LE(f.points[h].lo80, f.points[h].value);
    EXPECT_LE(f.points[h].value, f.points[h].hi80);
    EXPECT_LE(f.points[h].hi80, f.points[h].hi95);
  }
}

// The intervals come from backtest errors; over many series they must hold the future actual
// values about as often as they say, and the backtest's own coverage must say so too.
TEST(Forecast, IntervalsCoverNearTheirNominalRate) {
  size_t inside80 = 0, inside95 = 0, total = 0;
  double backtest80 = 0, backtest95 = 0;
  constexpr int kSeries = 40;
  for (int seed = 1; seed <= kSeries; ++seed) {
    const SeriesShape shape{.level = 200, .slope_per_day = seed % 2 ? 1.0 : -0.5,
                            .weekly = kWorkWeek, .noise_cv = 0.15, .seed = static_cast<uint64_t>(seed)};
    const std::vector<double> all = synthetic_series(shape, 84 + 7);
    const Forecast f = forecast(std::span(all).first(84), 7, 7);
    ASSERT_TRUE(f.backtest);
    backtest80 += f.backtest->coverage80 / kSeries;
    backtest95 += f.backtest->coverage95 / kSeries;
    for (size_t h = 0; h < 7; ++h) {
      const double actual = all[84 + h];
      inside80 += actual >= f.points[h].lo80 && actual <= f.points[h].hi80;
      inside95 += actual >= f.points[h].lo95 && actual <= f.points[h].hi95;
      ++total;
    }
  }
  const double future80 = static_cast<double>(inside80) / total;
  const double future95 = static_cast<double>(inside95) / total;
  // 280 forecasts: a binomial's two standard errors are about 5 points at 80 % and 3 at 95 %.
  EXPECT_NEAR(future80, 0.80, 0.08);
  EXPECT_NEAR(future95, 0.95, 0.05);
  EXPECT_NEAR(backtest80, 0.80, 0.08);
  EXPECT_NEAR(backtest95, 0.95, 0.05);
}

TEST(Forecast, OutliersDoNotMoveIt) {
  std::vector<double> history = synthetic_series({.level = 50, .noise_cv = 0.05}, 56);
  history[20] = 5000;
  history[41] = 0;
  history[50] = 3000;
  const Forecast f = forecast(history, 7, 7);
  for (const ForecastPoint& p : f.points) EXPECT_NEAR(p.value, 50, 5);
}

TEST(Forecast, QuietWeekendsStayQuietAndNothingGoesBelowZero) {
  const SeriesShape shape{.level = 80, .slope_per_day = -1.2, .weekly = {1, 1, 1, 1, 1, 0, 0},
                          .noise_cv = 0.1};
  const std::vector<double> history = synthetic_series(shape, 56);
  const Forecast f = forecast(history, 7, 30);
  for (size_t h = 0; h < f.points.size(); ++h) {
    const ForecastPoint& p = f.points[h];
    EXPECT_GE(p.lo95, 0);
    EXPECT_GE(p.value, 0);
    if ((56 + h) % 7 >= 5) {
      EXPECT_LT(p.value, 8) << h;  // a weekend day
    }
  }
}

TEST(Forecast, ShortHistorySaysWhatItLeftOut) {
  const std::vector<double> ten = synthetic_series({.level = 10, .slope_per_day = 1}, 10);
  const Forecast f = forecast(ten, 7, 3);
  EXPECT_EQ(f.season, 0u);
  EXPECT_TRUE(f.method == "trend" || f.method == "level");
  EXPECT_NE(f.note.find("under two seasons"), std::string::npos);
  ASSERT_TRUE(f.backtest);

  const std::vector<double> three = {4, 6, 5};
  const Forecast g = forecast(three, 7, 2);
  EXPECT_EQ(g.method, "level");
  EXPECT_FALSE(g.backtest);
  EXPECT_NE(g.note.find("too few to backtest"), std::string::npos);
  EXPECT_EQ(g.points[0].value, 5);
  EXPECT_LE(g.points[0].lo80, 5);
  EXPECT_GE(g.points[0].hi80, 5);

  const Forecast none = forecast({}, 7, 2);
  EXPECT_EQ(none.points.size(), 2u);
  EXPECT_EQ(none.points[0].value, 0);
  EXPECT_NE(none.note.find("no history"), std::string::npos);
}

}  // namespace
}  // namespace cca::insights
