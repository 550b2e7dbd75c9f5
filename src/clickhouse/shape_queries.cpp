#include "clickhouse/shape_queries.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "clickhouse/event_sql.h"
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

// The statistics of a sample as engine::percentiles() gives them, from a row of a subquery with
// `n` (the count), `total` (the sum) and `sorted` (the values in increasing order): count, mean,
// p50, p90, p95, p99, min, max. Ranks are the engine's nearest ranks, max(1, ceil(p / 100 * n)),
// computed in the same double arithmetic (ClickHouse's `/` divides as doubles).
constexpr size_t kPercentileFields = 8;
std::string percentile_columns() {
  std::string sql = "n, if(n = 0, 0, total / n)";
  for (const int percent : {50, 90, 95, 99})
    sql += ", if(n = 0, 0, sorted[toUInt64(greatest(1, ceil(" + std::to_string(percent) +
           " / 100 * n)))])";
  return sql + ", if(n = 0, 0, sorted[1]), if(n = 0, 0, sorted[n])";
}
// The subquery columns percentile_columns() reads, over the values of `value` in a group.
std::string sample_columns(const std::string& value) {
  return "count() AS n, sum(" + value + ") AS total, arraySort(groupArray(" + value +
         ")) AS sorted";
}

Percentiles read_percentiles(const std::vector<std::string>& fields, size_t first) {
  Percentiles p;
  p.count = std::stoull(fields.at(first));
  if (p.count == 0) return p;
  double* const values[] = {&p.mean, &p.p50, &p.p90, &p.p95, &p.p99, &p.min, &p.max};
  for (size_t i = 0; i < std::size(values); ++i) *values[i] = std::stod(fields.at(first + 1 + i));
  return p;
}

// The events a latency question reads and the figure it reads of them, as the engine's latency
// index keeps them: api_request events with a model, tool_result events with a tool, and of those
// only the ones carrying the figure (the `present` bits of the event writer: duration_ms 1 << 5,
// ttft_ms 1 << 9). By tool the measure is always duration_ms, as in the engine.
std::string measured_events(LatencyBy by, LatencyMeasure measure, std::string& key,
                            std::string& value) {
  if (by == LatencyBy::kTool) {
    key = "tool_name";
    value = "duration_ms";
    return "event_name = 'tool_result' AND tool_name != '' AND bitAnd(present, 32) != 0";
  }
  key = "model";
  if (measure == LatencyMeasure::kTtftMs) {
    value = "ttft_ms";
    return "event_name = 'api_request' AND model != '' AND bitAnd(present, 512) != 0";
  }
  value = "duration_ms";
  return "event_name = 'api_request' AND model != '' AND bitAnd(present, 32) != 0";
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
  const People people(client_);
  std::string key, value;
  const std::string events = measured_events(by, measure, key, value);
  const auto rows =
      rows_of(client_.query("SELECT k, " + percentile_columns() + " FROM (SELECT " + key +
                            " AS k, " + sample_columns(value) + " FROM events WHERE " + events +
                            " AND " + where(people, filter) + " GROUP BY k)"));
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
  Filter bounded = filter;
  bounded.from_ms = range.from_ms;
  bounded.to_ms = range.to_ms;
  const std::string bucket_index = "intDiv(time_ms - " + std::to_string(range.starts.front()) +
                                   ", " + std::to_string(engine::bucket_width_ms(bucket)) + ")";
  const People people(client_);
  std::string key, value;
  const std::string events = measured_events(of, measure, key, value);
  result.duration_ms.assign(range.starts.size(), Percentiles());
  for (const auto& row :
       rows_of(client_.query("SELECT b, " + percentile_columns() + " FROM (SELECT " + bucket_index +
                             " AS b, " + sample_columns(value) + " FROM events WHERE " + events +
                             " AND " + where(people, bounded) + " GROUP BY b)")))
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
  // reads it too: hence lo, width and bin_count in the answer.)
  const std::string bin_count = std::to_string(std::max<size_t>(bins, 1));
  const std::string counts =
      "arrayMap(j -> arrayCount(v -> v >= lo + width * j AND (j + 1 = bin_count OR v < lo + "
      "width * (j + 1)), sorted), range(toUInt64(bin_count))), lo, width, bin_count";
  const auto rows = rows_of(client_.query(
      "SELECT " + percentile_columns() + ", " + counts +
      " FROM (SELECT n, total, sorted, sorted[1] AS lo, sorted[n] AS hi, if(hi > lo, " + bin_count +
      ", 1) AS bin_count, if(hi > lo, (hi - lo) / " + bin_count + ", 0) AS width FROM (SELECT " +
      sample_columns("v") + " FROM (" + sessions + ")))"));
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
