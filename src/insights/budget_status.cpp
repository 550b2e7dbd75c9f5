#include "insights/budget_status.h"

#include <algorithm>
#include <iterator>

#include "common/time_util.h"
#include "engine/summary.h"
#include "insights/queries.h"

namespace cca::insights {
namespace {

constexpr std::string_view kPeriodNames[] = {"day", "week", "month"};

}  // namespace

std::optional<BudgetPeriod> parse_budget_period(std::string_view name) {
  for (size_t i = 0; i < std::size(kPeriodNames); ++i)
    if (kPeriodNames[i] == name) return static_cast<BudgetPeriod>(i);
  return std::nullopt;
}

std::string_view budget_period_name(BudgetPeriod period) {
  return kPeriodNames[static_cast<size_t>(period)];
}

PeriodRange budget_period_range(BudgetPeriod period, int64_t now_ms) {
  const int64_t day = floor_div(now_ms, kMsPerDay);
  switch (period) {
    case BudgetPeriod::kDay:
      return {day * kMsPerDay, (day + 1) * kMsPerDay};
    case BudgetPeriod::kWeek: {
      const int64_t monday = day - weekday_monday0(now_ms);
      return {monday * kMsPerDay, (monday + 7) * kMsPerDay};
    }
    case BudgetPeriod::kMonth: {
      const CivilDate date = civil_from_days(day);
      const int64_t first = days_from_civil(date.year, date.month, 1);
      const int64_t next = date.month == 12 ? days_from_civil(date.year + 1, 1, 1)
                                            : days_from_civil(date.year, date.month + 1, 1);
      return {first * kMsPerDay, next * kMsPerDay};
    }
  }
  return {};
}

SpendProjection project_spend(const engine::Analytics& analytics, const engine::Filter& filter,
                              PeriodRange period, int64_t now_ms) {
  SpendProjection projection;
  projection.period = period;
  const int64_t now = std::clamp(now_ms, period.start_ms, period.end_ms);
  engine::Filter spent = filter;
  spent.from_ms = period.start_ms;
  spent.to_ms = now;
  projection.spend_usd = now > period.start_ms ? analytics.summarize(spent).metrics.cost_usd : 0;
  if (now >= period.end_ms) {
    projection.forecast_usd = projection.spend_usd;
    return projection;
  }
  const int64_t today = floor_div(now, kMsPerDay) * kMsPerDay;
  const size_t days_left = static_cast<size_t>((period.end_ms - today + kMsPerDay - 1) / kMsPerDay);
  engine::Filter history = filter;
  history.from_ms.reset();
  history.to_ms = today;
  const MetricForecast f = forecast_metric(analytics, history, engine::Metric::kCostUsd,
                                           engine::Bucket::kDay, days_left, now);
  const double day_left = static_cast<double>(today + kMsPerDay - now) / kMsPerDay;
  double rest = 0;
  for (size_t i = 0; i < f.forecast.points.size(); ++i)
    rest += f.forecast.points[i].value * (i == 0 ? day_left : 1.0);
  projection.forecast_usd = projection.spend_usd + rest;
  return projection;
}

}  // namespace cca::insights
