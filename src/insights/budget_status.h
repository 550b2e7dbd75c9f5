#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/filter.h"
#include "engine/snapshot.h"

namespace cca::insights {

enum class BudgetPeriod { kDay, kWeek, kMonth };

std::optional<BudgetPeriod> parse_budget_period(std::string_view name);
std::string_view budget_period_name(BudgetPeriod period);

// The calendar period holding now_ms, [start, end), in UTC; weeks start on Monday.
struct PeriodRange {
  int64_t start_ms = 0, end_ms = 0;
};
PeriodRange budget_period_range(BudgetPeriod period, int64_t now_ms);

// Where a budget stands at now_ms: the spend of its events (cost_usd under its filter) since the
// period began, and the spend forecast for the whole period.
struct BudgetStatus {
  PeriodRange period;
  double spend_usd = 0;
  // spend so far + the rest of today (its daily forecast times the share of the day left) + the
  // daily forecasts of the days after, up to the period's end (forecast.h, over the filter's whole
  // history before today).
  double forecast_usd = 0;
};
BudgetStatus budget_status(const engine::Snapshot& snapshot, const engine::Filter& filter,
                           BudgetPeriod period, int64_t now_ms);

}  // namespace cca::insights
