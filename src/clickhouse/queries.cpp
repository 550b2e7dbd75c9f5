#include "clickhouse/queries.h"

#include <algorithm>
#include <limits>
#include <set>

#include "clickhouse/sql_text.h"
#include "common/time_util.h"
#include "engine/ascii_lower.h"
#include "engine/dictionaries.h"

namespace cca::clickhouse {
namespace {

using engine::Dimension;
using engine::EventKind;
using engine::Filter;
using engine::MetricSet;

// The metric set of a group, in the order read_metrics() takes it. Sums are over api_request
// events, as in the engine; absent figures are stored as 0.
constexpr std::string_view kMetricColumns =
    "count(), uniqExactIf(session_id, session_id != ''), uniqExact(user), "
    "countIf(event_name = 'user_prompt'), countIf(event_name = 'api_request'), "
    "countIf(event_name = 'api_error'), countIf(event_name = 'tool_decision'), "
    "countIf(event_name = 'tool_result'), "
    "countIf(event_name NOT IN ('user_prompt', 'api_request', 'api_error', 'tool_decision', "
    "'tool_result')), "
    "countIf(event_name = 'tool_decision' AND decision = 'accept'), "
    "countIf(event_name = 'tool_result' AND success = 1), "
    "countIf(event_name = 'api_error' AND error = 'Request was aborted.'), "
    "sumIf(input_tokens, event_name = 'api_request'), "
    "sumIf(output_tokens, event_name = 'api_request'), "
    "sumIf(cache_read_tokens, event_name = 'api_request'), "
    "sumIf(cache_creation_tokens, event_name = 'api_request'), "
    "sumIf(cost_usd, event_name = 'api_request'), "
    "sumIf(cost_usd, event_name = 'api_request' AND cost_estimated = 1)";
constexpr size_t kMetricFields = 18;

constexpr EventKind kKindOrder[] = {EventKind::kUserPrompt, EventKind::kApiRequest,
                                    EventKind::kApiError,   EventKind::kToolDecision,
                                    EventKind::kToolResult, EventKind::kOther};

MetricSet read_metrics(const std::vector<std::string>& fields, size_t first) {
  MetricSet m;
  size_t i = first;
  const auto count = [&] { return std::stoull(fields.at(i++)); };
  const auto sum = [&] { return std::stod(fields.at(i++)); };
  m.events = count();
  m.sessions = count();
  m.users = count();
  for (const EventKind kind : kKindOrder) m.by_kind[static_cast<size_t>(kind)] = count();
  m.accepted_decisions = count();
  m.successful_results = count();
  m.api_aborts = count();
  m.input_tokens = sum();
  m.output_tokens = sum();
  m.cache_read_tokens = sum();
  m.cache_creation_tokens = sum();
  m.cost_usd = sum();
  m.cost_estimated_usd = sum();
  return m;
}

// How each event's person resolves, as the engine resolves it (engine::Directory::find_user):
// by email, else by the directory's user_id column; people the directory does not list take
// each event's practice hint, and "Unknown" level and location.
class People {
 public:
  explicit People(const ClickHouseClient& client) {
    const std::string rows = client.query(
        "SELECT email, practice, level, location, user_id FROM employees "
        "WHERE version = (SELECT max(version) FROM employees) AND email != '' ORDER BY email");
    std::vector<std::vector<std::string>> employees;
    for_each_tsv_row(rows, [&](std::vector<std::string> fields) {
      if (fields.size() == 5) employees.push_back(std::move(fields));
    });
    std::set<std::string> keys;
    for (const auto& e : employees) add(keys, e[0], e);
    for (const auto& e : employees)
      if (!e[4].empty()) add(keys, e[4], e);
  }

  std::string practice() const {
    return lookup(practices_, "if(practice_hint = '', 'Unknown', practice_hint)");
  }
  std::string level() const { return lookup(levels_, "'Unknown'"); }
  std::string location() const { return lookup(locations_, "'Unknown'"); }

 private:
  void add(std::set<std::string>& keys, const std::string& key,
           const std::vector<std::string>& employee) {
    if (!keys.insert(key).second) return;
    keys_.push_back(key);
    practices_.push_back(employee[1]);
    levels_.push_back(employee[2]);
    locations_.push_back(employee[3]);
  }
  std::string lookup(const std::vector<std::string>& values, std::string_view otherwise) const {
    if (keys_.empty()) return std::string(otherwise);
    return "transform(user, " + quote_list(keys_) + ", " + quote_list(values) + ", " +
           std::string(otherwise) + ")";
  }

  std::vector<std::string> keys_, practices_, levels_, locations_;
};

// "expr IN (values)" over the values that can match; an empty value matches no event, and a
// list of only such values matches nothing.
std::string in_list(const std::string& expression, const std::vector<std::string>& values) {
  std::vector<std::string> usable;
  for (const std::string& value : values)
    if (!value.empty()) usable.push_back(value);
  if (usable.empty()) return "0";
  std::string sql = expression + " IN (";
  for (size_t i = 0; i < usable.size(); ++i) {
    if (i) sql += ", ";
    sql += quote(usable[i]);
  }
  return sql + ")";
}

std::string attribute_value(std::string_view key) {
  return "attr_values[indexOf(attr_keys, " + quote(key) + ")]";
}

std::string key_expression(const People& people, Dimension dimension) {
  switch (dimension.kind) {
    case Dimension::kPractice:
      return people.practice();
    case Dimension::kLevel:
      return people.level();
    case Dimension::kLocation:
      return people.location();
    case Dimension::kModel:
      return "model";
    case Dimension::kTool:
      return "tool_name";
    case Dimension::kEmail:
      return "user";
    case Dimension::kTerminal:
      return "terminal";
    case Dimension::kEventType:
      return "event_name";
    case Dimension::kVersion:
      return "version";
    case Dimension::kOs:
      return "os_type";
    case Dimension::kStatusCode:
      return "status_code";
    case Dimension::kDecisionSource:
      return "decision_source";
    case Dimension::kAttempt:
      return "if(bitAnd(present, 128) = 0, '', toString(attempt))";
    case Dimension::kError:
      return "error";
    case Dimension::kQuerySource:
      return "query_source";
    case Dimension::kAttribute:
      return attribute_value(dimension.attribute_key());
  }
  return "''";
}

// The WHERE clause of a filter.
std::string where(const People& people, const Filter& filter) {
  std::vector<std::string> conditions;
  if (filter.from_ms) {
    conditions.push_back("time_ms >= " + std::to_string(*filter.from_ms));
    // Partition pruning: ClickHouse cannot derive the day from time_ms itself.
    conditions.push_back("day >= " + quote(format_date(*filter.from_ms)));
  }
  if (filter.to_ms) {
    conditions.push_back("time_ms < " + std::to_string(*filter.to_ms));
    conditions.push_back("day <= " + quote(format_date(*filter.to_ms)));
  }
  if (!filter.practice.empty() || !filter.scope_practices.empty()) {
    std::vector<std::string> accepted =
        filter.practice.empty() ? filter.scope_practices : filter.practice;
    if (!filter.practice.empty() && !filter.scope_practices.empty())
      std::erase_if(accepted, [&](const std::string& p) {
        return std::find(filter.scope_practices.begin(), filter.scope_practices.end(), p) ==
               filter.scope_practices.end();
      });
    conditions.push_back(in_list(people.practice(), accepted));
  }
  if (!filter.level.empty()) conditions.push_back(in_list(people.level(), filter.level));
  if (!filter.location.empty()) conditions.push_back(in_list(people.location(), filter.location));
  if (!filter.email.empty()) {
    std::vector<std::string> lowered;
    for (const std::string& email : filter.email) lowered.push_back(engine::ascii_lower(email));
    conditions.push_back(in_list("user", lowered));
  }
  const std::pair<const char*, const std::vector<std::string>*> columns[] = {
      {"terminal", &filter.terminal},
      {"model", &filter.model},
      {"tool_name", &filter.tool},
      {"status_code", &filter.status_code},
      {"error", &filter.error}};
  for (const auto& [column, values] : columns)
    if (!values->empty()) conditions.push_back(in_list(column, *values));
  for (const auto& [key, values] : filter.attributes)
    conditions.push_back(in_list(attribute_value(key), values));
  if (conditions.empty()) return "1";
  std::string sql;
  for (size_t i = 0; i < conditions.size(); ++i) {
    if (i) sql += " AND ";
    sql += conditions[i];
  }
  return sql;
}

std::vector<std::vector<std::string>> rows_of(const std::string& answer) {
  std::vector<std::vector<std::string>> rows;
  for_each_tsv_row(answer, [&](std::vector<std::string> fields) {
    if (!(fields.size() == 1 && fields[0].empty())) rows.push_back(std::move(fields));
  });
  return rows;
}

}  // namespace

engine::Summary Queries::summarize(const Filter& filter) const {
  const People people(client_);
  const auto rows = rows_of(client_.query("SELECT " + std::string(kMetricColumns) +
                                          ", min(time_ms), max(time_ms) FROM events WHERE " +
                                          where(people, filter)));
  engine::Summary summary;
  if (rows.empty()) return summary;
  summary.metrics = read_metrics(rows[0], 0);
  if (summary.metrics.events > 0) {
    summary.first_event_ms = std::stoll(rows[0].at(kMetricFields));
    summary.last_event_ms = std::stoll(rows[0].at(kMetricFields + 1));
  }
  return summary;
}

std::vector<engine::BreakdownRow> Queries::breakdown(const Filter& filter, Dimension by,
                                                     engine::Metric sort) const {
  const People people(client_);
  const auto rows = rows_of(client_.query("SELECT " + key_expression(people, by) + " AS k, " +
                                          std::string(kMetricColumns) + " FROM events WHERE " +
                                          where(people, filter) + " GROUP BY k HAVING k != ''"));
  std::vector<engine::BreakdownRow> result;
  for (const auto& row : rows) result.push_back({row.at(0), read_metrics(row, 1)});
  engine::sort_rows(result, sort);
  return result;
}

engine::Timeseries Queries::timeseries(const Filter& filter, engine::Bucket bucket,
                                       std::optional<Dimension> split, size_t split_limit,
                                       const std::vector<std::string>* split_values) const {
  engine::Timeseries result;
  // Open ends of the range are the data's, as in the engine: the first and last event stored.
  std::optional<int64_t> first, last;
  if (!filter.from_ms || !filter.to_ms) {
    const auto span =
        rows_of(client_.query("SELECT count(), min(time_ms), max(time_ms) FROM events"));
    if (!span.empty() && span[0].at(0) != "0") {
      first = std::stoll(span[0].at(1));
      last = std::stoll(span[0].at(2));
    }
  }
  engine::BucketRange range = engine::bucket_range(first, last, filter, bucket);
  if (range.starts.empty()) return result;
  result.starts = std::move(range.starts);
  const size_t buckets = result.starts.size();
  const int64_t origin = result.starts.front();
  const int64_t width = engine::bucket_width_ms(bucket);

  Filter bounded = filter;
  bounded.from_ms = range.from_ms;
  bounded.to_ms = range.to_ms;
  const People people(client_);
  const std::string condition = where(people, bounded);
  const std::string bucket_index =
      "intDiv(time_ms - " + std::to_string(origin) + ", " + std::to_string(width) + ")";

  result.points.assign(buckets, MetricSet());
  for (const auto& row :
       rows_of(client_.query("SELECT " + bucket_index + " AS b, " + std::string(kMetricColumns) +
                             " FROM events WHERE " + condition + " GROUP BY b")))
    result.points.at(std::stoull(row.at(0))) = read_metrics(row, 1);
  if (!split) return result;

  const std::string key = key_expression(people, *split);
  std::vector<std::string> keys;
  if (split_values) {
    keys = *split_values;
  } else {
    for (const auto& row : rows_of(
             client_.query("SELECT " + key + " AS k, count() AS n FROM events WHERE " + condition +
                           " GROUP BY k HAVING k != '' ORDER BY n DESC, k ASC LIMIT " +
                           std::to_string(split_limit))))
      keys.push_back(row.at(0));
  }
  for (const std::string& value : keys)
    result.series.push_back({value, std::vector<MetricSet>(buckets)});
  if (keys.empty()) return result;
  for (const auto& row : rows_of(client_.query(
           "SELECT " + key + " AS k, " + bucket_index + " AS b, " + std::string(kMetricColumns) +
           " FROM events WHERE " + condition + " AND " + in_list(key, keys) + " GROUP BY k, b"))) {
    const auto series = std::find(keys.begin(), keys.end(), row.at(0));
    if (series != keys.end())
      result.series[series - keys.begin()].points.at(std::stoull(row.at(1))) = read_metrics(row, 2);
  }
  return result;
}

}  // namespace cca::clickhouse
