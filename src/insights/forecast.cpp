#include "insights/forecast.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "insights/decomposition.h"
#include "insights/robust_stats.h"

namespace cca::insights {
namespace {

// How much history one fit reads: recent enough to follow a change of level, long enough for
// medians to shrug off a bad week. Weekly seasons of hours get fewer, as each is 168 points.
size_t fit_window(size_t season) {
  if (season >= 168) return 4 * season;
  return season > 1 ? 8 * season : 28;
}
// Origins of the backtest: enough forecasts for stable error quantiles, few enough to answer in
// milliseconds (each origin is a fit).
size_t max_origins(size_t season) { return season >= 168 ? 16 : 40; }
constexpr size_t kMinErrorsForInterval = 30;

// A fitted line times a seasonal profile, over absolute indexes of the series.
struct Model {
  double intercept = 0, slope = 0;
  size_t season = 0;
  std::vector<double> factors;  // by absolute phase, i % season

  double at(size_t i) const {
    const double line = intercept + slope * static_cast<double>(i);
    return season ? line * factors[i % season] : line;
  }
};

// What the candidates of one origin share: the window's deseasonalised points, those of empty
// phases left out.
struct Window {
  std::vector<double> x, adjusted;
  std::vector<double> factors;
};

Window deseasonalise(std::span<const double> history, size_t end, size_t season) {
  Window w;
  const size_t length = std::min(end, fit_window(season));
  const size_t start = end - length;
  const std::span<const double> values = history.subspan(start, length);
  const Decomposition d = decompose(values, season, Seasonality::kMultiplicative, start);
  w.factors = d.seasonal;
  for (size_t i = 0; i < length; ++i) {
    if (d.season && d.seasonal_at(i) < kEmptyPhaseFactor) continue;
    w.x.push_back(static_cast<double>(start + i));
    w.adjusted.push_back(deseasonalised(d, i, values[i]));
  }
  return w;
}

Model fit(const Window& w, size_t season, bool with_trend) {
  Model m;
  m.season = w.factors.empty() ? 0 : season;
  m.factors = w.factors;
  if (w.adjusted.empty()) return m;
  if (with_trend) {
    m.slope = theil_sen_slope(w.x, w.adjusted);
    std::vector<double> intercepts(w.adjusted.size());
    for (size_t i = 0; i < intercepts.size(); ++i) intercepts[i] = w.adjusted[i] - m.slope * w.x[i];
    m.intercept = median(std::move(intercepts));
  } else {
    // The recent level: the last two seasons, or the last week of points without a season.
    const size_t recent = std::min(w.adjusted.size(), m.season ? 2 * m.season : size_t{7});
    m.intercept = median({w.adjusted.end() - static_cast<ptrdiff_t>(recent), w.adjusted.end()});
  }
  return m;
}

struct Candidate {
  std::string_view method;
  bool with_trend;
  std::vector<double> errors;             // actual - forecast, by origin then horizon
  std::vector<size_t> origin_of, target;  // of each error
  double abs_error_sum = 0;
};

struct Quantiles {
  double lo80, hi80, lo95, hi95;
};
// The interval bounds among k errors: the order statistics a next error falls below with at least
// the nominal probability when errors are exchangeable (the split-conformal rule), ceil((k + 1) p)
// from the bottom for an upper bound, which interpolated quantiles of few errors fall short of.
Quantiles error_quantiles(std::vector<double> errors) {
  if (errors.empty()) return {0, 0, 0, 0};
  std::sort(errors.begin(), errors.end());
  const size_t k = errors.size();
  const auto upper = [&](double p) {
    const size_t rank = static_cast<size_t>(std::ceil((static_cast<double>(k) + 1) * p));
    return errors[std::clamp<size_t>(rank, 1, k) - 1];
  };
  const auto lower = [&](double p) {
    const size_t rank = static_cast<size_t>(std::floor((static_cast<double>(k) + 1) * p));
    return errors[std::clamp<size_t>(rank, 1, k) - 1];
  };
  return {lower(0.10), upper(0.90), lower(0.025), upper(0.975)};
}

// The share of a candidate's forecasts whose actual fell inside intervals built only from the
// errors known at their origin (targets before it): an out-of-sample check of the calibration.
void measure_coverage(const Candidate& c, Backtest& backtest) {
  size_t checked = 0, inside80 = 0, inside95 = 0;
  size_t i = 0;
  while (i < c.errors.size()) {
    const size_t origin = c.origin_of[i];
    std::vector<double> known;
    for (size_t k = 0; k < c.errors.size(); ++k)
      if (c.target[k] < origin) known.push_back(c.errors[k]);
    const bool enough = known.size() >= kMinErrorsForInterval;
    const Quantiles q = enough ? error_quantiles(known) : Quantiles{};
    for (; i < c.errors.size() && c.origin_of[i] == origin; ++i) {
      if (!enough) continue;
      ++checked;
      const double e = c.errors[i];
      inside80 += e >= q.lo80 && e <= q.hi80;
      inside95 += e >= q.lo95 && e <= q.hi95;
    }
  }
  backtest.checked_intervals = checked;
  if (checked == 0) return;
  backtest.coverage80 = static_cast<double>(inside80) / static_cast<double>(checked);
  backtest.coverage95 = static_cast<double>(inside95) / static_cast<double>(checked);
}

std::string note_text(const char* format, size_t a, size_t b) {
  char text[256];
  std::snprintf(text, sizeof text, format, a, b);
  return text;
}

}  // namespace

Forecast forecast(std::span<const double> history, size_t season, size_t horizon) {
  Forecast result;
  const size_t n = history.size();
  const auto clip = [](double v) { return std::max(0.0, v); };
  const bool seasonal = season > 1 && n >= 2 * season;
  result.season = seasonal ? season : 0;
  if (season > 1 && !seasonal)
    result.note = note_text(
        "%zu buckets of history are under two seasons (%zu): the seasonal rhythm is not modelled",
        n, 2 * season);
  const size_t model_season = seasonal ? season : 0;
  const size_t min_fit = seasonal ? 2 * season : 3;

  if (n <= min_fit) {
    // Too short to backtest: the median, with the history's own spread about it as intervals.
    result.method = "level";
    const double level = median({history.begin(), history.end()});
    std::vector<double> spread;
    for (double v : history) spread.push_back(v - level);
    const Quantiles q = error_quantiles(spread);
    for (size_t h = 0; h < horizon; ++h)
      result.points.push_back({clip(level), clip(level + q.lo80), clip(level + q.hi80),
                               clip(level + q.lo95), clip(level + q.hi95)});
    result.note = n == 0 ? "no history: nothing to forecast from"
                         : note_text("%zu buckets of history are too few to backtest (need %zu): the "
                                     "forecast is their median, the intervals their spread",
                                     n, min_fit + 1);
    return result;
  }

  Candidate candidates[] = {{seasonal ? "seasonal_trend" : "trend", true, {}, {}, {}, 0},
                            {seasonal ? "seasonal" : "level", false, {}, {}, {}, 0}};
  const size_t backtest_horizon = std::min(horizon, std::max<size_t>(model_season, 7));
  const size_t reach = std::min(n - min_fit, std::max(max_origins(model_season), 6 * std::max<size_t>(model_season, 1)));
  const size_t origin_count = std::min(max_origins(model_season), reach);
  double naive_abs_sum = 0;
  Backtest backtest;
  for (size_t k = 0; k < origin_count; ++k) {
    const size_t origin = n - reach + k * reach / origin_count;
    const Window window = deseasonalise(history, origin, model_season);
    const size_t steps = std::min(backtest_horizon, n - origin);
    for (Candidate& c : candidates) {
      const Model model = fit(window, model_season, c.with_trend);
      for (size_t h = 1; h <= steps; ++h) {
        const size_t target = origin + h - 1;
        const double error = history[target] - clip(model.at(target));
        c.errors.push_back(error);
        c.origin_of.push_back(origin);
        c.target.push_back(target);
        c.abs_error_sum += std::abs(error);
      }
    }
    for (size_t h = 1; h <= steps; ++h) {
      const size_t target = origin + h - 1;
      const double naive = model_season ? history[origin - model_season + (h - 1) % model_season]
                                        : history[origin - 1];
      naive_abs_sum += std::abs(history[target] - naive);
    }
    ++backtest.origins;
  }
  const Candidate& chosen =
      candidates[1].abs_error_sum < candidates[0].abs_error_sum ? candidates[1] : candidates[0];
  result.method = chosen.method;
  backtest.forecasts = chosen.errors.size();
  backtest.mae = chosen.abs_error_sum / static_cast<double>(backtest.forecasts);
  backtest.naive_mae = naive_abs_sum / static_cast<double>(backtest.forecasts);
  backtest.mase = backtest.naive_mae > 0 ? backtest.mae / backtest.naive_mae
                                         : (backtest.mae == 0 ? 1.0 : HUGE_VAL);
  measure_coverage(chosen, backtest);
  result.backtest = backtest;

  const Model model = fit(deseasonalise(history, n, model_season), model_season, chosen.with_trend);
  const Quantiles q = error_quantiles(chosen.errors);
  for (size_t h = 1; h <= horizon; ++h) {
    const double value = model.at(n + h - 1);
    const double widen =
        h > backtest_horizon ? std::sqrt(static_cast<double>(h) / static_cast<double>(backtest_horizon)) : 1.0;
    result.points.push_back({clip(value), clip(value + widen * q.lo80), clip(value + widen * q.hi80),
                             clip(value + widen * q.lo95), clip(value + widen * q.hi95)});
  }
  return result;
}

}  // namespace cca::insights
