#include "clickhouse/queries.h"

#include <algorithm>
#include <limits>
#include <set>

#include "clickhouse/event_sql.h"
#include "clickhouse/rollups.h"
#include "clickhouse/row_binary.h"
#include "clickhouse/sql_text.h"
#include "common/time_util.h"
#include "engine/ascii_lower.h"
#include "engine/dictionaries.h"

namespace cca::clickhouse {

using engine::Dimension;
using engine::Filter;
using engine::MetricSet;

engine::Summary Queries::summarize(const Filter& filter) const {
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  const MetricSource source = metric_source(people, filter, std::nullopt);
  const auto rows = rows_of(client_.query(select_metrics(source, {}, {source.first, source.last})));
  engine::Summary summary;
  if (rows.empty()) return summary;
  summary.metrics = read_metrics(rows[0], 0);
  if (summary.metrics.events > 0) {
    summary.first_event_ms = std::stoll(rows[0].at(kMetricFields));
    summary.last_event_ms = std::stoll(rows[0].at(kMetricFields + 1));
  }
  return summary;
}

std::pair<std::optional<int64_t>, std::optional<int64_t>> Queries::span() const {
  const auto rows = rows_of(
      client_.query("SELECT sum(events), minMerge(first_ms), maxMerge(last_ms) FROM " +
                    std::string(kRollupTables[kMonthRollup].totals) + " WHERE dimension = ''"));
  if (rows.empty() || rows[0].at(0) == "0") return {};
  return {std::stoll(rows[0].at(1)), std::stoll(rows[0].at(2))};
}

std::vector<engine::BreakdownRow> Queries::breakdown(const Filter& filter, Dimension by,
                                                     engine::Metric sort) const {
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  const MetricSource source = metric_source(people, filter, by);
  const auto rows =
      rows_of(client_.query(select_metrics(source, {{source.key, "k"}}, {}, "", "k != ''")));
  std::vector<engine::BreakdownRow> result;
  for (const auto& row : rows) result.push_back({row.at(0), read_metrics(row, 1)});
  engine::sort_rows(result, sort);
  return result;
}

namespace {

// Whether no instant lies in two of the ranges.
bool disjoint(std::span<const engine::TimeRange> ranges) {
  std::vector<engine::TimeRange> sorted(ranges.begin(), ranges.end());
  std::erase_if(sorted, [](const engine::TimeRange& r) { return r.from_ms >= r.to_ms; });
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.from_ms < b.from_ms; });
  for (size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i].from_ms < sorted[i - 1].to_ms) return false;
  return true;
}

// The widest period (a UTC day, an hour, else a millisecond) that every range's ends fall on.
int64_t common_period(std::span<const engine::TimeRange> ranges) {
  for (const int64_t period : {kMsPerDay, kMsPerHour})
    if (std::all_of(ranges.begin(), ranges.end(), [&](const engine::TimeRange& r) {
          return floor_div(r.from_ms, period) * period == r.from_ms &&
                 floor_div(r.to_ms, period) * period == r.to_ms;
        }))
      return period;
  return 1;
}

}  // namespace

std::vector<std::vector<engine::RangedBreakdownRow>> Queries::ranged_breakdowns(
    const Filter& filter, std::span<const Dimension> by, engine::Metric metric,
    std::span<const engine::TimeRange> ranges) const {
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  const bool sums = !engine::metric_counts_distinct(metric);
  const size_t people_read = by.size();  // the shared read's number among the dimensions'
  std::string sql;
  // Each dimension's rows over `within`, their part `part` (SQL over the source's time column),
  // which is 0 for rows in no part when `in_parts_only`.
  const auto add_parts = [&](const Filter& within, int64_t bucket_ms, bool in_parts_only,
                             const auto& part) {
    const auto add = [&](size_t dimension, const MetricSource& source, const std::string& hint,
                         const std::string& having) {
      const std::string part_of_row = part(source.time);
      sql += std::string(sql.empty() ? "" : " UNION ALL ") + "SELECT toString(k), toString(h), " +
             binary_metric_columns() + ", toUInt64(" + std::to_string(dimension) +
             "), toUInt64(p) FROM (" +
             select_metrics(source, {{source.key, "k"}, {hint, "h"}, {part_of_row, "p"}}, {},
                            in_parts_only ? part_of_row + " != 0" : "", having) +
             ")";
    };
    bool people_added = false;
    for (size_t d = 0; d < by.size(); ++d) {
      if (!sums) {
        add(d, metric_source(people, within, by[d], bucket_ms), "''", "k != ''");
      } else if (!is_person(by[d])) {
        add(d, sum_source(people, within, by[d], metric, bucket_ms), "''", "k != ''");
      } else if (!people_added) {
        add(people_read,
            sum_source(people, within, Dimension{Dimension::kEmail}, metric, bucket_ms),
            "practice_hint", "");
        people_added = true;
      }
    }
  };
  add_parts(filter, 0, false, [](const std::string&) { return std::string("0"); });
  // The ranges of a sum that no instant lies in two of, such as an anomaly's buckets: one read
  // over their span, each row's part told by its time, where a read a range took ClickHouse
  // 6-23 ms each for the people of a day (a granule of every part of the day rollup).
  if (sums && !ranges.empty() && disjoint(ranges)) {
    Filter span = filter;
    span.from_ms = std::min_element(ranges.begin(), ranges.end(), [](const auto& a, const auto& b) {
                     return a.from_ms < b.from_ms;
                   })->from_ms;
    span.to_ms = std::max_element(ranges.begin(), ranges.end(), [](const auto& a, const auto& b) {
                   return a.to_ms < b.to_ms;
                 })->to_ms;
    add_parts(span, common_period(ranges), true, [&](const std::string& time) {
      std::string sql = "multiIf(";
      for (size_t r = 0; r < ranges.size(); ++r)
        sql += time + " >= " + std::to_string(ranges[r].from_ms) + " AND " + time + " < " +
               std::to_string(ranges[r].to_ms) + ", " + std::to_string(r + 1) + ", ";
      return sql + "0)";
    });
  } else {
    for (size_t r = 1; r <= ranges.size(); ++r)
      add_parts(engine::part_filter(filter, ranges, r), 0, false,
                [&](const std::string&) { return std::to_string(r); });
  }
  // Tens of thousands of rows (a person and hint a range), read as RowBinary: as text, parsing
  // them took longer than ClickHouse took to answer.
  engine::RangedBreakdowns gathered(by.size(), ranges.size());
  const std::string answer = client_.query(sql + " FORMAT RowBinary");
  for (RowBinaryReader row(answer); !row.done();) {
    const std::string_view key = row.text(), hint = row.text();
    const MetricSet metrics = read_metrics(row);
    const size_t dimension = row.number<uint64_t>();
    const size_t part = row.number<uint64_t>();
    if (dimension != people_read) {
      gathered.add(dimension, part, key, metrics);
      continue;
    }
    const People::Resolved person = people.resolve(key, hint);
    for (size_t d = 0; d < by.size(); ++d) {
      if (!is_person(by[d])) continue;
      const std::string_view value = person.value(by[d], key);
      if (!value.empty()) gathered.add(d, part, value, metrics);
    }
  }
  return std::move(gathered).rows();
}

engine::Timeseries Queries::timeseries(const Filter& filter, engine::Bucket bucket,
                                       std::optional<Dimension> split, size_t split_limit,
                                       const std::vector<std::string>* split_values,
                                       std::optional<engine::Metric> only) const {
  engine::Timeseries result;
  // Open ends of the range are the data's, as in the engine: the first and last event stored.
  std::optional<int64_t> first, last;
  if (!filter.from_ms || !filter.to_ms) std::tie(first, last) = span();
  engine::BucketRange range = engine::bucket_range(first, last, filter, bucket);
  if (range.starts.empty()) return result;
  result.starts = std::move(range.starts);
  const size_t buckets = result.starts.size();
  const int64_t origin = result.starts.front();
  const int64_t width = engine::bucket_width_ms(bucket);

  // An open end of the range reaches to the edge of its bucket: no events lie between the data's
  // first or last and there, and a range on whole hours or days can be read from a rollup.
  Filter bounded = filter;
  bounded.from_ms = filter.from_ms ? range.from_ms : origin;
  bounded.to_ms = filter.to_ms ? range.to_ms : result.starts.back() + width;
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  const auto bucket_index = [&](const MetricSource& from) {
    return "intDiv(" + from.time + " - " + std::to_string(origin) + ", " + std::to_string(width) +
           ")";
  };

  const MetricSource total = only && !engine::metric_counts_distinct(*only)
                                 ? sum_source(people, bounded, std::nullopt, *only, width)
                                 : metric_source(people, bounded, std::nullopt, width);
  result.points.assign(buckets, MetricSet());
  for (const auto& row :
       rows_of(client_.query(select_metrics(total, {{bucket_index(total), "b"}}))))
    result.points.at(std::stoull(row.at(0))) = read_metrics(row, 1);
  if (!split) return result;

  const MetricSource by = metric_source(people, bounded, *split, width);
  std::vector<std::string> keys;
  if (split_values) {
    keys = *split_values;
  } else {
    for (const auto& row : rows_of(client_.query(
             "SELECT " + by.key + " AS k, " + std::string(by.events) + " AS n FROM " +
             by.filtered_table + " GROUP BY k HAVING k != '' ORDER BY n DESC, k ASC LIMIT " +
             std::to_string(split_limit))))
      keys.push_back(row.at(0));
  }
  for (const std::string& value : keys)
    result.series.push_back({value, std::vector<MetricSet>(buckets)});
  if (keys.empty()) return result;
  for (const auto& row : rows_of(client_.query(select_metrics(
           by, {{by.key, "k"}, {bucket_index(by), "b"}}, {}, in_list(by.key, keys))))) {
    const auto series = std::find(keys.begin(), keys.end(), row.at(0));
    if (series != keys.end())
      result.series[series - keys.begin()].points.at(std::stoull(row.at(1))) = read_metrics(row, 2);
  }
  return result;
}

}  // namespace cca::clickhouse
