#include "engine/sql_oracle.h"

#include <algorithm>
#include <cmath>

namespace cca::testing {
namespace {

constexpr std::string_view kFrom =
    " FROM events_decoded e LEFT JOIN employees emp ON lower(trim(emp.email)) = e.user ";

std::string placeholders(size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i) text += i == 0 ? "?" : ", ?";
  return text;
}

std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

}  // namespace

std::string SqlOracle::practice_sql() {
  return "coalesce(nullif(emp.practice, ''), nullif(e.practice_hint, ''), 'Unknown')";
}
std::string SqlOracle::practice_sql(const std::string& practice_attribute) {
  return "coalesce(nullif(emp.practice, ''), nullif(" + attribute_sql(practice_attribute) +
         ", ''), nullif(e.practice_hint, ''), 'Unknown')";
}
std::string SqlOracle::attribute_sql(const std::string& key) {
  // SQLite's JSON1 over the stored canonical text: independent of the engine's own reading.
  return "json_extract(e.attributes, '$.\"" + key + "\"')";
}
std::string SqlOracle::level_sql() {
  return "coalesce(nullif(emp.level, ''), 'Unknown')";
}
std::string SqlOracle::location_sql() {
  return "coalesce(nullif(emp.location, ''), 'Unknown')";
}

std::string SqlOracle::dimension_sql(const std::string& dimension) {
  if (dimension == "practice") return practice_sql();
  if (dimension.starts_with("attr.")) return attribute_sql(dimension.substr(5));
  if (dimension == "level") return level_sql();
  if (dimension == "location") return location_sql();
  if (dimension == "model") return "e.model";
  if (dimension == "tool") return "e.tool_name";
  if (dimension == "email") return "e.user";
  if (dimension == "terminal") return "e.terminal";
  if (dimension == "event_type") return "e.event_name";
  if (dimension == "version") return "e.version";
  if (dimension == "os") return "e.os_type";
  if (dimension == "status_code") return "e.status_code";
  if (dimension == "decision_source") return "e.decision_source";
  if (dimension == "error") return "e.error";
  if (dimension == "attempt")
    return "CASE WHEN e.attempt = CAST(e.attempt AS INTEGER) THEN CAST(CAST(e.attempt AS INTEGER) "
           "AS TEXT) ELSE CAST(e.attempt AS TEXT) END";
  return "NULL";
}

SqlOracle::Where SqlOracle::where(const engine::Filter& filter) {
  Where w;
  w.from = filter.from_ms.value_or(INT64_MIN);
  w.to = filter.to_ms.value_or(INT64_MAX);
  w.sql = " WHERE e.time_ms >= ? AND e.time_ms < ? ";
  const auto list = [&](const std::vector<std::string>& values, const std::string& expression,
                        bool lowercase) {
    if (values.empty()) return;
    w.sql += " AND " + expression + " IN (" + placeholders(values.size()) + ")";
    for (const std::string& value : values) w.texts.push_back(lowercase ? lower(value) : value);
  };
  list(filter.practice, practice_sql(), false);
  list(filter.level, level_sql(), false);
  list(filter.location, location_sql(), false);
  list(filter.model, "e.model", false);
  list(filter.email, "e.user", true);
  list(filter.terminal, "e.terminal", false);
  list(filter.tool, "e.tool_name", false);
  list(filter.status_code, "e.status_code", false);
  list(filter.error, "e.error", false);
  for (const auto& [key, values] : filter.attributes) list(values, attribute_sql(key), false);
  return w;
}

void SqlOracle::bind(store::Statement& statement, const Where& where) {
  statement.bind_int(1, where.from);
  statement.bind_int(2, where.to);
  int index = 3;
  for (const std::string& text : where.texts) statement.bind_text(index++, text);
}

std::string SqlOracle::metrics_sql() {
  return " count(*), count(DISTINCT e.session_id), count(DISTINCT e.user),"
         " total(e.event_name = 'user_prompt'), total(e.event_name = 'api_request'),"
         " total(e.event_name = 'api_error'), total(e.event_name = 'tool_decision'),"
         " total(e.event_name = 'tool_result'),"
         " total(e.event_name = 'tool_decision' AND e.decision = 'accept'),"
         " total(e.event_name = 'tool_result' AND e.success = 1),"
         " total(e.event_name = 'api_error' AND e.error = 'Request was aborted.'),"
         " total(CASE WHEN e.event_name = 'api_request' THEN e.input_tokens END),"
         " total(CASE WHEN e.event_name = 'api_request' THEN e.output_tokens END),"
         " total(CASE WHEN e.event_name = 'api_request' THEN e.cache_read_tokens END),"
         " total(CASE WHEN e.event_name = 'api_request' THEN e.cache_creation_tokens END),"
         " total(CASE WHEN e.event_name = 'api_request' THEN e.cost_usd END) ";
}

SqlMetrics SqlOracle::read_metrics(const store::Statement& s, int c) {
  SqlMetrics m;
  m.events = s.column_int(c);
  m.sessions = s.column_int(c + 1);
  m.users = s.column_int(c + 2);
  m.user_prompts = static_cast<int64_t>(s.column_double(c + 3));
  m.api_requests = static_cast<int64_t>(s.column_double(c + 4));
  m.api_errors = static_cast<int64_t>(s.column_double(c + 5));
  m.tool_decisions = static_cast<int64_t>(s.column_double(c + 6));
  m.tool_results = static_cast<int64_t>(s.column_double(c + 7));
  m.accepted_decisions = static_cast<int64_t>(s.column_double(c + 8));
  m.successful_results = static_cast<int64_t>(s.column_double(c + 9));
  m.api_aborts = static_cast<int64_t>(s.column_double(c + 10));
  m.input_tokens = s.column_double(c + 11);
  m.output_tokens = s.column_double(c + 12);
  m.cache_read_tokens = s.column_double(c + 13);
  m.cache_creation_tokens = s.column_double(c + 14);
  m.cost_usd = s.column_double(c + 15);
  return m;
}

SqlMetrics SqlOracle::summary(const engine::Filter& filter) {
  const Where w = where(filter);
  store::Statement s(db_, "SELECT" + metrics_sql() + std::string(kFrom) + w.sql);
  bind(s, w);
  s.step();
  return read_metrics(s, 0);
}

std::optional<int64_t> SqlOracle::first_time(const engine::Filter& filter) {
  const Where w = where(filter);
  store::Statement s(db_, "SELECT min(e.time_ms)" + std::string(kFrom) + w.sql);
  bind(s, w);
  if (!s.step() || s.column_is_null(0)) return std::nullopt;
  return s.column_int(0);
}

std::optional<int64_t> SqlOracle::last_time(const engine::Filter& filter) {
  const Where w = where(filter);
  store::Statement s(db_, "SELECT max(e.time_ms)" + std::string(kFrom) + w.sql);
  bind(s, w);
  if (!s.step() || s.column_is_null(0)) return std::nullopt;
  return s.column_int(0);
}

std::map<std::string, SqlMetrics> SqlOracle::grouped(const engine::Filter& filter,
                                                     const std::string& key_sql) {
  const Where w = where(filter);
  store::Statement s(db_, "SELECT " + key_sql + " AS k," + metrics_sql() + std::string(kFrom) +
                              w.sql + " AND k IS NOT NULL GROUP BY k");
  bind(s, w);
  std::map<std::string, SqlMetrics> result;
  while (s.step()) result[std::string(s.column_text(0))] = read_metrics(s, 1);
  return result;
}

std::map<int64_t, SqlMetrics> SqlOracle::grouped_int(const engine::Filter& filter,
                                                     const std::string& key_sql) {
  const Where w = where(filter);
  store::Statement s(db_, "SELECT " + key_sql + " AS k," + metrics_sql() + std::string(kFrom) +
                              w.sql + " GROUP BY k");
  bind(s, w);
  std::map<int64_t, SqlMetrics> result;
  while (s.step()) result[s.column_int(0)] = read_metrics(s, 1);
  return result;
}

std::map<std::string, SqlOracle::Session> SqlOracle::sessions(const engine::Filter& filter) {
  const Where w = where(filter);
  std::map<std::string, Session> result;
  {
    store::Statement s(db_, "SELECT e.session_id, min(e.time_ms), max(e.time_ms)," + metrics_sql() +
                                std::string(kFrom) + w.sql + " GROUP BY e.session_id");
    bind(s, w);
    while (s.step()) {
      Session& session = result[std::string(s.column_text(0))];
      session.start_ms = s.column_int(1);
      session.end_ms = s.column_int(2);
      session.metrics = read_metrics(s, 3);
    }
  }
  // Who and where: the first matching event, by time then store order.
  store::Statement s(db_,
                     "SELECT session_id, user, practice, level, location, terminal FROM ("
                     "SELECT e.session_id, e.user, " +
                         practice_sql() + " AS practice, " + level_sql() + " AS level, " +
                         location_sql() +
                         " AS location, e.terminal, row_number() OVER ("
                         "PARTITION BY e.session_id ORDER BY e.time_ms, e.seq) AS n" +
                         std::string(kFrom) + w.sql + ") WHERE n = 1");
  bind(s, w);
  while (s.step()) {
    Session& session = result[std::string(s.column_text(0))];
    session.email = s.column_text(1);
    session.practice = s.column_text(2);
    session.level = s.column_text(3);
    session.location = s.column_text(4);
    if (!s.column_is_null(5)) session.terminal = std::string(s.column_text(5));
  }
  return result;
}

std::map<std::string, SqlOracle::User> SqlOracle::users(const engine::Filter& filter) {
  const Where w = where(filter);
  std::map<std::string, User> result;
  store::Statement s(
      db_,
      "SELECT e.user, min(e.time_ms), max(e.time_ms), "
      "count(DISTINCT CASE WHEN e.event_name IN ('user_prompt', 'api_request', "
      "'api_error', 'tool_decision', 'tool_result') THEN e.time_ms / 86400000 END)," +
          metrics_sql() + std::string(kFrom) + w.sql + " GROUP BY e.user");
  bind(s, w);
  while (s.step()) {
    User& user = result[std::string(s.column_text(0))];
    user.first_ms = s.column_int(1);
    user.last_ms = s.column_int(2);
    user.active_days = s.column_int(3);
    user.metrics = read_metrics(s, 4);
  }
  // Identity: the directory, else the hint of the user's newest event that has one (any event).
  store::Statement identity(
      db_,
      "SELECT emp.full_name, coalesce(nullif(emp.practice, ''), (SELECT x.practice_hint FROM "
      "events_decoded x WHERE x.user = ?1 AND x.practice_hint <> '' ORDER BY x.time_ms DESC, "
      "x.seq DESC LIMIT 1), 'Unknown'), coalesce(nullif(emp.level, ''), 'Unknown'), "
      "coalesce(nullif(emp.location, ''), 'Unknown') FROM (SELECT 1) LEFT JOIN employees emp ON "
      "lower(trim(emp.email)) = ?1");
  for (auto& [email, user] : result) {
    identity.reset();
    identity.bind_text(1, email);
    identity.step();
    if (!identity.column_is_null(0)) user.full_name = std::string(identity.column_text(0));
    user.practice = identity.column_text(1);
    user.level = identity.column_text(2);
    user.location = identity.column_text(3);
  }
  return result;
}

std::map<std::string, std::vector<double>> SqlOracle::durations(const engine::Filter& filter,
                                                                bool by_model) {
  const Where w = where(filter);
  const std::string key = by_model ? "e.model" : "e.tool_name";
  const std::string kind = by_model ? "api_request" : "tool_result";
  store::Statement s(db_, "SELECT " + key + ", e.duration_ms" + std::string(kFrom) + w.sql +
                              " AND e.event_name = '" + kind + "' AND " + key +
                              " IS NOT NULL AND e.duration_ms IS NOT NULL ORDER BY 1, 2");
  bind(s, w);
  std::map<std::string, std::vector<double>> result;
  while (s.step()) result[std::string(s.column_text(0))].push_back(s.column_double(1));
  return result;
}

std::vector<std::string> SqlOracle::distinct(const engine::Filter& filter,
                                             const std::string& value_sql) {
  const Where w = where(filter);
  store::Statement s(db_, "SELECT DISTINCT " + value_sql + " AS v" + std::string(kFrom) + w.sql +
                              " AND v IS NOT NULL ORDER BY v");
  bind(s, w);
  std::vector<std::string> result;
  while (s.step()) result.emplace_back(s.column_text(0));
  return result;
}

std::vector<std::pair<std::string, int64_t>> SqlOracle::counted(const engine::Filter& filter,
                                                                const std::string& value_sql) {
  const Where w = where(filter);
  store::Statement s(db_, "SELECT " + value_sql + " AS v, count(*)" + std::string(kFrom) + w.sql +
                              " AND v IS NOT NULL GROUP BY v ORDER BY v");
  bind(s, w);
  std::vector<std::pair<std::string, int64_t>> result;
  while (s.step()) result.emplace_back(s.column_text(0), s.column_int(1));
  return result;
}

std::optional<int64_t> SqlOracle::data_first_time() {
  store::Statement s(db_, "SELECT min(time_ms) FROM events");
  if (!s.step() || s.column_is_null(0)) return std::nullopt;
  return s.column_int(0);
}

std::optional<int64_t> SqlOracle::data_last_time() {
  store::Statement s(db_, "SELECT max(time_ms) FROM events");
  if (!s.step() || s.column_is_null(0)) return std::nullopt;
  return s.column_int(0);
}

double nearest_rank(const std::vector<double>& sorted, double percent) {
  const auto n = static_cast<double>(sorted.size());
  const auto rank = static_cast<size_t>(std::max(1.0, std::ceil(percent / 100.0 * n)));
  return sorted[rank - 1];
}

}  // namespace cca::testing
