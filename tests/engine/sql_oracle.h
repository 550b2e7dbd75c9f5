#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/filter.h"
#include "store/database.h"

namespace cca::testing {

// The metric set's inputs as SQL computes them; the derived ratios follow from these.
struct SqlMetrics {
  int64_t events = 0, sessions = 0, users = 0;
  int64_t user_prompts = 0, api_requests = 0, api_errors = 0, tool_decisions = 0, tool_results = 0,
          accepted_decisions = 0, successful_results = 0, api_aborts = 0;
  double input_tokens = 0, output_tokens = 0, cache_read_tokens = 0, cache_creation_tokens = 0,
         cost_usd = 0;
};

// Answers computed by plain SQL over the store's events_decoded view and employees table: the
// independent computation every engine answer is compared with. Slow and simple on purpose.
class SqlOracle {
 public:
  explicit SqlOracle(store::Database& db) : db_(db) {}

  // The practice/level/location SQL expressions of an event (alias e, employee alias emp).
  static std::string practice_sql();
  // practice_sql() under serve --practice-attribute key.
  static std::string practice_sql(const std::string& practice_attribute);
  // SQL expression of a custom attribute's value (NULL when absent).
  static std::string attribute_sql(const std::string& key);
  static std::string level_sql();
  static std::string location_sql();
  // SQL expression of a breakdown dimension, by its API name.
  static std::string dimension_sql(const std::string& dimension);

  SqlMetrics summary(const engine::Filter& filter);
  std::optional<int64_t> first_time(const engine::Filter& filter);
  std::optional<int64_t> last_time(const engine::Filter& filter);
  // Groups by an SQL expression over matching events where it is not NULL.
  std::map<std::string, SqlMetrics> grouped(const engine::Filter& filter,
                                            const std::string& key_sql);
  std::map<int64_t, SqlMetrics> grouped_int(const engine::Filter& filter,
                                            const std::string& key_sql);

  struct Session {
    SqlMetrics metrics;
    int64_t start_ms = 0, end_ms = 0;
    std::string email, practice, level, location;
    std::optional<std::string> terminal;
  };
  std::map<std::string, Session> sessions(const engine::Filter& filter);

  struct User {
    SqlMetrics metrics;
    int64_t first_ms = 0, last_ms = 0, active_days = 0;
    std::optional<std::string> full_name;
    std::string practice, level, location;
  };
  std::map<std::string, User> users(const engine::Filter& filter);

  // duration_ms of api_request events per model, or tool_result events per tool, sorted.
  std::map<std::string, std::vector<double>> durations(const engine::Filter& filter, bool by_model);
  // Distinct values of an SQL expression among matching events, sorted.
  std::vector<std::string> distinct(const engine::Filter& filter, const std::string& value_sql);
  // The same values, each with its number of matching events.
  std::vector<std::pair<std::string, int64_t>> counted(const engine::Filter& filter,
                                                       const std::string& value_sql);
  std::optional<int64_t> data_first_time();
  std::optional<int64_t> data_last_time();

 private:
  struct Where {
    std::string sql;
    std::vector<std::string> texts;  // bound in order after the times
    int64_t from = INT64_MIN, to = INT64_MAX;
  };
  static Where where(const engine::Filter& filter);
  static void bind(store::Statement& statement, const Where& where);
  static std::string metrics_sql();
  static SqlMetrics read_metrics(const store::Statement& statement, int first_column);

  store::Database& db_;
};

// Nearest-rank percentile of a sorted sample.
double nearest_rank(const std::vector<double>& sorted, double percent);

}  // namespace cca::testing
