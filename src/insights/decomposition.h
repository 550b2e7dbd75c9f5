#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "engine/timeseries.h"

namespace cca::insights {

// Buckets per season: a week of days; for hours a day, or a week once three weeks of history
// show the weekly rhythm on top of the daily one. 0 for weeks (no season is modelled).
size_t season_length(engine::Bucket bucket, size_t history_buckets);

// How the seasonal part combines with the trend. Amounts (cost, events) move in proportion: a
// quiet Sunday is a fraction of a busy Monday whatever the level, so as the level doubles, so does
// the gap. Rates are bounded and move by additions.
enum class Seasonality { kAdditive, kMultiplicative };

// A series split into trend and seasonal parts and a residual by robust statistics (medians
// throughout, in the spirit of STL with robustness weights): a one-day spike moves neither the
// trend nor the seasonal profile, so it stands out in the residual.
struct Decomposition {
  size_t season = 0;        // 0: no seasonal part
  size_t first_index = 0;   // point 0's index in the whole series, which fixes the phases
  Seasonality kind = Seasonality::kAdditive;
  std::vector<double> trend;     // per point
  std::vector<double> seasonal;  // per phase, (first_index + i) % season: terms centred on 0, or
                                 // factors averaging 1
  std::vector<double> residual;  // per point: value - expected

  // Point i's seasonal term or factor; i may run past the end (forecasts).
  double seasonal_at(size_t i) const {
    if (seasonal.empty()) return kind == Seasonality::kMultiplicative ? 1.0 : 0.0;
    return seasonal[(first_index + i) % season];
  }
  double combine(double trend_value, size_t i) const {
    return kind == Seasonality::kMultiplicative ? trend_value * seasonal_at(i)
                                                : trend_value + seasonal_at(i);
  }
  double expected(size_t i) const { return combine(trend[i], i); }
};

// Point i's phase is (first_index + i) % season, so that windows of one series agree on phases.
// Without at least two whole seasons the seasonal part is left out.
Decomposition decompose(std::span<const double> values, size_t season, Seasonality kind,
                        size_t first_index = 0);

// A phase whose factor is below this is a phase of nothing (the weekend of a team that never
// works then): it cannot be deseasonalised by division and tells nothing about the trend.
inline constexpr double kEmptyPhaseFactor = 0.02;

// The value with its seasonal part taken out: value - term, or value / factor (the trend's own
// value where the factor is an empty phase's).
double deseasonalised(const Decomposition& d, size_t i, double value);

}  // namespace cca::insights
