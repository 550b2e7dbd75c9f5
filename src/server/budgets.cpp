#include "server/budgets.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/time_util.h"
#include "insights/budget_status.h"
#include "server/api_error.h"
#include "server/budget_request.h"
#include "server/json_writer.h"
#include "server/webhook.h"

namespace cca::server {
namespace {

constexpr std::string_view kJson = "application/json; charset=utf-8";
constexpr auto kEvaluateEvery = std::chrono::minutes(1);
constexpr int64_t kMaxRetryMs = 10 * 60 * 1000;
constexpr size_t kDeliveriesPerRound = 20;

int64_t parse_id(std::string_view text) {
  int64_t id = 0;
  if (text.empty() || text.size() > 18) throw ApiError(404, "not_found", "no such budget");
  for (const char c : text) {
    if (c < '0' || c > '9') throw ApiError(404, "not_found", "no such budget");
    id = id * 10 + (c - '0');
  }
  return id;
}

insights::BudgetPeriod period_of(const store::BudgetRecord& budget) {
  return insights::parse_budget_period(budget.period).value_or(insights::BudgetPeriod::kMonth);
}

double crossing_value(const insights::SpendProjection& status, const BudgetThreshold& t) {
  return t.on_forecast ? status.forecast_usd : status.spend_usd;
}

std::string format_usd(double usd) {
  char text[64];
  std::snprintf(text, sizeof text, "$%.2f", usd);
  return text;
}

// The webhook's body: the contract's fields, and `text` for Slack-compatible receivers.
std::string alert_payload(const store::BudgetAlert& a) {
  const bool forecast = a.basis == "forecast";
  char percent[32];
  std::snprintf(percent, sizeof percent, "%g%%", a.percent);
  const std::string text =
      std::string("Budget \"") + a.budget_name + "\" crossed " + percent + " of " +
      format_usd(a.amount_usd) + " on " + (forecast ? "forecast" : "actual") +
      " spend: " + format_usd(a.spend_usd) + " spent, " + format_usd(a.forecast_usd) +
      " forecast for the period " + format_date(a.period_start_ms) + " to " +
      format_date(a.period_end_ms - 1) + ".";
  JsonWriter json;
  json.begin_object();
  json.key("budget_id").value(a.budget_id).key("budget").value(a.budget_name);
  json.key("percent").value(a.percent).key("basis").value(a.basis);
  json.key("spend_usd").value(a.spend_usd).key("forecast_usd").value(a.forecast_usd);
  json.key("amount_usd").value(a.amount_usd);
  json.key("period_start").time_value(a.period_start_ms, false);
  json.key("period_end").time_value(a.period_end_ms, false);
  json.key("at").time_value(a.at_ms);
  json.key("text").value(text);
  json.end_object();
  return json.take();
}

void write_optional_time(JsonWriter& json, std::string_view key, std::optional<int64_t> ms) {
  json.key(key);
  if (ms)
    json.time_value(*ms);
  else
    json.null();
}

std::string budget_json(store::Database& db, const engine::Analytics& analytics,
                        const store::BudgetRecord& budget, int64_t now) {
  const insights::SpendProjection status = insights::budget_status(
      analytics, budget_filter(budget.filters_json), period_of(budget), now);
  const std::vector<store::BudgetAlert> fired =
      store::BudgetStore(db).alerts_of_period(budget.id, status.period.start_ms);
  JsonWriter json;
  json.begin_object();
  json.key("id").value(budget.id).key("name").value(budget.name);
  json.key("amount_usd").value(budget.amount_usd).key("period").value(budget.period);
  json.key("filters").raw(budget.filters_json);
  json.key("webhook").value(budget.webhook);
  json.key("period_start").time_value(status.period.start_ms, false);
  json.key("period_end").time_value(status.period.end_ms, false);
  json.key("spend_usd").value(status.spend_usd).key("forecast_usd").value(status.forecast_usd);
  bool alarm = false;
  json.key("thresholds").begin_array();
  for (const BudgetThreshold& t : budget_thresholds(budget.thresholds_json)) {
    const bool crossed = crossing_value(status, t) >= t.percent / 100 * budget.amount_usd;
    alarm = alarm || crossed;
    std::optional<int64_t> fired_at;
    for (const store::BudgetAlert& a : fired)
      if (a.percent == t.percent && (a.basis == "forecast") == t.on_forecast) fired_at = a.at_ms;
    json.begin_object().key("percent").value(t.percent);
    json.key("basis").value(t.on_forecast ? "forecast" : "actual");
    json.key("state").value(crossed ? "alarm" : "ok");
    write_optional_time(json, "fired_at", fired_at);
    json.end_object();
  }
  json.end_array();
  json.key("state").value(alarm ? "alarm" : "ok");
  json.key("created_at").time_value(budget.created_ms);
  json.key("updated_at").time_value(budget.updated_ms);
  json.end_object();
  return json.take();
}

}  // namespace

std::string budgets_json(store::Database& db, const engine::Analytics& analytics, int64_t now) {
  std::string out = "{\"budgets\":[";
  bool first = true;
  for (const store::BudgetRecord& budget : store::BudgetStore(db).list()) {
    if (!first) out += ',';
    first = false;
    out += budget_json(db, analytics, budget, now);
  }
  return out + "]}";
}

Budgets::Budgets(const std::string& db_path, engine::AnalyticsSource& source,
                 std::chrono::milliseconds retry_base)
    : source_(source),
      retry_base_(retry_base),
      db_(db_path, store::Database::Access::kReadEvenIfReadOnly) {
  thread_ = std::thread([this] { loop(); });
}

Budgets::~Budgets() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Budgets::data_changed() {
  {
    std::lock_guard lock(wake_mutex_);
    evaluate_requested_ = true;
  }
  wake_.notify_all();
}

void Budgets::loop() {
  auto next_scheduled = std::chrono::steady_clock::now();
  while (true) {
    bool run_evaluation = false;
    {
      std::unique_lock lock(wake_mutex_);
      std::optional<int64_t> next_delivery;
      {
        std::lock_guard store_lock(store_mutex_);
        next_delivery = store::BudgetStore(db_).next_delivery_ms();
      }
      auto deadline = next_scheduled;
      if (next_delivery) {
        const auto until =
            std::chrono::milliseconds(std::max<int64_t>(0, *next_delivery - system_time_ms()));
        deadline = std::min(deadline, std::chrono::steady_clock::now() + until);
      }
      wake_.wait_until(lock, deadline, [&] { return stopping_ || evaluate_requested_; });
      if (stopping_) return;
      run_evaluation = evaluate_requested_ || std::chrono::steady_clock::now() >= next_scheduled;
      evaluate_requested_ = false;
    }
    try {
      if (run_evaluation) {
        evaluate();
        next_scheduled = std::chrono::steady_clock::now() + kEvaluateEvery;
      }
      deliver_due();
    } catch (const std::exception& error) {
      // A store that cannot be written (disk full, read-only) or a bad CCANALYTICS_NOW: said once
      // per round; the next round tries again.
      std::fprintf(stderr, "ccanalytics serve: budgets: %s\n", error.what());
      next_scheduled = std::chrono::steady_clock::now() + kEvaluateEvery;
    }
  }
}

void Budgets::evaluate() {
  const int64_t now = now_ms();
  const std::shared_ptr<const engine::Analytics> analytics = source_.analytics();
  std::vector<store::BudgetRecord> budgets;
  {
    std::lock_guard lock(store_mutex_);
    budgets = store::BudgetStore(db_).list();
  }
  for (const store::BudgetRecord& budget : budgets) {
    const insights::SpendProjection status = insights::budget_status(
        *analytics, budget_filter(budget.filters_json), period_of(budget), now);
    for (const BudgetThreshold& t : budget_thresholds(budget.thresholds_json)) {
      if (crossing_value(status, t) < t.percent / 100 * budget.amount_usd) continue;
      store::BudgetAlert alert;
      alert.budget_id = budget.id;
      alert.budget_name = budget.name;
      alert.percent = t.percent;
      alert.basis = t.on_forecast ? "forecast" : "actual";
      alert.period_start_ms = status.period.start_ms;
      alert.period_end_ms = status.period.end_ms;
      alert.spend_usd = status.spend_usd;
      alert.forecast_usd = status.forecast_usd;
      alert.amount_usd = budget.amount_usd;
      alert.at_ms = now;
      alert.webhook = budget.webhook;
      alert.status = budget.webhook ? "pending" : "no_webhook";
      if (budget.webhook) alert.next_attempt_ms = system_time_ms();
      std::lock_guard lock(store_mutex_);
      store::BudgetStore(db_).raise(alert);
    }
  }
}

void Budgets::deliver_due() {
  std::vector<store::BudgetAlert> due;
  {
    std::lock_guard lock(store_mutex_);
    due = store::BudgetStore(db_).due_deliveries(system_time_ms(), kDeliveriesPerRound);
  }
  for (const store::BudgetAlert& alert : due) {
    const std::string error = post_webhook(*alert.webhook, alert_payload(alert));
    const int64_t now = system_time_ms();
    const int64_t backoff = std::min<int64_t>(
        kMaxRetryMs, retry_base_.count() << std::min<int64_t>(alert.attempts, 20));
    std::lock_guard lock(store_mutex_);
    store::BudgetStore(db_).record_attempt(alert.id, now, error.empty(), error, now + backoff);
  }
}

std::string Budgets::budgets_json() {
  std::lock_guard lock(store_mutex_);
  return server::budgets_json(db_, *source_.analytics(), now_ms());
}

Answer Budgets::list() {
  return {budgets_json(), kJson};
}

Answer Budgets::create(std::string_view body) {
  store::BudgetRecord record = parse_budget_request(body);
  record.created_ms = record.updated_ms = system_time_ms();
  {
    std::lock_guard lock(store_mutex_);
    record.id = store::BudgetStore(db_).create(record);
  }
  data_changed();
  std::lock_guard lock(store_mutex_);
  return {budget_json(db_, *source_.analytics(), record, now_ms()), kJson};
}

Answer Budgets::update(std::string_view id_text, std::string_view body) {
  const int64_t id = parse_id(id_text);
  store::BudgetRecord record = parse_budget_request(body);
  record.id = id;
  record.updated_ms = system_time_ms();
  {
    std::lock_guard lock(store_mutex_);
    store::BudgetStore budgets(db_);
    const std::optional<store::BudgetRecord> existing = budgets.find(id);
    if (!existing) throw ApiError(404, "not_found", "no such budget: " + std::string(id_text));
    record.created_ms = existing->created_ms;
    budgets.update(record);
  }
  data_changed();
  std::lock_guard lock(store_mutex_);
  return {budget_json(db_, *source_.analytics(), record, now_ms()), kJson};
}

void Budgets::remove(std::string_view id_text) {
  const int64_t id = parse_id(id_text);
  std::lock_guard lock(store_mutex_);
  if (!store::BudgetStore(db_).remove(id))
    throw ApiError(404, "not_found", "no such budget: " + std::string(id_text));
}

Answer Budgets::alerts(size_t limit, size_t offset) {
  std::vector<store::BudgetAlert> alerts;
  int64_t total = 0;
  {
    std::lock_guard lock(store_mutex_);
    store::BudgetStore budgets(db_);
    alerts = budgets.alerts(limit, offset);
    total = budgets.alert_count();
  }
  JsonWriter json;
  json.begin_object().key("total").value(total).key("alerts").begin_array();
  for (const store::BudgetAlert& a : alerts) {
    json.begin_object();
    json.key("id")
        .value(a.id)
        .key("budget_id")
        .value(a.budget_id)
        .key("budget")
        .value(a.budget_name);
    json.key("percent").value(a.percent).key("basis").value(a.basis);
    json.key("period_start").time_value(a.period_start_ms, false);
    json.key("period_end").time_value(a.period_end_ms, false);
    json.key("spend_usd").value(a.spend_usd).key("forecast_usd").value(a.forecast_usd);
    json.key("amount_usd").value(a.amount_usd);
    json.key("at").time_value(a.at_ms);
    json.key("webhook").value(a.webhook).key("status").value(a.status);
    json.key("attempts").value(a.attempts);
    write_optional_time(json, "last_attempt_at", a.last_attempt_ms);
    json.key("last_error").value(a.last_error);
    write_optional_time(json, "delivered_at", a.delivered_ms);
    write_optional_time(json, "next_attempt_at", a.next_attempt_ms);
    json.end_object();
  }
  json.end_array().end_object();
  return {json.take(), kJson};
}

}  // namespace cca::server
