#include "clickhouse/code_queries.h"

#include "clickhouse/event_sql.h"
#include "clickhouse/sql_text.h"

namespace cca::clickhouse {
namespace {

using engine::CodeActivity;
using engine::Dimension;
using engine::Filter;
namespace code_metric = engine::code_metric;

// The code-activity figures of a group of points as SELECT expressions, in read_activity()'s
// order. A delta is NULL when the point adds nothing; ifNull makes every sum a number, even over
// no rows.
std::string activity_columns() {
  const auto sum = [](const std::string& condition) {
    return "sumIf(ifNull(delta, 0), " + condition + ")";
  };
  const auto named = [](std::string_view metric) { return "name = " + quote(metric); };
  const std::string lines = named(code_metric::kLinesOfCode);
  const std::string decisions = named(code_metric::kEditDecisions);
  return sum(lines + " AND type = " + quote(code_metric::kAdded)) + ", " +
         sum(lines + " AND type = " + quote(code_metric::kRemoved)) + ", " +
         sum(named(code_metric::kCommits)) + ", " + sum(named(code_metric::kPullRequests)) + ", " +
         sum(named(code_metric::kActiveTime)) + ", " + sum(named(code_metric::kSessions)) + ", " +
         sum(decisions) + ", " + sum(decisions + " AND decision = 'accept'");
}

CodeActivity read_activity(const std::vector<std::string>& fields, size_t first) {
  CodeActivity a;
  size_t i = first;
  for (double* figure : {&a.lines_added, &a.lines_removed, &a.commits, &a.pull_requests,
                         &a.active_time_s, &a.sessions_started, &a.edit_decisions, &a.edit_accepts})
    *figure = std::stod(fields.at(i++));
  return a;
}

// The points a question sums: those of the code-activity metrics that add something, under the
// events' filter. Metric points are not API errors: a status code or error filter matches none.
std::string code_points(const People& people, const Filter& filter) {
  if (!filter.status_code.empty() || !filter.error.empty()) return "metric_points WHERE 0";
  const std::vector<std::string> names = {
      std::string(code_metric::kLinesOfCode),  std::string(code_metric::kCommits),
      std::string(code_metric::kPullRequests), std::string(code_metric::kActiveTime),
      std::string(code_metric::kSessions),     std::string(code_metric::kEditDecisions)};
  return "metric_points WHERE " + in_list("name", names) + " AND isNotNull(delta) AND " +
         where(people, filter, PeopleOf::kAnyone);
}

// A grouping's value for a point, '' when the point has none. Points keep the events' column
// names, so the events' expressions serve but for the language, which only points carry.
std::string group_key(const People& people, const engine::CodeGrouping& by) {
  using By = engine::CodeGrouping::By;
  switch (by.by) {
    case By::kLanguage:
      return "language";
    case By::kModel:
      return key_expression(people, Dimension::kModel);
    case By::kTool:
      return key_expression(people, Dimension::kTool);
    case By::kEmail:
      return key_expression(people, Dimension::kEmail);
    case By::kPractice:
      return key_expression(people, Dimension::kPractice);
    case By::kAttribute:
      return attribute_value(by.attribute);
  }
  return "''";
}

}  // namespace

CodeActivity CodeQueries::code_activity(const Filter& filter) const {
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  const auto rows = rows_of(
      client_.query("SELECT " + activity_columns() + " FROM " + code_points(people, filter)));
  return rows.empty() ? CodeActivity() : read_activity(rows[0], 0);
}

engine::CodeTimeline CodeQueries::code_timeline(const Filter& filter, engine::Bucket bucket) const {
  // Open ends of the range are the stored points', as in the engine: every point's, whatever its
  // metric.
  std::optional<int64_t> first, last;
  if (!filter.from_ms || !filter.to_ms) {
    const auto span =
        rows_of(client_.query("SELECT count(), min(time_ms), max(time_ms) FROM metric_points"));
    if (!span.empty() && span[0].at(0) != "0") {
      first = std::stoll(span[0].at(1));
      last = std::stoll(span[0].at(2));
    }
  }
  engine::BucketRange range = engine::bucket_range(first, last, filter, bucket);
  engine::CodeTimeline result;
  if (range.starts.empty()) return result;
  result.starts = std::move(range.starts);
  result.points.assign(result.starts.size(), CodeActivity());
  Filter bounded = filter;
  bounded.from_ms = range.from_ms;
  bounded.to_ms = range.to_ms;
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  for (const auto& row : rows_of(client_.query(
           "SELECT intDiv(time_ms - " + std::to_string(result.starts.front()) + ", " +
           std::to_string(engine::bucket_width_ms(bucket)) + ") AS b, " + activity_columns() +
           " FROM " + code_points(people, bounded) + " GROUP BY b")))
    result.points.at(std::stoull(row.at(0))) = read_activity(row, 1);
  return result;
}

std::vector<engine::CodeRow> CodeQueries::code_breakdown(const Filter& filter,
                                                         const engine::CodeGrouping& by) const {
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  std::vector<engine::CodeRow> result;
  for (const auto& row : rows_of(client_.query(
           "SELECT " + group_key(people, by) + " AS k, " + activity_columns() + " FROM " +
           code_points(people, filter) + " GROUP BY k HAVING k != '' ORDER BY k")))
    result.push_back({row.at(0), read_activity(row, 1)});
  return result;
}

std::vector<engine::MetricNameRow> CodeQueries::metric_names() const {
  std::vector<engine::MetricNameRow> result;
  for (const auto& row : rows_of(client_.query(
           "SELECT name, kind, unit, uniqExact(series_hi, series_lo), count() FROM metric_points "
           "GROUP BY name, kind, unit ORDER BY name, kind, unit")))
    result.push_back(
        {row.at(0), row.at(1), row.at(2), std::stoull(row.at(3)), std::stoull(row.at(4))});
  return result;
}

}  // namespace cca::clickhouse
