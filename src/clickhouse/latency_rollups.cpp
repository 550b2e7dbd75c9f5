#include "clickhouse/latency_rollups.h"

#include "clickhouse/event_sql.h"
#include "clickhouse/sql_text.h"
#include "common/time_util.h"

namespace cca::clickhouse {
namespace {

using engine::LatencyBy;
using engine::LatencyMeasure;

// The `present` bits of the event writer: duration_ms 1 << 5, ttft_ms 1 << 9.
constexpr LatencyMeasured kModelDuration = {
    "model duration_ms", "model", "duration_ms",
    "event_name = 'api_request' AND model != '' AND bitAnd(present, 32) != 0"};
constexpr LatencyMeasured kModelTtft = {
    "model ttft_ms", "model", "ttft_ms",
    "event_name = 'api_request' AND model != '' AND bitAnd(present, 512) != 0"};
constexpr LatencyMeasured kToolDuration = {
    "tool duration_ms", "tool_name", "duration_ms",
    "event_name = 'tool_result' AND tool_name != '' AND bitAnd(present, 32) != 0"};

// The first day of the month of a UTC day, and of the month after.
int64_t month_start(int64_t day_ms) {
  const CivilDate date = civil_from_days(floor_div(day_ms, kMsPerDay));
  return days_from_civil(date.year, date.month, 1) * kMsPerDay;
}
int64_t next_month_start(int64_t day_ms) {
  const CivilDate date = civil_from_days(floor_div(day_ms, kMsPerDay));
  return (date.month == 12 ? days_from_civil(date.year + 1, 1, 1)
                           : days_from_civil(date.year, date.month + 1, 1)) *
         kMsPerDay;
}

bool on_day(const std::optional<int64_t>& time) {
  return !time || floor_div(*time, kMsPerDay) * kMsPerDay == *time;
}

// A bucket is the value's bits above the 6 highest of its mantissa.
constexpr int kBucketShift = 52 - 6;

// "day >= 'from' AND day < 'to'" over the given ends.
std::string days_between(std::optional<int64_t> from_ms, std::optional<int64_t> to_ms) {
  std::vector<std::string> conditions;
  if (from_ms) conditions.push_back("day >= " + quote(format_date(*from_ms)));
  if (to_ms) conditions.push_back("day < " + quote(format_date(*to_ms)));
  return all_of(conditions);
}

// The key of a rollup's rows: the model or tool, or '' for all of them.
std::string rollup_key(const LatencyRollup& rollup, const LatencyMeasured& measured) {
  return rollup.of_all_keys ? "''" : measured.key;
}

}  // namespace

const LatencyMeasured& latency_measured(LatencyBy by, LatencyMeasure measure) {
  // By tool the measure is always duration_ms, as in the engine.
  if (by == LatencyBy::kTool) return kToolDuration;
  return measure == LatencyMeasure::kTtftMs ? kModelTtft : kModelDuration;
}

std::vector<const LatencyMeasured*> latency_measures() {
  return {&kModelDuration, &kModelTtft, &kToolDuration};
}

std::string latency_rollup_columns() {
  return "day Date, measure String, key String, bucket UInt64, value Float64, events UInt64";
}

std::string latency_rollup_select(const LatencyRollup& rollup, const LatencyMeasured& measured,
                                  const std::string& events) {
  return "SELECT " + std::string(rollup.period) + " AS day, " + quote(measured.measure) +
         " AS measure, " + rollup_key(rollup, measured) + " AS key, " +
         latency_bucket_sql(measured.value) + " AS bucket, " + measured.value +
         " AS value, count() AS events FROM " + events + " WHERE " + measured.events +
         " GROUP BY day, measure, key, bucket, value";
}

std::string latency_bucket_columns() {
  return "day Date, measure String, key String, bucket UInt64, events UInt64, total Float64";
}

std::string latency_bucket_select(const LatencyRollup& rollup, const LatencyMeasured& measured,
                                  const std::string& events) {
  return "SELECT " + std::string(rollup.period) + " AS day, " + quote(measured.measure) +
         " AS measure, " + rollup_key(rollup, measured) + " AS key, " +
         latency_bucket_sql(measured.value) + " AS bucket, count() AS events, sum(" +
         measured.value + ") AS total FROM " + events + " WHERE " + measured.events +
         " GROUP BY day, measure, key, bucket";
}

// 18.16 reinterprets no Float64 as an integer, but does its bytes.
std::string latency_bucket_sql(const std::string& value) {
  return "if(" + value +
         " <= 0, toUInt64(0), bitShiftRight(reinterpretAsUInt64(reinterpretAsString(" + value +
         ")), " + std::to_string(kBucketShift) + ") + 1)";
}

std::optional<LatencyRollupCondition> latency_rollup_condition(const engine::Filter& filter,
                                                               LatencyBy by,
                                                               LatencyMeasure measure) {
  const bool by_model = by == LatencyBy::kModel;
  if (!filter.practice.empty() || !filter.scope_practices.empty() || !filter.level.empty() ||
      !filter.location.empty() || !filter.email.empty() || !filter.terminal.empty() ||
      !filter.status_code.empty() || !filter.error.empty() || !filter.attributes.empty() ||
      !(by_model ? filter.tool : filter.model).empty() || !on_day(filter.from_ms) ||
      !on_day(filter.to_ms))
    return std::nullopt;
  LatencyRollupCondition condition{"measure = " + quote(latency_measured(by, measure).measure)};
  const std::vector<std::string>& keys = by_model ? filter.model : filter.tool;
  condition.names_keys = !keys.empty();
  if (condition.names_keys) condition.sql += " AND " + in_list("key", keys);
  return condition;
}

namespace {

// "(SELECT `columns` ...)" of the rows matching `condition` of the values or buckets tables
// (`table` of a rollup) over the filter's range: the months wholly inside it from the month table
// (unless the group is of days), its other days from the day table (of all keys if the group is).
std::string rows_over_range(const engine::Filter& filter, const std::string& condition,
                            const std::string& columns, const LatencyGroup& group,
                            const char* LatencyRollup::*table) {
  const char* month_table = kLatencyMonths.*table;
  const char* day_table = (group.of_all_keys ? kLatencyDaysOfAllKeys : kLatencyDays).*table;
  // "(SELECT ...)" of `table`'s rows on the days `days`, and of more tables with UNION ALL.
  std::string sql = "(";
  const auto add_rows = [&](const char* table, const std::string& days) {
    if (sql.size() > 1) sql += " UNION ALL ";
    sql.append("SELECT ").append(group.expression).append(" AS k, ").append(columns);
    sql.append(" FROM ").append(table);
    sql.append(" WHERE ").append(condition).append(" AND (").append(days).append(")");
  };
  // The whole months of the range: from the first month starting at or after its start to the
  // month its end falls in (an open end leaves that side open).
  const std::optional<int64_t> months_from =
      filter.from_ms ? std::optional(month_start(*filter.from_ms) == *filter.from_ms
                                         ? *filter.from_ms
                                         : next_month_start(*filter.from_ms))
                     : std::nullopt;
  const std::optional<int64_t> months_to =
      filter.to_ms ? std::optional(month_start(*filter.to_ms)) : std::nullopt;
  if (group.of_days || group.of_all_keys ||
      (months_from && months_to && *months_from >= *months_to)) {
    add_rows(day_table, days_between(filter.from_ms, filter.to_ms));
  } else {
    add_rows(month_table, days_between(months_from, months_to));
    std::string days;  // the range's days outside those months
    const auto add_days = [&](std::optional<int64_t> from_ms, std::optional<int64_t> to_ms) {
      if (!days.empty()) days += " OR ";
      days.append("(").append(days_between(from_ms, to_ms)).append(")");
    };
    if (filter.from_ms && *filter.from_ms < *months_from) add_days(filter.from_ms, months_from);
    if (filter.to_ms && *months_to < *filter.to_ms) add_days(months_to, filter.to_ms);
    if (!days.empty()) add_rows(day_table, days);
  }
  return sql + ")";
}

}  // namespace

std::string latency_rollup_rows(const engine::Filter& filter, const std::string& condition,
                                const LatencyGroup& group) {
  return rows_over_range(filter, condition, "bucket AS b, value AS v, events AS c", group,
                         &LatencyRollup::table);
}

std::string latency_bucket_rows(const engine::Filter& filter, const std::string& condition,
                                const LatencyGroup& group) {
  return rows_over_range(filter, condition, "bucket AS b, events AS c, total AS s", group,
                         &LatencyRollup::buckets);
}

}  // namespace cca::clickhouse
