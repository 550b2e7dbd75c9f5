#include "clickhouse/metric_writer.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "clickhouse/event_sql.h"
#include "clickhouse/sql_text.h"
#include "common/time_util.h"
#include "store/metric_delta.h"

namespace cca::clickhouse {
namespace {

using ingest::MetricPoint;

// A series as metric_series keeps it, and whether this write changes it.
struct Series {
  uint64_t version = 0;  // 0: not stored yet
  std::string kind, unit;
  store::CumulativeState last;
  bool changed = false;

  void advance(const MetricPoint& p) {
    last = {p.start_ns, p.time_ns, p.value, count_of(p)};
    changed = true;
  }
  static std::optional<double> count_of(const MetricPoint& p) {
    if (!p.count) return std::nullopt;
    return static_cast<double>(*p.count);
  }
};

struct PointKey {
  Hash128 series;
  int64_t start_ns = 0, time_ns = 0;
  bool operator==(const PointKey&) const = default;
};
struct PointKeyHasher {
  size_t operator()(const PointKey& k) const noexcept {
    return Hash128Hasher()(k.series) ^ (static_cast<size_t>(k.time_ns) * 0x9E3779B97F4A7C15ull) ^
           static_cast<size_t>(k.start_ns);
  }
};

// What a point's JSON texts and series are, computed once per write.
struct Identified {
  std::string resource, attributes;
  Hash128 series;
};

// %.17g: the exact double, as text.
std::string number_text(double value) {
  char buffer[32];
  const int n = std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return std::string(buffer, n);
}

std::string optional_text(std::optional<double> value) {
  return value ? number_text(*value) : std::string();
}

std::optional<double> optional_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return std::strtod(text.c_str(), nullptr);
}

void field(std::string& out, std::string_view text) {
  append_tsv_field(out, text);
  out += '\t';
}

// A Nullable(Float64) field.
void nullable(std::string& out, std::optional<double> value) {
  out += value ? number_text(*value) : "\\N";
}

// The string attributes of the point over its resource's (the point's win), as the engine's
// attr.<key> filters and groupings see them: a value that is not a string does not replace one,
// and an empty value is no value.
void string_attributes(const MetricPoint& p, std::vector<std::string_view>& keys,
                       std::vector<std::string_view>& values) {
  std::map<std::string_view, std::string_view> by_key;
  for (const nlohmann::json* object : {&p.resource, &p.attributes})
    for (const auto& [key, value] : object->items())
      if (value.is_string()) by_key[key] = value.get_ref<const std::string&>();
  keys.clear();
  values.clear();
  for (const auto& [key, value] : by_key) {
    if (value.empty()) continue;
    keys.push_back(key);
    values.push_back(value);
  }
}

// One metric_points row, in the table's column order.
void append_point(std::string& out, const MetricPoint& p, const Identified& id, const Series& s,
                  const store::PointDelta& d, uint64_t ingest_id) {
  const int64_t time_ms = p.time_ns / 1'000'000;  // as the engine places a point
  out += format_date(time_ms);
  for (const int64_t number : {time_ms, p.time_ns, p.start_ns}) {
    out += '\t';
    out += std::to_string(number);
  }
  for (const uint64_t number : {id.series.hi, id.series.lo, ingest_id}) {
    out += '\t';
    out += std::to_string(number);
  }
  out += '\t';
  for (const std::string_view text :
       {std::string_view(p.name), std::string_view(s.kind), std::string_view(s.unit)})
    field(out, text);
  out += p.monotonic ? "1\t" : "0\t";
  out += std::to_string(p.temporality);
  out += '\t';
  for (const std::string* text :
       {&p.user, &p.session, &p.terminal, &p.model, &p.type, &p.language, &p.tool, &p.decision,
        &p.source, &p.query_source, &p.practice_hint})
    field(out, *text);
  thread_local std::vector<std::string_view> keys, values;
  string_attributes(p, keys, values);
  append_tsv_array(out, keys);
  out += '\t';
  append_tsv_array(out, values);
  out += '\t';
  for (const std::optional<double> number :
       {p.value, Series::count_of(p), d.delta, d.delta_count}) {
    nullable(out, number);
    out += '\t';
  }
  field(out, id.resource);
  append_tsv_field(out, id.attributes);
  out += '\n';
}

// One metric_series row, in the table's column order.
void append_series(std::string& out, const Hash128& key, std::string_view name, const Series& s) {
  out += std::to_string(key.hi) + '\t' + std::to_string(key.lo) + '\t' +
         std::to_string(s.version + 1) + '\t';
  for (const std::string_view text : {name, std::string_view(s.kind), std::string_view(s.unit)})
    field(out, text);
  out += s.last.time_ns ? "1\t" : "0\t";
  out += std::to_string(s.last.start_ns.value_or(0)) + '\t' +
         std::to_string(s.last.time_ns.value_or(0)) + '\t';
  field(out, optional_text(s.last.value));
  append_tsv_field(out, optional_text(s.last.count));
  out += '\n';
}

}  // namespace

MetricWriter::MetricWriter(const ClickHouseClient& client)
    : client_(client), stored_(up_to_date_replicas(client.url()), client.timeout()) {}

FlushCounts MetricWriter::write(const std::vector<MetricPoint>& points, uint64_t ingest_id) const {
  FlushCounts counts;
  if (points.empty()) return counts;
  std::vector<Identified> identified;
  identified.reserve(points.size());
  for (const MetricPoint& p : points) {
    Identified id{p.resource.dump(), p.attributes.dump(), {}};
    id.series = ingest::series_key(id.resource, p.name, id.attributes);
    identified.push_back(std::move(id));
  }

  // The stored series of these points, at their latest version.
  std::unordered_map<Hash128, Series, Hash128Hasher> series;
  std::unordered_map<Hash128, std::string_view, Hash128Hasher> names;
  ExternalTable series_keys{"batch", "hi UInt64, lo UInt64", {}};
  for (size_t i = 0; i < points.size(); ++i)
    if (names.emplace(identified[i].series, points[i].name).second)
      series_keys.tab_separated_rows += std::to_string(identified[i].series.hi) + '\t' +
                                        std::to_string(identified[i].series.lo) + '\n';
  for (const auto& row : rows_of(stored_.query(
           "SELECT key_hi, key_lo, max(version), argMax(kind, version), argMax(unit, version), "
           "argMax(has_last, version), argMax(last_start_ns, version), "
           "argMax(last_time_ns, version), argMax(last_value, version), "
           "argMax(last_count, version) FROM metric_series "
           "WHERE (key_hi, key_lo) IN (SELECT hi, lo FROM batch) GROUP BY key_hi, key_lo",
           series_keys))) {
    Series& s = series[{std::stoull(row.at(0)), std::stoull(row.at(1))}];
    s.version = std::stoull(row.at(2));
    s.kind = row.at(3);
    s.unit = row.at(4);
    if (row.at(5) == "1") {
      s.last.start_ns = std::stoll(row.at(6));
      s.last.time_ns = std::stoll(row.at(7));
    }
    s.last.value = optional_number(row.at(8));
    s.last.count = optional_number(row.at(9));
  }

  // Which of the points are stored, by identity, with their temporality; looked up on their days
  // and people (the table's partitions and key). The days and people go as external data too: as
  // lists in the query's text, a write of many exports made a URL longer than ClickHouse takes.
  ExternalTable point_keys{
      "batch", "hi UInt64, lo UInt64, start_ns Int64, time_ns Int64, day Date, user String", {}};
  for (size_t i = 0; i < points.size(); ++i) {
    const MetricPoint& p = points[i];
    std::string& rows = point_keys.tab_separated_rows;
    rows += std::to_string(identified[i].series.hi) + '\t' +
            std::to_string(identified[i].series.lo) + '\t' + std::to_string(p.start_ns) + '\t' +
            std::to_string(p.time_ns) + '\t' + format_date(p.time_ns / 1'000'000) + '\t';
    append_tsv_field(rows, p.user);
    rows += '\n';
  }
  std::unordered_map<PointKey, int, PointKeyHasher> stored;
  for (const auto& row : rows_of(stored_.query(
           "SELECT series_hi, series_lo, start_ns, time_ns, temporality FROM metric_points WHERE "
           "day IN (SELECT day FROM batch) AND user IN (SELECT user FROM batch) AND "
           "(series_hi, series_lo, start_ns, time_ns) IN "
           "(SELECT hi, lo, start_ns, time_ns FROM batch)",
           point_keys)))
    stored.emplace(PointKey{{std::stoull(row.at(0)), std::stoull(row.at(1))},
                            std::stoll(row.at(2)),
                            std::stoll(row.at(3))},
                   std::stoi(row.at(4)));

  // The points in their order, each compared with its series as the points before it left it.
  std::unordered_set<PointKey, PointKeyHasher> written;
  std::string rows;
  for (size_t i = 0; i < points.size(); ++i) {
    const MetricPoint& p = points[i];
    const auto [entry, fresh] = series.try_emplace(identified[i].series);
    Series& s = entry->second;
    if (fresh) {  // a new series: its first point says its kind and unit
      s.kind = ingest::metric_kind_name(p.kind);
      s.unit = p.unit;
      s.changed = true;
    }
    const store::PointDelta d = store::point_delta(s.last, p.temporality, p.monotonic, p.start_ns,
                                                   p.time_ns, p.value, Series::count_of(p));
    const PointKey key{identified[i].series, p.start_ns, p.time_ns};
    const auto found = stored.find(key);
    if (found != stored.end() || !written.insert(key).second) {
      ++counts.duplicates;
      // Stored, cumulative and newer than the state: the state its first write set was lost.
      if (found != stored.end() && found->second == ingest::kTemporalityCumulative && d.newest)
        s.advance(p);
      continue;
    }
    append_point(rows, p, identified[i], s, d, ingest_id);
    ++counts.inserted;
    if (d.newest) s.advance(p);
  }
  if (!rows.empty()) client_.insert("INSERT INTO metric_points FORMAT TabSeparated", rows);

  std::string series_rows;
  for (const auto& [key, s] : series)
    if (s.changed) append_series(series_rows, key, names.at(key), s);
  if (!series_rows.empty())
    client_.insert("INSERT INTO metric_series FORMAT TabSeparated", series_rows);
  return counts;
}

}  // namespace cca::clickhouse
