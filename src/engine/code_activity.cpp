#include "engine/code_activity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "engine/query_error.h"

namespace cca::engine {
namespace {

enum class CodeMetric : uint8_t {
  kNone,
  kLinesOfCode,
  kCommits,
  kPullRequests,
  kActiveTime,
  kSessions,
  kEditDecisions
};

struct NamedMetric {
  std::string_view name;
  CodeMetric metric;
};
constexpr NamedMetric kNamedMetrics[] = {
    {code_metric::kLinesOfCode, CodeMetric::kLinesOfCode},
    {code_metric::kCommits, CodeMetric::kCommits},
    {code_metric::kPullRequests, CodeMetric::kPullRequests},
    {code_metric::kActiveTime, CodeMetric::kActiveTime},
    {code_metric::kSessions, CodeMetric::kSessions},
    {code_metric::kEditDecisions, CodeMetric::kEditDecisions},
};

// What each series counts towards, decided once per query rather than per point.
struct SeriesRole {
  CodeMetric metric = CodeMetric::kNone;
  bool added = false, removed = false, accepted = false;
  bool accepted_by_filter = false;
};

void add(CodeActivity& a, const SeriesRole& role, double delta) {
  switch (role.metric) {
    case CodeMetric::kLinesOfCode:
      if (role.added) a.lines_added += delta;
      if (role.removed) a.lines_removed += delta;
      break;
    case CodeMetric::kCommits:
      a.commits += delta;
      break;
    case CodeMetric::kPullRequests:
      a.pull_requests += delta;
      break;
    case CodeMetric::kActiveTime:
      a.active_time_s += delta;
      break;
    case CodeMetric::kSessions:
      a.sessions_started += delta;
      break;
    case CodeMetric::kEditDecisions:
      a.edit_decisions += delta;
      if (role.accepted) a.edit_accepts += delta;
      break;
    case CodeMetric::kNone:
      break;
  }
}

// Whether the series' own attributes satisfy every attr.<key> filter: a series lacking the key, or
// carrying another value, does not match.
bool series_matches_attributes(const MetricSeries& s, const MetricDictionaries& m,
                               const Filter& filter) {
  for (const auto& [key, values] : filter.attributes) {
    const std::optional<uint32_t> key_code = m.attribute_key.find(key);
    if (!key_code) return false;
    const uint32_t value = s.attribute(*key_code);
    if (value == 0) return false;
    const std::string_view text = m.attribute_value.value(value);
    if (std::find(values.begin(), values.end(), text) == values.end()) return false;
  }
  return true;
}

std::vector<SeriesRole> series_roles(const Snapshot& snapshot, const RowFilter& rows,
                                     const Filter& filter) {
  const MetricData& data = *snapshot.metrics;
  const MetricDictionaries& m = *data.dictionaries;
  const auto code = [](const Dictionary& d, std::string_view value) {
    return d.find(value).value_or(std::numeric_limits<uint32_t>::max());
  };
  CodeMetric by_name_code[std::size(kNamedMetrics)];
  uint32_t name_codes[std::size(kNamedMetrics)];
  for (size_t i = 0; i < std::size(kNamedMetrics); ++i) {
    name_codes[i] = code(m.name, kNamedMetrics[i].name);
    by_name_code[i] = kNamedMetrics[i].metric;
  }
  const uint32_t added = code(m.type, code_metric::kAdded),
                 removed = code(m.type, code_metric::kRemoved);
  std::vector<SeriesRole> roles(data.series->size());
  for (size_t i = 0; i < roles.size(); ++i) {
    const MetricSeries& s = (*data.series)[i];
    SeriesRole& role = roles[i];
    for (size_t n = 0; n < std::size(kNamedMetrics); ++n)
      if (s.name == name_codes[n]) role.metric = by_name_code[n];
    role.added = s.type == added;
    role.removed = s.type == removed;
    role.accepted = s.decision == snapshot.dict().accept_decision;
    role.accepted_by_filter =
        role.metric != CodeMetric::kNone && s.user < snapshot.user_codes() &&
        rows.accepts_series(s.user, s.practice_hint, s.terminal, s.model, s.tool) &&
        series_matches_attributes(s, m, filter);
  }
  return roles;
}

// Calls each(role, series index, delta, time) for every matching point of a code-activity series.
template <class Each>
void scan_points(const Snapshot& snapshot, const Filter& filter, Each&& each) {
  const RowFilter rows(snapshot, filter);
  const std::vector<SeriesRole> roles = series_roles(snapshot, rows, filter);
  for (const auto& chunk : snapshot.metrics->chunks) {
    for (size_t i = 0; i < chunk->size(); ++i) {
      const uint32_t series = chunk->series[i];
      const int64_t time = chunk->time_ms[i];
      if (!roles[series].accepted_by_filter || time < rows.from_ms() || time >= rows.to_ms() ||
          std::isnan(chunk->delta[i]))
        continue;
      each(roles[series], series, chunk->delta[i], time);
    }
  }
}

}  // namespace

std::optional<double> CodeActivity::edit_accept_rate() const {
  if (edit_decisions <= 0) return std::nullopt;
  return edit_accepts / edit_decisions;
}

CodeActivity code_activity(const Snapshot& snapshot, const Filter& filter) {
  CodeActivity total;
  scan_points(snapshot, filter, [&](const SeriesRole& role, uint32_t, double delta, int64_t) {
    add(total, role, delta);
  });
  return total;
}

CodeTimeline code_timeline(const Snapshot& snapshot, const Filter& filter, Bucket bucket) {
  std::optional<int64_t> first, last;
  for (const auto& chunk : snapshot.metrics->chunks)
    for (const int64_t time : chunk->time_ms) {
      first = std::min(first.value_or(time), time);
      last = std::max(last.value_or(time), time);
    }
  CodeTimeline result;
  const std::optional<int64_t> start = filter.from_ms ? filter.from_ms : first;
  const std::optional<int64_t> end =
      filter.to_ms ? filter.to_ms : (last ? std::optional<int64_t>(*last + 1) : std::nullopt);
  if (!start || !end || *end <= *start) return result;
  const int64_t origin = bucket_start(bucket, *start);
  const int64_t width = bucket_width_ms(bucket);
  const int64_t buckets = (bucket_start(bucket, *end - 1) - origin) / width + 1;
  if (buckets > static_cast<int64_t>(kMaxBuckets))
    throw QueryError("the range spans " + std::to_string(buckets) + " " +
                     std::string(bucket_name(bucket)) + " buckets; at most " +
                     std::to_string(kMaxBuckets) + " fit in one answer: choose a wider bucket");
  for (int64_t i = 0; i < buckets; ++i) result.starts.push_back(origin + i * width);
  result.points.resize(buckets);
  Filter bounded = filter;
  bounded.from_ms = *start;
  bounded.to_ms = *end;
  scan_points(snapshot, bounded, [&](const SeriesRole& role, uint32_t, double delta, int64_t time) {
    add(result.points[(bucket_start(bucket, time) - origin) / width], role, delta);
  });
  return result;
}

std::optional<CodeGrouping> parse_code_grouping(std::string_view name) {
  using By = CodeGrouping::By;
  constexpr std::string_view kAttributePrefix = "attr.";
  if (name.substr(0, kAttributePrefix.size()) == kAttributePrefix &&
      name.size() > kAttributePrefix.size())
    return CodeGrouping{By::kAttribute, std::string(name.substr(kAttributePrefix.size()))};
  constexpr std::pair<std::string_view, By> kNames[] = {{"language", By::kLanguage},
                                                        {"model", By::kModel},
                                                        {"tool", By::kTool},
                                                        {"email", By::kEmail},
                                                        {"practice", By::kPractice}};
  for (const auto& [text, by] : kNames)
    if (name == text) return CodeGrouping{by, {}};
  return std::nullopt;
}

std::vector<CodeRow> code_breakdown(const Snapshot& snapshot, const Filter& filter,
                                    const CodeGrouping& by) {
  using By = CodeGrouping::By;
  const MetricData& data = *snapshot.metrics;
  const Dictionaries& d = snapshot.dict();
  const std::optional<uint32_t> attribute_key =
      by.by == By::kAttribute ? data.dictionaries->attribute_key.find(by.attribute) : std::nullopt;
  if (by.by == By::kAttribute && !attribute_key) return {};
  // The group of a series as (dictionary, code); code 0 means the series has no value.
  const auto group_of = [&](const MetricSeries& s) -> std::pair<const Dictionary*, uint32_t> {
    switch (by.by) {
      case By::kLanguage:
        return {&data.dictionaries->language, s.language};
      case By::kModel:
        return {&d.model, s.model};
      case By::kTool:
        return {&d.tool, s.tool};
      case By::kEmail:
        return {&d.user, s.user};
      case By::kPractice:
        return {&d.practice, snapshot.practice_of(s.user, s.practice_hint)};
      case By::kAttribute:
        return {&data.dictionaries->attribute_value, s.attribute(*attribute_key)};
    }
    return {nullptr, 0};
  };

  const Dictionary* dictionary = nullptr;
  std::map<uint32_t, CodeActivity> groups;
  scan_points(snapshot, filter,
              [&](const SeriesRole& role, uint32_t series, double delta, int64_t) {
                const auto [dict, code] = group_of((*data.series)[series]);
                if (code == Dictionary::kAbsent) return;
                dictionary = dict;
                add(groups[code], role, delta);
              });
  std::vector<CodeRow> rows;
  for (const auto& [code, activity] : groups)
    rows.push_back({std::string(dictionary->value(code)), activity});
  std::sort(rows.begin(), rows.end(),
            [](const CodeRow& a, const CodeRow& b) { return a.key < b.key; });
  return rows;
}

std::vector<MetricNameRow> metric_names(const Snapshot& snapshot) {
  const MetricData& data = *snapshot.metrics;
  const MetricDictionaries& m = *data.dictionaries;
  std::vector<uint64_t> points(data.series->size(), 0);
  for (const auto& chunk : data.chunks)
    for (const uint32_t series : chunk->series) ++points[series];
  std::map<std::tuple<std::string_view, std::string_view, std::string_view>, MetricNameRow> rows;
  for (size_t i = 0; i < data.series->size(); ++i) {
    const MetricSeries& s = (*data.series)[i];
    const auto key =
        std::make_tuple(m.name.value(s.name), m.kind.value(s.kind), m.unit.value(s.unit));
    MetricNameRow& row = rows[key];
    row.name = std::get<0>(key);
    row.kind = std::get<1>(key);
    row.unit = std::get<2>(key);
    ++row.series;
    row.points += points[i];
  }
  std::vector<MetricNameRow> result;
  for (auto& [key, row] : rows) result.push_back(std::move(row));
  return result;
}

}  // namespace cca::engine
