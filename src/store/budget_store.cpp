#include "store/budget_store.h"

namespace cca::store {
namespace {

constexpr const char* kBudgetColumns =
    "id, name, amount_usd, period, filters, thresholds, webhook, created_ms, updated_ms";
constexpr const char* kAlertColumns =
    "id, budget_id, budget_name, percent, basis, period_start_ms, period_end_ms, spend_usd, "
    "forecast_usd, amount_usd, at_ms, webhook, status, attempts, last_attempt_ms, "
    "next_attempt_ms, last_error, delivered_ms";

void bind_optional(Statement& s, int index, const std::optional<std::string>& text) {
  if (text)
    s.bind_text(index, *text);
  else
    s.bind_null(index);
}

BudgetRecord read_budget(const Statement& s) {
  BudgetRecord b;
  b.id = s.column_int(0);
  b.name = s.column_text(1);
  b.amount_usd = s.column_double(2);
  b.period = s.column_text(3);
  b.filters_json = s.column_text(4);
  b.thresholds_json = s.column_text(5);
  b.webhook = s.column_optional_text(6);
  b.created_ms = s.column_int(7);
  b.updated_ms = s.column_int(8);
  return b;
}

BudgetAlert read_alert(const Statement& s) {
  BudgetAlert a;
  a.id = s.column_int(0);
  a.budget_id = s.column_int(1);
  a.budget_name = s.column_text(2);
  a.percent = s.column_double(3);
  a.basis = s.column_text(4);
  a.period_start_ms = s.column_int(5);
  a.period_end_ms = s.column_int(6);
  a.spend_usd = s.column_double(7);
  a.forecast_usd = s.column_double(8);
  a.amount_usd = s.column_double(9);
  a.at_ms = s.column_int(10);
  a.webhook = s.column_optional_text(11);
  a.status = s.column_text(12);
  a.attempts = s.column_int(13);
  a.last_attempt_ms = s.column_optional_int(14);
  a.next_attempt_ms = s.column_optional_int(15);
  a.last_error = s.column_optional_text(16);
  a.delivered_ms = s.column_optional_int(17);
  return a;
}

std::vector<BudgetAlert> read_alerts(Statement& s) {
  std::vector<BudgetAlert> alerts;
  while (s.step()) alerts.push_back(read_alert(s));
  return alerts;
}

void bind_budget(Statement& s, const BudgetRecord& b) {
  s.bind_text(1, b.name);
  s.bind_double(2, b.amount_usd);
  s.bind_text(3, b.period);
  s.bind_text(4, b.filters_json);
  s.bind_text(5, b.thresholds_json);
  bind_optional(s, 6, b.webhook);
}

}  // namespace

int64_t BudgetStore::create(const BudgetRecord& budget) {
  Statement insert(db_,
                   "INSERT INTO budgets (name, amount_usd, period, filters, thresholds, webhook, "
                   "created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  bind_budget(insert, budget);
  insert.bind_int(7, budget.created_ms);
  insert.bind_int(8, budget.updated_ms);
  insert.step();
  return sqlite3_last_insert_rowid(db_.handle());
}

bool BudgetStore::update(const BudgetRecord& budget) {
  Statement update(db_,
                   "UPDATE budgets SET name = ?, amount_usd = ?, period = ?, filters = ?, "
                   "thresholds = ?, webhook = ?, updated_ms = ? WHERE id = ?");
  bind_budget(update, budget);
  update.bind_int(7, budget.updated_ms);
  update.bind_int(8, budget.id);
  update.step();
  return sqlite3_changes(db_.handle()) > 0;
}

bool BudgetStore::remove(int64_t id) {
  Transaction transaction(db_);
  Statement cancel(db_,
                   "UPDATE budget_alerts SET status = 'cancelled', next_attempt_ms = NULL "
                   "WHERE budget_id = ? AND status = 'pending'");
  cancel.bind_int(1, id);
  cancel.step();
  Statement erase(db_, "DELETE FROM budgets WHERE id = ?");
  erase.bind_int(1, id);
  erase.step();
  const bool existed = sqlite3_changes(db_.handle()) > 0;
  transaction.commit();
  return existed;
}

std::vector<BudgetRecord> BudgetStore::list() const {
  Statement select(db_, std::string("SELECT ") + kBudgetColumns + " FROM budgets ORDER BY id");
  std::vector<BudgetRecord> budgets;
  while (select.step()) budgets.push_back(read_budget(select));
  return budgets;
}

std::optional<BudgetRecord> BudgetStore::find(int64_t id) const {
  Statement select(db_, std::string("SELECT ") + kBudgetColumns + " FROM budgets WHERE id = ?");
  select.bind_int(1, id);
  if (!select.step()) return std::nullopt;
  return read_budget(select);
}

bool BudgetStore::raise(const BudgetAlert& a) {
  Statement insert(
      db_,
      "INSERT OR IGNORE INTO budget_alerts (budget_id, budget_name, percent, basis, "
      "period_start_ms, period_end_ms, spend_usd, forecast_usd, amount_usd, at_ms, "
      "webhook, status, next_attempt_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind_int(1, a.budget_id);
  insert.bind_text(2, a.budget_name);
  insert.bind_double(3, a.percent);
  insert.bind_text(4, a.basis);
  insert.bind_int(5, a.period_start_ms);
  insert.bind_int(6, a.period_end_ms);
  insert.bind_double(7, a.spend_usd);
  insert.bind_double(8, a.forecast_usd);
  insert.bind_double(9, a.amount_usd);
  insert.bind_int(10, a.at_ms);
  bind_optional(insert, 11, a.webhook);
  insert.bind_text(12, a.status);
  if (a.next_attempt_ms)
    insert.bind_int(13, *a.next_attempt_ms);
  else
    insert.bind_null(13);
  insert.step();
  return sqlite3_changes(db_.handle()) > 0;
}

std::vector<BudgetAlert> BudgetStore::alerts(size_t limit, size_t offset) const {
  Statement select(db_, std::string("SELECT ") + kAlertColumns +
                            " FROM budget_alerts ORDER BY id DESC LIMIT ? OFFSET ?");
  select.bind_int(1, static_cast<int64_t>(limit));
  select.bind_int(2, static_cast<int64_t>(offset));
  return read_alerts(select);
}

int64_t BudgetStore::alert_count() const {
  return db_.query_int("SELECT count(*) FROM budget_alerts");
}

std::vector<BudgetAlert> BudgetStore::alerts_of_period(int64_t budget_id,
                                                       int64_t period_start_ms) const {
  Statement select(db_, std::string("SELECT ") + kAlertColumns +
                            " FROM budget_alerts WHERE budget_id = ? AND period_start_ms = ?");
  select.bind_int(1, budget_id);
  select.bind_int(2, period_start_ms);
  return read_alerts(select);
}

std::vector<BudgetAlert> BudgetStore::due_deliveries(int64_t now_ms, size_t limit) const {
  Statement select(db_, std::string("SELECT ") + kAlertColumns +
                            " FROM budget_alerts WHERE status = 'pending' AND next_attempt_ms <= ? "
                            "ORDER BY next_attempt_ms, id LIMIT ?");
  select.bind_int(1, now_ms);
  select.bind_int(2, static_cast<int64_t>(limit));
  return read_alerts(select);
}

std::optional<int64_t> BudgetStore::next_delivery_ms() const {
  Statement select(db_, "SELECT min(next_attempt_ms) FROM budget_alerts WHERE status = 'pending'");
  if (!select.step() || select.column_is_null(0)) return std::nullopt;
  return select.column_int(0);
}

void BudgetStore::record_attempt(int64_t alert_id, int64_t at_ms, bool delivered,
                                 std::string_view error, int64_t next_attempt_ms) {
  Statement update(db_,
                   "UPDATE budget_alerts SET attempts = attempts + 1, last_attempt_ms = ?1, "
                   "status = CASE WHEN ?2 THEN 'delivered' ELSE status END, "
                   "delivered_ms = CASE WHEN ?2 THEN ?1 ELSE delivered_ms END, "
                   "last_error = CASE WHEN ?2 THEN last_error ELSE ?3 END, "
                   "next_attempt_ms = CASE WHEN ?2 THEN NULL ELSE ?4 END "
                   "WHERE id = ?5 AND status = 'pending'");
  update.bind_int(1, at_ms);
  update.bind_int(2, delivered ? 1 : 0);
  update.bind_text(3, error);
  update.bind_int(4, next_attempt_ms);
  update.bind_int(5, alert_id);
  update.step();
}

}  // namespace cca::store
