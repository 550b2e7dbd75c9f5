#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cca::insights {

struct ForecastPoint {
  double value = 0;
  double lo80 = 0, hi80 = 0, lo95 = 0, hi95 = 0;
};

// The rolling-origin backtest of the chosen method over the end of the history: from each origin
// the method is fitted on what came before and forecasts the next buckets.
struct Backtest {
  double mae = 0;        // mean absolute error of the method
  double naive_mae = 0;  // of the seasonal naive forecast (the last season repeated) on the same
                         // origins and horizons; the last value when no season is modelled
  double mase = 0;       // mae / naive_mae: below 1 the method beats the seasonal naive
  // The share of actual values inside the intervals, each interval calibrated only on errors
  // known at its origin.
  double coverage80 = 0, coverage95 = 0;
  size_t origins = 0, forecasts = 0, checked_intervals = 0;
};

struct Forecast {
  std::string_view method;  // "seasonal_trend", "seasonal", "trend" or "level"
  size_t season = 0;        // the season modelled, 0 for none
  std::vector<ForecastPoint> points;
  std::optional<Backtest> backtest;  // none for a history too short to backtest
  std::string note;                  // what short history made the forecast leave out
};

// Forecasts an amount (a count or a sum, never below 0) `horizon` buckets after the history.
// season: buckets per season (0 or 1 for none); it is modelled, as factors on a line (see
// Seasonality), once the history holds two.
//
// The method is the one of two candidates (with and without a trend) with the smaller backtest
// error. Intervals are the backtest's own error quantiles (not a normal assumption), widened by
// sqrt(h / H) for horizons h past the backtested H.
Forecast forecast(std::span<const double> history, size_t season, size_t horizon);

}  // namespace cca::insights
