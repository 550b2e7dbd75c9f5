#include "clickhouse/queries.h"

#include <algorithm>
#include <limits>
#include <set>

#include "clickhouse/event_sql.h"
#include "clickhouse/sql_text.h"
#include "common/time_util.h"
#include "engine/ascii_lower.h"
#include "engine/dictionaries.h"

namespace cca::clickhouse {

using engine::Dimension;
using engine::Filter;
using engine::MetricSet;

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
