#include "clickhouse/shape_queries.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "clickhouse/event_sql.h"
#include "clickhouse/latency_rollups.h"
#include "clickhouse/queries.h"
#include "clickhouse/rollups.h"
#include "clickhouse/session_days.h"
#include "clickhouse/sql_text.h"
#include "common/time_util.h"

namespace cca::clickhouse {

using engine::Filter;
using engine::LatencyBy;
using engine::LatencyMeasure;
using engine::Percentiles;

namespace {

// The statistics of a sample as engine::percentiles() gives them, from a row of sample(): count,
// mean, p50, p90, p95, p99, min, max. Ranks are the engine's nearest ranks,
// max(1, ceil(p / 100 * n)), computed in the same double arithmetic (ClickHouse's `/` divides as
// doubles); a rank's value is the first whose running count reaches it.
constexpr size_t kPercentileFields = 8;
std::string percentile_columns() {
  std::string sql = "n, if(n = 0, 0, total / n)";
  for (const int percent : {50, 90, 95, 99})
    sql += ", if(n = 0, 0, vals[arrayFirstIndex(x -> x >= greatest(1, ceil(" +
           std::to_string(percent) + " / 100 * n)), cum)])";
  return sql + ", if(n = 0, 0, vals[1]), if(n = 0, 0, vals[length(vals)])";
}

// A subquery giving, per group of `keys` (comma-separated, or empty for one group) over `rows` (a
// FROM clause with the keys and the value `v`, each row weighing `weight`: "count()" for rows that
// are single values), the sample percentile_columns() reads: `n` (the count), `total` (the sum)
// and each distinct value once in increasing order (`vals`) beside how often it occurs (`counts`)
// and the running count up to it (`cum`). Grouping by value first is a hash aggregation over few
// distinct values (durations are whole milliseconds), where sorting every value
// (arraySort(groupArray(v))) took seconds at tens of millions of events.
std::string sample(const std::string& keys, const std::string& rows,
                   const std::string& weight = "count()") {
  const std::string by = keys.empty() ? "" : keys + ", ";
  return "SELECT " + by +
         "n, total, arrayMap(p -> tupleElement(p, 1), pairs) AS vals, "
         "arrayMap(p -> tupleElement(p, 2), pairs) AS counts, arrayCumSum(counts) AS cum FROM "
         "(SELECT " +
         by +
         "sum(c) AS n, sum(v * c) AS total, arraySort(groupArray((v, c))) AS pairs FROM (SELECT " +
         by + "v, " + weight + " AS c FROM " + rows + " GROUP BY " + by + "v)" +
         (keys.empty() ? "" : " GROUP BY " + keys) + ")";
}

Percentiles read_percentiles(const std::vector<std::string>& fields, size_t first) {
  Percentiles p;
  p.count = std::stoull(fields.at(first));
  if (p.count == 0) return p;
  double* const values[] = {&p.mean, &p.p50, &p.p90, &p.p95, &p.p99, &p.min, &p.max};
  for (size_t i = 0; i < std::size(values); ++i) *values[i] = std::stod(fields.at(first + 1 + i));
  return p;
}

// The buckets of a time series over this store, as Queries::timeseries takes them: open ends of
// the range are the data's (the first and last event stored, whatever the filter).
engine::BucketRange store_bucket_range(const ClickHouseClient& client, const Filter& filter,
                                       engine::Bucket bucket) {
  std::optional<int64_t> first, last;
  if (!filter.from_ms || !filter.to_ms) std::tie(first, last) = Queries(client).span();
  return engine::bucket_range(first, last, filter, bucket);
}

// "[1,2,3]" as numbers.
std::vector<size_t> read_counts(std::string_view array) {
  std::vector<size_t> counts;
  if (array.size() < 2) return counts;
  array = array.substr(1, array.size() - 2);
  while (!array.empty()) {
    const size_t comma = array.find(',');
    counts.push_back(std::stoull(std::string(array.substr(0, comma))));
    if (comma == std::string_view::npos) break;
    array.remove_prefix(comma + 1);
  }
  return counts;
}

}  // namespace

std::vector<engine::LatencyRow> ShapeQueries::latency(const Filter& filter, LatencyBy by,
                                                      LatencyMeasure measure) const {
  std::string sample_sql;
  if (const auto rollup = latency_rollup_condition(filter, by, measure)) {
    sample_sql = sample("k", latency_rollup_rows(filter, *rollup), "sum(c)");
  } else {
    const LatencyMeasured& measured = latency_measured(by, measure);
    sample_sql = sample("k", "(SELECT " + std::string(measured.key) + " AS k, " + measured.value +
                                 " AS v FROM events WHERE " + measured.events + " AND " +
                                 where(People(client_), filter) + ")");
  }
  const auto rows =
      rows_of(client_.query("SELECT k, " + percentile_columns() + " FROM (" + sample_sql + ")"));
  std::vector<engine::LatencyRow> result;
  for (const auto& row : rows) result.push_back({row.at(0), read_percentiles(row, 1)});
  std::sort(result.begin(), result.end(),
            [](const engine::LatencyRow& a, const engine::LatencyRow& b) {
              if (a.duration_ms.count != b.duration_ms.count)
                return a.duration_ms.count > b.duration_ms.count;
              return a.key < b.key;
            });
  return result;
}

engine::LatencySeries ShapeQueries::latency_timeseries(const Filter& filter, LatencyBy of,
                                                       LatencyMeasure measure,
                                                       engine::Bucket bucket) const {
  engine::LatencySeries result;
  engine::BucketRange range = store_bucket_range(client_, filter, bucket);
  if (range.starts.empty()) return result;
  const int64_t origin = range.starts.front(), width = engine::bucket_width_ms(bucket);
  const auto bucket_of = [&](const std::string& time) {
    return "intDiv(" + time + " - " + std::to_string(origin) + ", " + std::to_string(width) + ")";
  };
  std::string sample_sql;
  // Buckets of whole days read latency_day over the filter's own range: an open end takes every
  // day, as the data's span does. The days are also held to the buckets, which events ingested
  // since the span was read could fall outside.
  const auto rollup =
      width % kMsPerDay == 0 ? latency_rollup_condition(filter, of, measure) : std::nullopt;
  if (rollup) {
    const std::string day_ms = "toInt64(toUInt32(day)) * " + std::to_string(kMsPerDay);
    sample_sql = sample(
        "b",
        "(SELECT " + bucket_of(day_ms) + " AS b, v, c FROM " + latency_day_rows(filter, *rollup) +
            " WHERE " + day_ms + " >= " + std::to_string(origin) + " AND " + day_ms + " < " +
            std::to_string(origin + width * static_cast<int64_t>(range.starts.size())) + ")",
        "sum(c)");
  } else {
    Filter bounded = filter;
    bounded.from_ms = range.from_ms;
    bounded.to_ms = range.to_ms;
    const LatencyMeasured& measured = latency_measured(of, measure);
    sample_sql = sample("b", "(SELECT " + bucket_of("time_ms") + " AS b, " + measured.value +
                                 " AS v FROM events WHERE " + measured.events + " AND " +
                                 where(People(client_), bounded) + ")");
  }
  result.duration_ms.assign(range.starts.size(), Percentiles());
  for (const auto& row :
       rows_of(client_.query("SELECT b, " + percentile_columns() + " FROM (" + sample_sql + ")")))
    result.duration_ms.at(std::stoull(row.at(0))) = read_percentiles(row, 1);
  result.starts = std::move(range.starts);
  return result;
}

std::vector<engine::MetricSet> ShapeQueries::heatmap(const Filter& filter) const {
  // Hours since the Monday 00:00 UTC before the event: 1970-01-01 was a Thursday, three days
  // after a Monday; the modulo arithmetic keeps times before 1970 on the right side.
  constexpr int64_t kMsPerWeek = 7 * kMsPerDay;
  const std::string week = std::to_string(kMsPerWeek);
  const auto slot = [&](const std::string& time) {
    return "intDiv(((" + time + " % " + week + ") + " + week + " + " +
           std::to_string(3 * kMsPerDay) + ") % " + week + ", " + std::to_string(kMsPerHour) + ")";
  };
  const People people(client_);
  const MetricSource source = metric_source(people, filter, std::nullopt, kMsPerHour);
  std::vector<engine::MetricSet> result(7 * 24);
  for (const auto& row : rows_of(client_.query("SELECT " + slot(source.time) + " AS slot, " +
                                               std::string(source.metrics) + " FROM " +
                                               source.filtered_table + " GROUP BY slot")))
    result.at(std::stoull(row.at(0))) = read_metrics(row, 1);
  return result;
}

engine::Distribution ShapeQueries::session_distribution(const Filter& filter,
                                                        engine::SessionQuantity of,
                                                        size_t bins) const {
  // Each session's quantity over its matching events (events without a session are no session's),
  // from session_days when the filter allows, else from the events.
  const People people(client_);
  const std::optional<std::string> session_days = session_days_read(people, filter);
  std::string quantity;
  switch (of) {
    case engine::SessionQuantity::kDurationS:
      quantity = session_days ? "(max(" + std::string(kSessionLast) + ") - tupleElement(min(" +
                                    kSessionFirst + "), 1)) / 1000"
                              : "(max(time_ms) - min(time_ms)) / 1000";
      break;
    case engine::SessionQuantity::kPrompts:
      quantity = session_days ? "toFloat64(sum(user_prompts))"
                              : "toFloat64(countIf(event_name = 'user_prompt'))";
      break;
    case engine::SessionQuantity::kCostUsd:
      quantity = session_days ? "sum(cost_usd_sum)" : "sumIf(cost_usd, event_name = 'api_request')";
      break;
  }
  const std::string session_rows =
      session_days ? *session_days : "events WHERE session_id != '' AND " + where(people, filter);
  const std::string sessions =
      "SELECT session_id, " + quantity + " AS v FROM " + session_rows + " GROUP BY session_id";
  // The engine's bins: equal widths lo + width * i from the smallest value to the largest (one bin
  // when they are equal); a value belongs to the last bin whose lower edge is at or below it, the
  // edges computed as the engine computes them, so that rounding puts a value where it does there.
  // (ClickHouse 18.16 keeps a subquery's column for a lambda only when something outside a lambda
  // reads it too: hence lo, width, bin_count and the length of counts in the answer.)
  const std::string bin_count = std::to_string(std::max<size_t>(bins, 1));
  const std::string bin_counts =
      "arrayMap(j -> arraySum(arrayMap((v, c) -> if(v >= lo + width * j AND (j + 1 = bin_count OR "
      "v < lo + width * (j + 1)), c, 0), vals, counts)), range(toUInt64(bin_count))), lo, width, "
      "bin_count, length(counts)";
  const auto rows = rows_of(client_.query(
      "SELECT " + percentile_columns() + ", " + bin_counts +
      " FROM (SELECT n, total, vals, counts, cum, vals[1] AS lo, vals[length(vals)] AS hi, "
      "if(hi > lo, " +
      bin_count + ", 1) AS bin_count, if(hi > lo, (hi - lo) / " + bin_count +
      ", 0) AS width FROM (" + sample("", "(" + sessions + ")") + "))"));
  engine::Distribution result;
  if (rows.empty()) return result;
  result.stats = read_percentiles(rows[0], 0);
  if (result.stats.count == 0 || bins == 0) return result;
  const std::vector<size_t> bin_events = read_counts(rows[0].at(kPercentileFields));
  const double lo = result.stats.min, hi = result.stats.max;
  const size_t bin_total = hi > lo ? bins : 1;
  const double width = hi > lo ? (hi - lo) / static_cast<double>(bin_total) : 0;
  for (size_t i = 0; i < bin_total; ++i)
    result.bins.push_back({lo + width * static_cast<double>(i),
                           i + 1 == bin_total ? hi : lo + width * static_cast<double>(i + 1),
                           i < bin_events.size() ? bin_events[i] : 0});
  return result;
}

engine::Facets ShapeQueries::facets(const Filter& filter) const {
  const People people(client_);
  engine::Facets result;
  // Each facet under every filter but its own, in the order of the engine's facets.
  const struct {
    engine::FacetList* list;
    std::vector<std::string> Filter::*own;
    std::string key;
  } facets[] = {{&result.practice, &Filter::practice, people.practice()},
                {&result.level, &Filter::level, people.level()},
                {&result.location, &Filter::location, people.location()},
                {&result.model, &Filter::model, "model"},
                {&result.email, &Filter::email, "user"},
                {&result.terminal, &Filter::terminal, "terminal"},
                {&result.tool, &Filter::tool, "tool_name"},
                {&result.status_code, &Filter::status_code, "status_code"},
                {&result.error, &Filter::error, "error"}};
  constexpr int kAttributeFacet = 100;
  std::vector<std::string> parts;
  for (size_t i = 0; i < std::size(facets); ++i) {
    Filter relaxed = filter;
    (relaxed.*facets[i].own).clear();
    parts.push_back("SELECT toUInt8(" + std::to_string(i) + ") AS facet_, '' AS facet_key_, " +
                    facets[i].key +
                    " AS facet_value_, count() AS facet_events_ FROM events WHERE " +
                    where(people, relaxed) + " GROUP BY facet_value_ HAVING facet_value_ != ''");
  }
  // Custom attributes: the pairs of the events (the engine keeps none with an empty key or value).
  // A filtered key's values under the filter without that key's entry; every other key's under
  // the whole filter.
  const auto attribute_part = [&](const Filter& under, const std::string& keys) {
    return "SELECT toUInt8(" + std::to_string(kAttributeFacet) +
           ") AS facet_, attribute_key_ AS facet_key_, attribute_value_ AS facet_value_, "
           "count() AS facet_events_ FROM events ARRAY JOIN attr_keys AS attribute_key_, "
           "attr_values AS attribute_value_ WHERE " +
           keys + " AND attribute_key_ != '' AND attribute_value_ != '' AND " +
           where(people, under) + " GROUP BY attribute_key_, attribute_value_";
  };
  std::vector<std::string> filtered_keys;
  for (size_t i = 0; i < filter.attributes.size(); ++i) {
    const std::string& key = filter.attributes[i].first;
    filtered_keys.push_back(key);
    Filter relaxed = filter;
    relaxed.attributes.erase(relaxed.attributes.begin() + static_cast<std::ptrdiff_t>(i));
    parts.push_back(attribute_part(relaxed, "attribute_key_ = " + quote(key)));
  }
  std::string other_keys = "1";
  for (const std::string& key : filtered_keys) other_keys += " AND attribute_key_ != " + quote(key);
  parts.push_back(attribute_part(filter, other_keys));
  std::string sql;
  for (const std::string& part : parts) {
    if (!sql.empty()) sql += " UNION ALL ";
    sql += part;
  }

  std::map<std::string, std::map<std::string, uint64_t>> attributes;
  for (const auto& row : rows_of(client_.query(sql))) {
    const size_t facet = std::stoul(row.at(0));
    const uint64_t events = std::stoull(row.at(3));
    if (facet == kAttributeFacet) {
      attributes[row.at(1)][row.at(2)] += events;
    } else {
      facets[facet].list->push_back({row.at(2), events});
    }
  }
  for (const auto& facet : facets)
    std::sort(
        facet.list->begin(), facet.list->end(),
        [](const engine::FacetValue& a, const engine::FacetValue& b) { return a.value < b.value; });
  for (auto& [key, values] : attributes) {
    engine::FacetList list;
    for (auto& [value, events] : values) list.push_back({value, events});
    result.attributes.emplace_back(key, std::move(list));
  }
  return result;
}

}  // namespace cca::clickhouse
