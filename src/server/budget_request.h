#pragma once

#include <string_view>
#include <vector>

#include "engine/filter.h"
#include "store/budget_store.h"

namespace cca::server {

// The body of POST /api/v1/budgets and PUT /api/v1/budgets/{id}, checked field by field: an
// ApiError 400 names the first field that is wrong and why. The record keeps the filters and
// thresholds as normalised JSON (filter values as comma-separated text).
store::BudgetRecord parse_budget_request(std::string_view body);

// A budget's filters as the engine's, read with the same rules as query filters. Throws ApiError
// (a stored budget was checked when it was written, so only a change of those rules would).
engine::Filter budget_filter(std::string_view filters_json);

struct BudgetThreshold {
  double percent = 0;
  bool on_forecast = false;  // basis "forecast"; else "actual"
};
std::vector<BudgetThreshold> budget_thresholds(std::string_view thresholds_json);

}  // namespace cca::server
