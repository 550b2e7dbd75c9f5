#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/analytics.h"
#include "engine/filter.h"

namespace cca::insights {

enum class BudgetPeriod { kDay, kWeek, kMonth };

std::optional<BudgetPeriod> parse_budget_period(std::string_view name);
std::string_view budget_period_name(BudgetPeriod period);

// The calendar period holding now_ms, [start, end), in UTC; weeks start on Monday.
struct PeriodRange {
  int64_t start_ms = 0, end_ms = 0;
};
PeriodRange budget_period_range(BudgetPeriod period, int64_t now_ms);

// Spend (cost_usd under a filter) over a period of whole days as seen at now_ms: what was spent
// from its start until now, and the forecast for the whole period.
struct SpendProjection {
  PeriodRange period;
  double spend_usd = 0;
  // spend so far + the rest of today (its daily forecast times the share of the day left) + the
  // daily forecasts of the days after, up to the period's end (forecast.h, over the filter's whole
  // history before today). A period that has not begun is all forecast; one that is over, all
  // spend.
  double forecast_usd = 0;
};
SpendProjection project_spend(const engine::Analytics& analytics, const engine::Filter& filter,
                              PeriodRange period, int64_t now_ms);

// Where a budget stands at now_ms: its calendar period's projection.
inline SpendProjection budget_status(const engine::Analytics& analytics,
                                     const engine::Filter& filter, BudgetPeriod period,
                                     int64_t now_ms) {
  return project_spend(analytics, filter, budget_period_range(period, now_ms), now_ms);
}

}  // namespace cca::insights
