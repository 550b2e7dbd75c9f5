#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "engine/engine.h"
#include "server/analytics_endpoints.h"
#include "store/budget_store.h"
#include "store/database.h"

namespace cca::server {

// {"budgets": [...]}: every budget of the store with its status at now (CCANALYTICS_NOW's clock):
// the period, spend, forecast and each threshold's state. The report uses it too.
std::string budgets_json(store::Database& db, const engine::Analytics& analytics, int64_t now);

// Budgets and their alerts (docs/api.md, "Budgets"): the endpoints, and a thread that evaluates
// every budget when data arrives, when budgets change, on start and each minute (periods roll
// over with the clock), raising each threshold's crossing once per period and delivering its
// webhook, retried with exponential backoff until the receiver answers 2xx. Budgets, alerts and
// pending deliveries live in the store, so a restart picks up where the last run stopped.
class Budgets {
 public:
  // retry_base: the first retry's delay; each next one doubles, up to ten minutes.
  Budgets(const std::string& db_path, engine::AnalyticsSource& source,
          std::chrono::milliseconds retry_base);
  ~Budgets();
  Budgets(const Budgets&) = delete;
  Budgets& operator=(const Budgets&) = delete;

  Answer list();
  // Throw ApiError: 400 for a bad body, 404 for an unknown id.
  Answer create(std::string_view body);
  Answer update(std::string_view id, std::string_view body);
  void remove(std::string_view id);
  Answer alerts(size_t limit, size_t offset);
  // The budget object of the answers, for the report: {"budgets": [...]}.
  std::string budgets_json();

  // A new snapshot was published: evaluate soon.
  void data_changed();

 private:
  void loop();
  void evaluate();
  void deliver_due();

  engine::AnalyticsSource& source_;
  const std::chrono::milliseconds retry_base_;
  std::mutex store_mutex_;  // the connection is used by request threads and the loop
  store::Database db_;

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool evaluate_requested_ = true;  // on start
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cca::server
