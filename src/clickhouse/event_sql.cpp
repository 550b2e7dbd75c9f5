#include "clickhouse/event_sql.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_set>

#include "clickhouse/rollups.h"
#include "clickhouse/session_days.h"
#include "clickhouse/sql_text.h"
#include "common/time_util.h"
#include "engine/ascii_lower.h"
#include "engine/dictionaries.h"
#include "store/employee_directory.h"

namespace cca::clickhouse {

using engine::Dimension;
using engine::EventKind;
using engine::Filter;
using engine::MetricSet;

namespace {

constexpr EventKind kKindOrder[] = {EventKind::kUserPrompt, EventKind::kApiRequest,
                                    EventKind::kApiError,   EventKind::kToolDecision,
                                    EventKind::kToolResult, EventKind::kOther};

// The metric set's counts and sums, named as the rollup tables' columns, and each as an aggregate
// over events (sums are over api_request events, as in the engine; absent figures are stored as
// 0). The distinct counts (sessions, users) are not additive and are written out where used.
struct AdditiveMetric {
  const char* column;
  const char* over_events;
  const char* type;  // of the rollup column
};
constexpr AdditiveMetric kAdditiveMetrics[] = {
    {"events", "count()", "UInt64"},
    {"user_prompts", "countIf(event_name = 'user_prompt')", "UInt64"},
    {"api_requests", "countIf(event_name = 'api_request')", "UInt64"},
    {"api_errors", "countIf(event_name = 'api_error')", "UInt64"},
    {"tool_decisions", "countIf(event_name = 'tool_decision')", "UInt64"},
    {"tool_results", "countIf(event_name = 'tool_result')", "UInt64"},
    {"other_events",
     "countIf(event_name NOT IN ('user_prompt', 'api_request', 'api_error', 'tool_decision', "
     "'tool_result'))",
     "UInt64"},
    {"accepted_decisions", "countIf(event_name = 'tool_decision' AND decision = 'accept')",
     "UInt64"},
    {"successful_results", "countIf(event_name = 'tool_result' AND success = 1)", "UInt64"},
    {"api_aborts", "countIf(event_name = 'api_error' AND error = 'Request was aborted.')",
     "UInt64"},
    {"input_tokens_sum", "sumIf(input_tokens, event_name = 'api_request')", "Float64"},
    {"output_tokens_sum", "sumIf(output_tokens, event_name = 'api_request')", "Float64"},
    {"cache_read_tokens_sum", "sumIf(cache_read_tokens, event_name = 'api_request')", "Float64"},
    {"cache_creation_tokens_sum", "sumIf(cache_creation_tokens, event_name = 'api_request')",
     "Float64"},
    {"cost_usd_sum", "sumIf(cost_usd, event_name = 'api_request')", "Float64"},
    {"cost_estimated_usd_sum", "sumIf(cost_usd, event_name = 'api_request' AND cost_estimated = 1)",
     "Float64"},
};

// The metric set in read_metrics() order: events, the two distinct counts, then the rest.
std::vector<std::string> metric_expressions(std::string_view sessions, std::string_view users,
                                            const char* AdditiveMetric::*form,
                                            std::string_view wrap) {
  const auto aggregate = [&](const AdditiveMetric& m) {
    return wrap.empty() ? std::string(m.*form) : std::string(wrap) + "(" + m.*form + ")";
  };
  std::vector<std::string> expressions = {aggregate(kAdditiveMetrics[0]), std::string(sessions),
                                          std::string(users)};
  for (size_t i = 1; i < std::size(kAdditiveMetrics); ++i)
    expressions.push_back(aggregate(kAdditiveMetrics[i]));
  return expressions;
}

}  // namespace

std::string comma_separated(const std::vector<std::string>& expressions) {
  std::string sql;
  for (const std::string& expression : expressions) sql += (sql.empty() ? "" : ", ") + expression;
  return sql;
}

const std::vector<std::string> kMetricExpressions =
    metric_expressions("uniqExactIf(session_id, session_id != '')", "uniqExact(user)",
                       &AdditiveMetric::over_events, "");
const std::string kMetricColumns = comma_separated(kMetricExpressions);

// The rollups keep every session id, '' included, and count the events without one, so that
// '' is taken out of the distinct count exactly when the group has such events.
// A count of sessions made by subtraction is signed: as UInt64, the figure has one type whatever
// it is read from, so that reads of events and of rollups may be joined by UNION ALL.
std::vector<std::string> rollup_metric_expressions(std::string_view sessions) {
  return metric_expressions("toUInt64(" + std::string(sessions) + ")", "uniqExact(user)",
                            &AdditiveMetric::column, "sum");
}
const std::vector<std::string> kRollupMetricExpressions =
    rollup_metric_expressions("uniqExactMerge(sessions) - (sum(sessionless) > 0)");

namespace {

// Whether each figure of the metric set (read_metrics' order) goes into `metric`: found by
// changing one at a time, so that no second list of a metric's figures can drift from
// engine::metric_value and ratio_parts.
std::vector<bool> figures_of(engine::Metric metric) {
  const auto parts = [&](const std::vector<std::string>& fields) {
    const MetricSet m = read_metrics(fields, 0);
    const engine::RatioParts ratio = engine::ratio_parts(m, metric);
    return std::tuple(engine::metric_value(m, metric), ratio.numerator, ratio.denominator);
  };
  const std::string one = "1", two = "2";
  const std::vector<std::string> ones(kMetricFields, one);
  std::vector<bool> used(kMetricFields);
  for (size_t i = 0; i < kMetricFields; ++i) {
    std::vector<std::string> changed = ones;
    changed[i] = two;
    used[i] = parts(changed) != parts(ones);
  }
  return used;
}

MetricSums sums_of(engine::Metric metric) {
  const std::vector<bool> used = figures_of(metric);
  const std::string zero = "0";
  MetricSums sums{metric_expressions(zero, zero, &AdditiveMetric::over_events, ""),
                  metric_expressions(zero, zero, &AdditiveMetric::column, "sum"), ""};
  for (size_t i = 0; i < kMetricFields; ++i) {
    if (i == 1 || i == 2) continue;  // the distinct counts, already 0
    const AdditiveMetric& additive = kAdditiveMetrics[i == 0 ? 0 : i - 2];
    if (used[i]) {
      sums.rollup_columns.append(additive.column).append(", ");
    } else {
      sums.over_events[i] = sums.over_rollups[i] = zero;
    }
  }
  return sums;
}

}  // namespace

const MetricSums& metric_sums(engine::Metric metric) {
  static const std::vector<MetricSums> all = [] {
    std::vector<MetricSums> sums;
    for (const engine::Metric m : engine::all_metrics()) sums.push_back(sums_of(m));
    return sums;
  }();
  return all.at(static_cast<size_t>(metric));
}

// Grouped by session: each group is one session, and a distinct count of its ids would cost a
// hash table per group.
const std::vector<std::string> kSessionDayMetricExpressions =
    metric_expressions("toUInt64(1)", "uniqExact(user)", &AdditiveMetric::column, "sum");
const std::vector<std::string> kSessionDayRowMetricExpressions =
    metric_expressions("toUInt64(1)", "toUInt64(1)", &AdditiveMetric::column, "");

std::string additive_aggregates() {
  std::string sql;
  for (const AdditiveMetric& m : kAdditiveMetrics)
    sql += std::string(m.over_events) + " AS " + m.column + ", ";
  return sql;
}

std::string additive_columns() {
  std::string sql;
  for (const AdditiveMetric& m : kAdditiveMetrics) sql += std::string(m.column) + ", ";
  return sql;
}

std::string additive_zeros() {
  std::string sql;
  for (const AdditiveMetric& m : kAdditiveMetrics)
    sql += "to" + std::string(m.type) + "(0) AS " + m.column + ", ";
  return sql;
}

std::string additive_sums() {
  std::string sql;
  for (const AdditiveMetric& m : kAdditiveMetrics)
    sql += "sum(" + std::string(m.column) + ") AS " + m.column + ", ";
  return sql;
}

std::string additive_column_types() {
  std::string sql;
  for (const AdditiveMetric& m : kAdditiveMetrics)
    sql += std::string(m.column) + " " + m.type + ", ";
  return sql;
}

std::string rollup_aggregates() {
  return additive_aggregates() +
         "countIf(session_id = '') AS sessionless, uniqExactState(session_id) AS sessions, "
         "minState(time_ms) AS first_ms, maxState(time_ms) AS last_ms";
}

std::string rollup_metric_column_types() {
  return additive_column_types() +
         "sessionless UInt64, sessions AggregateFunction(uniqExact, String), "
         "first_ms AggregateFunction(min, Int64), last_ms AggregateFunction(max, Int64)";
}

std::string rollup_metric_column_names() {
  return additive_columns() + "sessionless, sessions, first_ms, last_ms";
}

namespace {

// The metric set from its figures in read_metrics' order, each count from count() and each sum
// from sum().
template <class Count, class Sum>
MetricSet assemble_metrics(Count count, Sum sum) {
  MetricSet m;
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

}  // namespace

MetricSet read_metrics(const std::vector<std::string>& fields, size_t first) {
  size_t i = first;
  return assemble_metrics([&] { return std::stoull(fields.at(i++)); },
                          [&] { return std::stod(fields.at(i++)); });
}

std::string metric_alias(size_t field) {
  return "m" + std::to_string(field);
}

std::string aliased_metrics(const std::vector<std::string>& expressions) {
  std::string sql;
  for (size_t i = 0; i < expressions.size(); ++i)
    sql += (i ? ", " : "") + expressions[i] + " AS " + metric_alias(i);
  return sql;
}

std::string metric_aliases(size_t count) {
  std::string sql;
  for (size_t i = 0; i < count; ++i) sql += (i ? ", " : "") + metric_alias(i);
  return sql;
}

const std::string& binary_metric_columns() {
  static const std::string columns = [] {
    // The distinct counts (fields 1 and 2) are UInt64 too; every other field is an additive one.
    std::string list;
    for (size_t i = 0; i < kMetricFields; ++i) {
      const std::string_view type =
          i == 1 || i == 2 ? "UInt64" : kAdditiveMetrics[i < 3 ? 0 : i - 2].type;
      list += (i ? ", to" : "to") + std::string(type) + "(" + metric_alias(i) + ")";
    }
    return list;
  }();
  return columns;
}

MetricSet read_metrics(RowBinaryReader& reader) {
  return assemble_metrics([&] { return reader.number<uint64_t>(); },
                          [&] { return reader.number<double>(); });
}

People::People(const ClickHouseClient& client) : client_(client) {
  const std::string rows = client.query(
      "SELECT email, practice, level, location, user_id FROM employees "
      "WHERE version = (SELECT max(version) FROM employees) AND email != '' ORDER BY email");
  std::vector<std::vector<std::string>> employees;
  for_each_tsv_row(rows, [&](std::vector<std::string> fields) {
    if (fields.size() == 5) employees.push_back(std::move(fields));
  });
  std::unordered_set<std::string_view> added;
  for (const auto& e : employees) add(e[0], e, added);
  for (const auto& e : employees)
    if (!e[4].empty()) add(e[4], e, added);
  for (size_t i = 0; i < keys_.size(); ++i) positions_.emplace(keys_[i], i);
}

std::string_view People::Resolved::value(Dimension dimension, std::string_view user) const {
  switch (dimension.kind) {
    case Dimension::kPractice:
      return practice;
    case Dimension::kLevel:
      return level;
    case Dimension::kLocation:
      return location;
    case Dimension::kEmail:
      return user;
    default:
      throw std::logic_error("not a dimension of people");
  }
}

People::Resolved People::resolve(std::string_view user, std::string_view hint) const {
  const auto found = positions_.find(user);
  if (found == positions_.end())
    return {hint.empty() ? store::kUnknownValue : hint, store::kUnknownValue, store::kUnknownValue};
  const size_t i = found->second;
  return {practices_[i], levels_[i], locations_[i]};
}

std::shared_ptr<const People> People::of(const ClickHouseClient& client, const PeopleCache* cache) {
  return cache ? cache->get() : std::make_shared<const People>(client);
}

std::shared_ptr<const People> PeopleCache::get() const {
  std::lock_guard lock(mutex_);
  if (!people_) people_ = std::make_shared<const People>(client_);
  return people_;
}

void PeopleCache::forget() const {
  std::lock_guard lock(mutex_);
  people_.reset();
}

const std::vector<People::EventPerson>& People::event_people() const {
  std::lock_guard lock(read_later_);
  if (!event_people_) {
    // Every person has month rollup rows over all events: a few per person, hint and month.
    const RollupTable& months = kRollupTables[kMonthRollup];
    std::vector<EventPerson> pairs;
    for_each_tsv_row(
        client_.query("SELECT DISTINCT user, practice_hint, user_key FROM " +
                      std::string(months.name) +
                      " PREWHERE dimension = '' ORDER BY user, practice_hint"),
        [&](std::vector<std::string> fields) {
          if (fields.size() != 3)
            throw ClickHouseError(ClickHouseError::Kind::kRefused, "no person in a people row");
          pairs.push_back({std::move(fields[0]), std::move(fields[1]), std::stoull(fields[2])});
        });
    event_people_ = std::move(pairs);
  }
  return *event_people_;
}

bool People::user_keys_unique() const {
  std::lock_guard lock(read_later_);
  if (!user_keys_unique_) {
    // One number from ClickHouse: most questions ask this, and few read event_people().
    const RollupTable& months = kRollupTables[kMonthRollup];
    user_keys_unique_ =
        client_.query("SELECT uniqExact(user) = uniqExact(user_key) FROM " +
                      std::string(months.name) + " PREWHERE dimension = ''") == "1\n";
  }
  return *user_keys_unique_;
}

bool People::several_row_session_keys_unique() const {
  std::lock_guard lock(read_later_);
  if (!several_row_session_keys_unique_) {
    // The session ids of the rows with those numbers: 3,571 sessions' 7,142 rows at 100 M events,
    // but ClickHouse 18.16 reads every row's id and number for them (50-100 ms, once a version of
    // the store).
    const std::string several = sessions_of_several_rows(std::string(kSessionDays) + " PREWHERE 1");
    several_row_session_keys_unique_ =
        client_.query("SELECT count() FROM (SELECT session_key FROM " + std::string(kSessionDays) +
                      " PREWHERE session_key " + in_subquery(client_) + " (" + several +
                      ") GROUP BY session_key HAVING uniqExact(session_id) > 1)") == "0\n";
  }
  return *several_row_session_keys_unique_;
}

std::optional<std::pair<int64_t, int64_t>> People::event_days() const {
  std::lock_guard lock(read_later_);
  if (!event_days_) {
    const RollupTable& days = kRollupTables[kDayRollup];
    const auto found =
        rows_of(client_.query("SELECT count(), toInt64(min(day)), toInt64(max(day)) FROM " +
                              std::string(days.totals) + " PREWHERE dimension = ''"));
    event_days_.emplace();
    if (found.size() == 1 && found[0].at(0) != "0")
      event_days_->emplace(std::stoll(found[0].at(1)), std::stoll(found[0].at(2)));
  }
  return *event_days_;
}

std::string People::events_passing(const std::vector<std::string>* practices,
                                   const std::vector<std::string>* levels,
                                   const std::vector<std::string>* locations, bool numbered) const {
  // As in_list: an empty value matches no event.
  const auto passes = [](const std::vector<std::string>* accepted, std::string_view value) {
    return !accepted || (!value.empty() &&
                         std::find(accepted->begin(), accepted->end(), value) != accepted->end());
  };
  // People all of whose events pass; and the others with some events that pass, by the hints
  // of those (a person the directory does not list takes their practice from each event's hint,
  // and "Unknown" level and location, so all such people share one set of hints that pass).
  std::vector<std::string> whole;
  std::map<std::vector<std::string>, std::vector<std::string>> partly;
  const std::vector<EventPerson>& people = event_people();
  for (size_t first = 0, end = 0; first < people.size(); first = end) {
    std::vector<std::string> hints;
    for (end = first; end < people.size() && people[end].user == people[first].user; ++end) {
      const Resolved person = resolve(people[end].user, people[end].hint);
      if (passes(practices, person.practice) && passes(levels, person.level) &&
          passes(locations, person.location))
        hints.push_back(people[end].hint);
    }
    std::string person = numbered ? std::to_string(people[first].key) : people[first].user;
    if (hints.size() == end - first)
      whole.push_back(std::move(person));
    else if (!hints.empty())
      partly[std::move(hints)].push_back(std::move(person));
  }
  // A set of people costs ClickHouse 18.16 little; a condition on each row's hint beside it
  // reads and tests the hints of every row (facets under a practice filter at 52 M events: 165
  // ms with the people alone, 275 with the hints besides, 420 resolving every row's person).
  // Numbers for emails took that statement's rollup reads from 183 to 142 ms (medians of 8).
  const auto in = [&](const std::vector<std::string>& persons) {
    if (!numbered) return "user IN " + quote_tuple(persons);
    std::string numbers;
    for (const std::string& number : persons) numbers += (numbers.empty() ? "" : ",") + number;
    return "user_key IN (" + numbers + ")";
  };
  std::string sql = whole.empty() ? "0" : in(whole);
  for (const auto& [hints, persons] : partly)
    sql += " OR " + in(persons) + " AND practice_hint IN " + quote_tuple(hints);
  return partly.empty() ? sql : "(" + sql + ")";
}

std::string People::practice() const {
  return lookup(practices_,
                "if(practice_hint = '', " + quote(store::kUnknownValue) + ", practice_hint)");
}
std::string People::level() const {
  return lookup(levels_, quote(store::kUnknownValue));
}
std::string People::location() const {
  return lookup(locations_, quote(store::kUnknownValue));
}

// The first employee a key names wins: emails are added before user ids. `added`: the keys so
// far (a scan of keys_ made a directory of 1,800 people cost 3 ms a question).
void People::add(const std::string& key, const std::vector<std::string>& employee,
                 std::unordered_set<std::string_view>& added) {
  if (!added.insert(key).second) return;
  keys_.push_back(key);
  practices_.push_back(employee[1]);
  levels_.push_back(employee[2]);
  locations_.push_back(employee[3]);
}

std::string People::lookup(const std::vector<std::string>& values,
                           std::string_view otherwise) const {
  if (keys_.empty()) return std::string(otherwise);
  return "transform(user, " + quote_list(keys_) + ", " + quote_list(values) + ", " +
         std::string(otherwise) + ")";
}

// "expr IN (values)" over the values that can match; an empty value matches no event, and a
// list of only such values matches nothing.
std::string in_list(const std::string& expression, const std::vector<std::string>& values) {
  std::vector<std::string> usable;
  for (const std::string& value : values)
    if (!value.empty()) usable.push_back(value);
  return usable.empty() ? "0" : expression + " IN " + quote_tuple(usable);
}

const char* in_subquery(const ClickHouseClient& client, bool negated) {
  if (client.url().cluster.empty()) return negated ? "NOT IN" : "IN";
  return negated ? "GLOBAL NOT IN" : "GLOBAL IN";
}

std::string attribute_value(std::string_view key) {
  return "attr_values[indexOf(attr_keys, " + quote(key) + ")]";
}

bool is_person(Dimension dimension) {
  return dimension.kind == Dimension::kPractice || dimension.kind == Dimension::kLevel ||
         dimension.kind == Dimension::kLocation || dimension.kind == Dimension::kEmail;
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
      return kAttemptValue;
    case Dimension::kError:
      return "error";
    case Dimension::kQuerySource:
      return "query_source";
    case Dimension::kAttribute:
      return attribute_value(dimension.attribute_key());
  }
  return "''";
}

void add_people_conditions(const People& people, const Filter& filter, PeopleOf of,
                           std::vector<std::string>& conditions) {
  std::optional<std::vector<std::string>> practices;
  if (!filter.practice.empty() || !filter.scope_practices.empty()) {
    practices = filter.practice.empty() ? filter.scope_practices : filter.practice;
    if (!filter.practice.empty() && !filter.scope_practices.empty())
      std::erase_if(*practices, [&](const std::string& p) {
        return std::find(filter.scope_practices.begin(), filter.scope_practices.end(), p) ==
               filter.scope_practices.end();
      });
  }
  const auto filtered = [](const std::vector<std::string>& values) {
    return values.empty() ? nullptr : &values;
  };
  if (of != PeopleOf::kAnyone) {
    if (practices || !filter.level.empty() || !filter.location.empty())
      conditions.push_back(people.events_passing(
          practices ? &*practices : nullptr, filtered(filter.level), filtered(filter.location),
          of == PeopleOf::kNumberedEvents && people.user_keys_unique()));
  } else {
    if (practices) conditions.push_back(in_list(people.practice(), *practices));
    if (!filter.level.empty()) conditions.push_back(in_list(people.level(), filter.level));
    if (!filter.location.empty()) conditions.push_back(in_list(people.location(), filter.location));
  }
  if (!filter.email.empty()) {
    std::vector<std::string> lowered;
    for (const std::string& email : filter.email) lowered.push_back(engine::ascii_lower(email));
    conditions.push_back(in_list("user", lowered));
  }
}

std::string all_of(const std::vector<std::string>& conditions) {
  if (conditions.empty()) return "1";
  std::string sql;
  for (size_t i = 0; i < conditions.size(); ++i) {
    if (i) sql += " AND ";
    sql += conditions[i];
  }
  return sql;
}

void add_day_conditions(const Filter& filter, std::vector<std::string>& conditions) {
  // Partition pruning: ClickHouse cannot derive the day from a time column itself.
  if (filter.from_ms) conditions.push_back("day >= " + quote(format_date(*filter.from_ms)));
  if (filter.to_ms) conditions.push_back("day <= " + quote(format_date(*filter.to_ms)));
}

std::optional<std::vector<std::string>> whole_day_conditions(const People& people,
                                                             const Filter& filter) {
  const auto whole_day = [](const std::optional<int64_t>& time) {
    return !time || floor_div(*time, kMsPerDay) * kMsPerDay == *time;
  };
  if (!whole_day(filter.from_ms) || !whole_day(filter.to_ms)) return std::nullopt;
  std::vector<std::string> conditions;
  if (filter.from_ms) conditions.push_back("day >= " + quote(format_date(*filter.from_ms)));
  if (filter.to_ms) conditions.push_back("day < " + quote(format_date(*filter.to_ms)));
  add_people_conditions(people, filter, PeopleOf::kEvents, conditions);
  return conditions;
}

std::string where(const People& people, const Filter& filter, PeopleOf of) {
  std::vector<std::string> conditions;
  if (filter.from_ms) conditions.push_back("time_ms >= " + std::to_string(*filter.from_ms));
  if (filter.to_ms) conditions.push_back("time_ms < " + std::to_string(*filter.to_ms));
  add_day_conditions(filter, conditions);
  add_people_conditions(people, filter, of, conditions);
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
  return all_of(conditions);
}

std::vector<std::vector<std::string>> rows_of(const std::string& answer) {
  std::vector<std::vector<std::string>> rows;
  for_each_tsv_row(answer, [&](std::vector<std::string> fields) {
    if (!(fields.size() == 1 && fields[0].empty())) rows.push_back(std::move(fields));
  });
  return rows;
}

}  // namespace cca::clickhouse
