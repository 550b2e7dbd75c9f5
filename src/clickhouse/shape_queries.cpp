#include "clickhouse/shape_queries.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "clickhouse/event_sql.h"
#include "clickhouse/facet_values.h"
#include "clickhouse/latency_rollups.h"
#include "clickhouse/queries.h"
#include "clickhouse/rollups.h"
#include "clickhouse/row_binary.h"
#include "clickhouse/session_days.h"
#include "clickhouse/sql_text.h"
#include "common/text_hash.h"
#include "common/time_util.h"

namespace cca::clickhouse {

using engine::Dimension;
using engine::Filter;
using engine::LatencyBy;
using engine::LatencyMeasure;
using engine::Percentiles;

namespace {

// The statistics of a sample as engine::percentiles() gives them, as aggregates over rows of a
// value `v` that occurs `c` times: count, mean, [p50, p90, p95, p99], min, max. The percentiles
// are the engine's nearest ranks, max(1, ceil(p / 100 * n)): quantileExactWeighted's threshold
// is ceil(n * level) in the same double arithmetic, and its value the first (in increasing
// order) whose running weight reaches it. It counts each distinct value in a hash table per
// group and sorts those: where sorting every value (arraySort(groupArray(v))) took seconds at tens
// of millions of events, and a sorted array of distinct values with running counts searched per
// percentile took 130-210 ms at 104 M events, this takes 55-100 ms.
constexpr const char* kPercentileAggregates =
    "sum(c) AS n, if(n = 0, 0, sum(v * c) / n) AS mean, "
    "quantilesExactWeighted(0.5, 0.9, 0.95, 0.99)(v, c) AS ranked, min(v) AS low, max(v) AS high";

// Per group of `keys` (comma-separated) over `rows` (a FROM clause with the keys, the value `v`
// and its count `c`), the statistics of kPercentileAggregates after the keys.
std::string percentiles_by(const std::string& keys, const std::string& rows) {
  return "SELECT " + keys + ", " + kPercentileAggregates + " FROM " + rows + " GROUP BY " + keys;
}

// "[1,2,3]" as numbers.
template <typename Number, typename Parse>
std::vector<Number> read_array(std::string_view array, Parse&& parse) {
  std::vector<Number> numbers;
  if (array.size() < 2) return numbers;
  array = array.substr(1, array.size() - 2);
  while (!array.empty()) {
    const size_t comma = array.find(',');
    numbers.push_back(parse(std::string(array.substr(0, comma))));
    if (comma == std::string_view::npos) break;
    array.remove_prefix(comma + 1);
  }
  return numbers;
}

Percentiles read_percentiles(const std::vector<std::string>& fields, size_t first) {
  Percentiles p;
  p.count = std::stoull(fields.at(first));
  if (p.count == 0) return p;
  p.mean = std::stod(fields.at(first + 1));
  const std::vector<double> ranked =
      read_array<double>(fields.at(first + 2), [](const std::string& x) { return std::stod(x); });
  double* const at_ranks[] = {&p.p50, &p.p90, &p.p95, &p.p99};
  for (size_t i = 0; i < std::size(at_ranks); ++i) *at_ranks[i] = ranked.at(i);
  p.min = std::stod(fields.at(first + 3));
  p.max = std::stod(fields.at(first + 4));
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

// Latency percentiles per group (a model or tool, or a time bucket) from the latency rollups, in
// two reads (see latency_rollups.h): the buckets, which give each group's count, mean and the
// bucket each of its ranks falls in with the events below that bucket; then the values of those
// buckets, walked from there to the ranks. The ranks are the engine's: min (1), p50, p90, p95,
// p99, max (n). Groups without events have no row.
std::vector<engine::LatencyRow> latency_from_buckets(const ClickHouseClient& client,
                                                     const Filter& filter,
                                                     const std::string& condition,
                                                     const LatencyGroup& group) {
  struct Rank {
    uint64_t rank;  // 1-based
    uint64_t bucket = 0, below = 0;
    double value = 0;
  };
  struct Key {
    std::string name;
    uint64_t count = 0;
    double sum = 0;
    std::vector<std::pair<uint64_t, uint64_t>> buckets;  // (bucket, events), increasing
    std::vector<Rank> ranks;
  };
  // Both reads come back as RowBinary: over every day of 52 M events 51,000 and 54,000 rows, which
  // as text took longer to read here than ClickHouse took to answer. The buckets come as stored,
  // and are added up and ordered here: over every day of latency_day_all, ClickHouse read them in
  // 3 ms, and took 25 to group and order them.
  std::vector<Key> keys;
  {
    TextMap<size_t> key_of_name;
    const std::string bucket_rows =
        client.query("SELECT toString(k), toUInt64(b), toUInt64(c), toFloat64(s) FROM " +
                     latency_bucket_rows(filter, condition, group) + " FORMAT RowBinary");
    for (RowBinaryReader row(bucket_rows); !row.done();) {
      const std::string_view name = row.text();
      auto found = key_of_name.find(name);
      if (found == key_of_name.end()) {
        found = key_of_name.emplace(name, keys.size()).first;
        keys.emplace_back().name = name;
      }
      Key& key = keys[found->second];
      const uint64_t bucket = row.number<uint64_t>(), events = row.number<uint64_t>();
      key.buckets.emplace_back(bucket, events);
      key.count += events;
      key.sum += row.number<double>();
    }
  }
  if (keys.empty()) return {};
  for (Key& key : keys) {  // a bucket's rows in several parts are one
    std::sort(key.buckets.begin(), key.buckets.end());
    auto kept = key.buckets.begin();
    for (auto next = kept + 1; next < key.buckets.end(); ++next) {
      if (next->first == kept->first)
        kept->second += next->second;
      else
        *++kept = *next;
    }
    key.buckets.erase(kept + 1, key.buckets.end());
  }

  std::string wanted;  // the buckets holding a rank, any key
  for (Key& key : keys) {
    const auto nearest = [&](double percent) { return engine::nearest_rank(percent, key.count); };
    key.ranks = {{1}, {nearest(50)}, {nearest(90)}, {nearest(95)}, {nearest(99)}, {key.count}};
    uint64_t below = 0;
    auto bucket = key.buckets.begin();
    for (Rank& rank : key.ranks) {  // increasing
      while (below + bucket->second < rank.rank) below += (bucket++)->second;
      rank.bucket = bucket->first;
      rank.below = below;
      if (&rank != &key.ranks.front() && rank.bucket == (&rank - 1)->bucket) continue;
      wanted += (wanted.empty() ? "(" : ", (") + (group.numeric ? key.name : quote(key.name)) +
                ", " + std::to_string(rank.bucket) + ")";
    }
  }

  // Each key's values in those buckets, increasing: (value, its bucket, its events).
  struct Value {
    double value;
    uint64_t bucket, events;
  };
  std::map<std::string, std::vector<Value>, std::less<>> values;
  const std::string value_rows = client.query(
      "SELECT toString(k), toFloat64(v), toUInt64(b), toUInt64(c) FROM " +
      latency_rollup_rows(filter,
                          condition + " AND (" + group.expression + ", bucket) IN (" + wanted + ")",
                          group) +
      " FORMAT RowBinary");
  std::vector<Value>* held = nullptr;
  std::string_view held_name;
  for (RowBinaryReader row(value_rows); !row.done();) {
    const std::string_view name = row.text();
    if (!held || name != held_name) {
      held = &values[std::string(name)];
      held_name = name;
    }
    const double value = row.number<double>();
    const uint64_t bucket = row.number<uint64_t>();
    held->push_back({value, bucket, row.number<uint64_t>()});
  }
  // Sorted here rather than grouped and ordered by ClickHouse, which took twice as long as the
  // read (a value may come in several rows: the ranks below add their events up all the same).
  for (auto& [name, held_values] : values)
    std::sort(held_values.begin(), held_values.end(), [](const Value& a, const Value& b) {
      return a.bucket != b.bucket ? a.bucket < b.bucket : a.value < b.value;
    });
  std::vector<engine::LatencyRow> result;
  for (Key& key : keys) {
    const std::vector<Value>& held = values[key.name];
    // Under concurrent inserts the two reads may see different events (on a cluster, tables
    // replicate apart): a rank the bucket's values fall short of takes its largest.
    for (Rank& rank : key.ranks) {
      uint64_t reached = rank.below;
      for (const Value& value : held) {
        if (value.bucket != rank.bucket) continue;
        rank.value = value.value;
        reached += value.events;
        if (reached >= rank.rank) break;
      }
    }
    Percentiles p;
    p.count = key.count;
    p.mean = key.sum / static_cast<double>(key.count);
    double* const at_ranks[] = {&p.min, &p.p50, &p.p90, &p.p95, &p.p99, &p.max};
    for (size_t i = 0; i < std::size(at_ranks); ++i) *at_ranks[i] = key.ranks[i].value;
    result.push_back({key.name, p});
  }
  return result;
}

}  // namespace

std::vector<engine::LatencyRow> ShapeQueries::latency(const Filter& filter, LatencyBy by,
                                                      LatencyMeasure measure) const {
  std::vector<engine::LatencyRow> result;
  if (const auto rollup = latency_rollup_condition(filter, by, measure)) {
    result = latency_from_buckets(client_, filter, rollup->sql, LatencyGroup());
  } else {
    const LatencyMeasured& measured = latency_measured(by, measure);
    const std::string values = "(SELECT " + std::string(measured.key) + " AS k, " + measured.value +
                               " AS v, toUInt64(1) AS c FROM events WHERE " + measured.events +
                               " AND " + where(*People::of(client_, people_), filter) + ")";
    for (const auto& row : rows_of(client_.query(percentiles_by("k", values))))
      result.push_back({row.at(0), read_percentiles(row, 1)});
  }
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
  result.duration_ms.assign(range.starts.size(), Percentiles());
  const int64_t end = origin + width * static_cast<int64_t>(range.starts.size());
  // Buckets of whole days read the latency rollups' days, held to the buckets (events ingested
  // since the span was read could fall outside them).
  const auto rollup =
      width % kMsPerDay == 0 ? latency_rollup_condition(filter, of, measure) : std::nullopt;
  if (rollup) {
    Filter bounded = filter;
    bounded.from_ms = std::max(filter.from_ms.value_or(origin), origin);
    bounded.to_ms = std::min(filter.to_ms.value_or(end), end);
    const LatencyGroup buckets{bucket_of("toInt64(toUInt32(day)) * " + std::to_string(kMsPerDay)),
                               true, true, !rollup->names_keys};
    for (engine::LatencyRow& row : latency_from_buckets(client_, bounded, rollup->sql, buckets))
      result.duration_ms.at(std::stoull(row.key)) = row.duration_ms;
  } else {
    Filter bounded = filter;
    bounded.from_ms = range.from_ms;
    bounded.to_ms = range.to_ms;
    const LatencyMeasured& measured = latency_measured(of, measure);
    const std::string values = "(SELECT " + bucket_of("time_ms") + " AS b, " + measured.value +
                               " AS v, toUInt64(1) AS c FROM events WHERE " + measured.events +
                               " AND " + where(*People::of(client_, people_), bounded) + ")";
    for (const auto& row : rows_of(client_.query(percentiles_by("b", values))))
      result.duration_ms.at(std::stoull(row.at(0))) = read_percentiles(row, 1);
  }
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
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  const MetricSource source = metric_source(people, filter, std::nullopt, kMsPerHour);
  std::vector<engine::MetricSet> result(7 * 24);
  for (const auto& row :
       rows_of(client_.query(select_metrics(source, {{slot(source.time), "slot"}}))))
    result.at(std::stoull(row.at(0))) = read_metrics(row, 1);
  return result;
}

engine::Distribution ShapeQueries::session_distribution(const Filter& filter,
                                                        engine::SessionQuantity of,
                                                        size_t bins) const {
  // Each session's quantity over its matching events (events without a session are no
  // session's): from session_days when the filter allows, the sessions of one row there read as
  // they are and only the others added up (session_days.h); else from the events. In
  // session_days: a row's figures `a` and `b`, a one-row session's quantity of them, and whether a
  // session's quantity over several rows is the span from its least `a` to its greatest `b` (a
  // duration) or the sum of its `a`.
  struct QuantitySql {
    const char* of_events;  // over a session's events
    const char* figures;
    const char* of_row;
    bool span;
  };
  static const std::map<engine::SessionQuantity, QuantitySql> kQuantities = {
      {engine::SessionQuantity::kDurationS,
       {"(max(time_ms) - min(time_ms)) / 1000",
        "finalizeAggregation(first_ms) AS a, finalizeAggregation(last_ms) AS b", "(b - a) / 1000",
        true}},
      {engine::SessionQuantity::kPrompts,
       {"toFloat64(countIf(event_name = 'user_prompt'))", "user_prompts AS a, 0 AS b",
        "toFloat64(a)", false}},
      {engine::SessionQuantity::kCostUsd,
       {"sumIf(cost_usd, event_name = 'api_request')", "cost_usd_sum AS a, 0 AS b", "a", false}}};
  const QuantitySql& quantity = kQuantities.at(of);
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  const std::optional<std::string> read = session_days_read(people, filter);
  std::vector<double> values;
  if (!read) {
    // One read of the values, as 8-byte doubles (575,000 sessions are 4.6 MB, which loopback
    // carries in a few milliseconds), and the engine's own statistics over them.
    const std::string answer =
        client_.query("SELECT toFloat64(" + std::string(quantity.of_events) +
                      ") FROM events WHERE session_id != '' AND " + where(people, filter) +
                      " GROUP BY session_id FORMAT RowBinary");
    values.reserve(answer.size() / sizeof(double));
    for (RowBinaryReader reader(answer); !reader.done();) values.push_back(reader.number<double>());
    return engine::distribution_of(values, bins);
  }

  // One pass over the rows: a one-row session's value (its session NULL), or a row of a session
  // that may have several there with its session and figures, which are added up here (a few
  // thousand rows over every day). Grouping those by session id in ClickHouse instead, beside
  // every row's value, read session_days three times: over every day of 52 M events the durations
  // took ClickHouse 90-200 ms that way and 45-55 this way. A session is its number where no other
  // session of the store shares one with such a session: ClickHouse then reads no session ids,
  // 36 bytes a row (over every day of 100 M events, 85-105 ms where the ids took 110-130).
  const bool by_number = people.several_row_session_keys_unique();
  const std::string session = by_number ? "session_key" : "session_id";
  const std::string answer = client_.query(
      "SELECT if(several, " + session + ", NULL), if(several, toFloat64(a), " + quantity.of_row +
      "), if(several, toFloat64(b), NULL) FROM (SELECT session_key " + in_subquery(client_) + " (" +
      sessions_of_several_rows(*read) + ") AS several, " + session + ", " + quantity.figures +
      " FROM " + *read + ") FORMAT RowBinary");
  values.reserve(answer.size() / (2 + sizeof(double)));
  const auto read_rows = [&](auto read_session) {
    RowBinaryReader reader(answer);
    // (a, b) added up per session
    std::unordered_map<typename decltype(read_session(reader))::value_type,
                       std::pair<double, double>>
        several;
    while (!reader.done()) {
      const auto session = read_session(reader);
      const double a = reader.number<double>();
      const std::optional<double> b = reader.nullable_number<double>();
      if (!session) {
        values.push_back(a);
        continue;
      }
      const auto [found, first] = several.try_emplace(*session, a, b.value_or(0));
      if (first) continue;
      auto& [least_or_sum, greatest] = found->second;
      if (!quantity.span)
        least_or_sum += a;
      else {
        least_or_sum = std::min(least_or_sum, a);
        greatest = std::max(greatest, b.value_or(0));
      }
    }
    for (const auto& [session, figures] : several)
      values.push_back(quantity.span ? (figures.second - figures.first) / 1000 : figures.first);
  };
  if (by_number)
    read_rows([](RowBinaryReader& reader) { return reader.nullable_number<uint64_t>(); });
  else
    read_rows([](RowBinaryReader& reader) { return reader.nullable_text(); });
  return engine::distribution_of(values, bins);
}

engine::Facets ShapeQueries::facets(const Filter& filter) const {
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  engine::Facets result;
  // Each facet under every filter but its own, in the order of the engine's facets: the values
  // and events of its dimension over what sum_source reads for the events alone (a rollup's
  // `events` where the filter allows, the totals' where no person is asked about).
  const struct {
    engine::FacetList* list;
    std::vector<std::string> Filter::*own;
    Dimension dimension;
  } facets[] = {{&result.practice, &Filter::practice, Dimension{Dimension::kPractice}},
                {&result.level, &Filter::level, Dimension{Dimension::kLevel}},
                {&result.location, &Filter::location, Dimension{Dimension::kLocation}},
                {&result.model, &Filter::model, Dimension{Dimension::kModel}},
                {&result.email, &Filter::email, Dimension{Dimension::kEmail}},
                {&result.terminal, &Filter::terminal, Dimension{Dimension::kTerminal}},
                {&result.tool, &Filter::tool, Dimension{Dimension::kTool}},
                {&result.status_code, &Filter::status_code, Dimension{Dimension::kStatusCode}},
                {&result.error, &Filter::error, Dimension{Dimension::kError}}};
  constexpr int kRolledUpFacetIndex = 99, kAttributeFacetIndex = 100, kPeopleFacetIndex = 200;
  std::vector<std::string> parts;
  const auto facet_part = [](const std::string& index, const std::string& key,
                             const MetricSource& source) {
    return "SELECT toUInt8(" + index + ") AS facet_, " + key + " AS facet_key_, " + source.key +
           " AS facet_value_, " + std::string(source.events) + " AS facet_events_ FROM " +
           source.filtered_table +
           " GROUP BY facet_key_, facet_value_ HAVING facet_value_ != '' AND facet_events_ > 0";
  };
  // The facets of rolled-up columns that the filter names none of are under the same filter
  // (sum_source_of_dimensions): one read of their rows, each told by its `dimension`.
  std::vector<Dimension> together;
  for (const auto& facet : facets)
    if (rolled_up_column(people, facet.dimension) && (filter.*facet.own).empty())
      together.push_back(facet.dimension);
  std::optional<MetricSource> read_together;
  if (together.size() > 1)
    read_together = sum_source_of_dimensions(people, filter, together, engine::Metric::kEvents);
  if (read_together)
    parts.push_back(facet_part(std::to_string(kRolledUpFacetIndex), "dimension", *read_together));
  else
    together.clear();
  const auto read_together_at = [&](size_t facet) {
    return std::find(together.begin(), together.end(), facets[facet].dimension) != together.end();
  };
  // The facets of people (practice, level, location, email) count events per person and hint,
  // resolved here: one part for the facets whose rows are the same (all four without a filter on
  // people), where a part per facet, each resolving every row's practice, level or location in
  // ClickHouse, cost four times as much (110 of the 150 ms of every facet over all days at 52 M
  // events).
  std::vector<std::string> people_rows;                 // each people part's rows
  std::vector<std::vector<size_t>> people_part_facets;  // the facets each of them serves
  for (size_t i = 0; i < std::size(facets); ++i) {
    if (read_together_at(i)) continue;
    Filter relaxed = filter;
    (relaxed.*facets[i].own).clear();
    const MetricSource source =
        sum_source(people, relaxed, facets[i].dimension, engine::Metric::kEvents);
    if (!is_person(facets[i].dimension)) {
      parts.push_back(facet_part(std::to_string(i), "''", source));
      continue;
    }
    const auto same = std::find(people_rows.begin(), people_rows.end(), source.filtered_table);
    if (same != people_rows.end()) {
      people_part_facets[static_cast<size_t>(same - people_rows.begin())].push_back(i);
      continue;
    }
    people_rows.push_back(source.filtered_table);
    people_part_facets.push_back({i});
    parts.push_back("SELECT toUInt8(" + std::to_string(kPeopleFacetIndex + people_rows.size() - 1) +
                    ") AS facet_, user AS facet_key_, practice_hint AS facet_value_, " +
                    std::string(source.events) + " AS facet_events_ FROM " + source.filtered_table +
                    " GROUP BY user, practice_hint");
  }
  // Custom attributes: the pairs of the events (the engine keeps none with an empty key or value).
  // A filtered key's values under the filter without that key's entry; every other key's under
  // the whole filter. `keys` gives the keys' condition over a column of keys.
  const auto attribute_part = [&](const Filter& under, const auto& keys) {
    if (const std::optional<std::string> conditions = facet_values_conditions(people, under))
      return "SELECT toUInt8(" + std::to_string(kAttributeFacetIndex) +
             ") AS facet_, key AS facet_key_, value AS facet_value_, sum(events) AS "
             "facet_events_ FROM " +
             kFacetValues + " PREWHERE facet = " + quote(kAttributeFacet) + " AND " + keys("key") +
             " AND " + *conditions + " GROUP BY facet_key_, facet_value_";
    return "SELECT toUInt8(" + std::to_string(kAttributeFacetIndex) +
           ") AS facet_, attribute_key_ AS facet_key_, attribute_value_ AS facet_value_, "
           "count() AS facet_events_ FROM events ARRAY JOIN attr_keys AS attribute_key_, "
           "attr_values AS attribute_value_ WHERE " +
           keys("attribute_key_") + " AND attribute_key_ != '' AND attribute_value_ != '' AND " +
           where(people, under) + " GROUP BY attribute_key_, attribute_value_";
  };
  for (size_t i = 0; i < filter.attributes.size(); ++i) {
    const std::string& key = filter.attributes[i].first;
    Filter relaxed = filter;
    relaxed.attributes.erase(relaxed.attributes.begin() + static_cast<std::ptrdiff_t>(i));
    parts.push_back(attribute_part(
        relaxed, [&](const std::string& column) { return column + " = " + quote(key); }));
  }
  parts.push_back(attribute_part(filter, [&](const std::string& column) {
    std::string others = "1";
    for (const auto& [key, values] : filter.attributes)
      others += " AND " + column + " != " + quote(key);
    return others;
  }));
  std::string sql;
  for (const std::string& part : parts) {
    if (!sql.empty()) sql += " UNION ALL ";
    sql += part;
  }

  std::map<std::string, std::map<std::string, uint64_t>> attributes;
  std::vector<std::map<std::string, uint64_t, std::less<>>> people_values(std::size(facets));
  for (const auto& row : rows_of(client_.query(sql))) {
    const size_t facet = std::stoul(row.at(0));
    const uint64_t events = std::stoull(row.at(3));
    if (facet == kAttributeFacetIndex) {
      attributes[row.at(1)][row.at(2)] += events;
    } else if (facet == kRolledUpFacetIndex) {
      for (size_t f = 0; f < std::size(facets); ++f)
        if (read_together_at(f) &&
            rolled_up_column(people, facets[f].dimension)->dimension == row.at(1))
          facets[f].list->push_back({row.at(2), events});
    } else if (facet >= kPeopleFacetIndex) {
      const std::string& user = row.at(1);
      const People::Resolved person = people.resolve(user, row.at(2));
      for (const size_t f : people_part_facets.at(facet - kPeopleFacetIndex)) {
        const std::string_view value = person.value(facets[f].dimension, user);
        if (!value.empty() && events > 0) people_values[f][std::string(value)] += events;
      }
    } else {
      facets[facet].list->push_back({row.at(2), events});
    }
  }
  for (size_t f = 0; f < std::size(facets); ++f)
    for (const auto& [value, events] : people_values[f]) facets[f].list->push_back({value, events});
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
