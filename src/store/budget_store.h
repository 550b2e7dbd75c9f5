#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace cca::store {

// A spending limit over a filter set and a calendar period (docs/api.md, "Budgets"). Its filters
// and thresholds are kept as the JSON the API took, which the server reads back.
struct BudgetRecord {
  int64_t id = 0;
  std::string name;
  double amount_usd = 0;
  std::string period;           // day, week or month
  std::string filters_json;     // {"practice": "ML Engineering", ...}
  std::string thresholds_json;  // [{"percent": 80, "basis": "actual"}, ...]
  std::optional<std::string> webhook;
  int64_t created_ms = 0, updated_ms = 0;
};

// One threshold crossed in one period, and the delivery of its webhook.
struct BudgetAlert {
  int64_t id = 0;
  int64_t budget_id = 0;
  std::string budget_name;
  double percent = 0;
  std::string basis;  // actual or forecast
  int64_t period_start_ms = 0, period_end_ms = 0;
  double spend_usd = 0, forecast_usd = 0, amount_usd = 0;
  int64_t at_ms = 0;  // when the crossing was seen ("now", CCANALYTICS_NOW included)
  std::optional<std::string> webhook;
  std::string status;  // pending, delivered, no_webhook, cancelled (its budget was deleted)
  int64_t attempts = 0;
  std::optional<int64_t> last_attempt_ms, next_attempt_ms, delivered_ms;  // system clock
  std::optional<std::string> last_error;  // of the last failed attempt
};

// The budgets and budget_alerts tables. An alert is unique per budget, threshold and period, so
// that a crossing is raised, and its webhook sent, once per period whoever evaluates it and
// however often.
class BudgetStore {
 public:
  explicit BudgetStore(Database& db) : db_(db) {}

  int64_t create(const BudgetRecord& budget);  // returns the new id
  bool update(const BudgetRecord& budget);     // false when there is no such budget
  // Deletes the budget and cancels its undelivered alerts; the history stays. False when there is
  // no such budget.
  bool remove(int64_t id);
  std::vector<BudgetRecord> list() const;
  std::optional<BudgetRecord> find(int64_t id) const;

  // Records the crossing unless this threshold already fired in this period; true when it is new.
  bool raise(const BudgetAlert& alert);
  // Newest first.
  std::vector<BudgetAlert> alerts(size_t limit, size_t offset) const;
  int64_t alert_count() const;
  std::vector<BudgetAlert> alerts_of_period(int64_t budget_id, int64_t period_start_ms) const;
  // Pending deliveries whose next attempt is due at system time now_ms, oldest first.
  std::vector<BudgetAlert> due_deliveries(int64_t now_ms, size_t limit) const;
  // The earliest next attempt of a pending delivery, if any.
  std::optional<int64_t> next_delivery_ms() const;
  // One delivery attempt: delivered, or failed with `error` and retried at next_attempt_ms. A
  // delivered alert keeps the error of its last failed attempt, if any.
  void record_attempt(int64_t alert_id, int64_t at_ms, bool delivered, std::string_view error,
                      int64_t next_attempt_ms);

 private:
  Database& db_;
};

}  // namespace cca::store
