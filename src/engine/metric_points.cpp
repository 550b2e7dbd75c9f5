#include "engine/metric_points.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace cca::engine {
namespace {

constexpr std::string_view kSelectSeries = R"sql(
SELECT s.id, n.value, ifnull(un.value, ''), s.kind, u.value, ifnull(term.value, ''),
       ifnull(m.value, ''), ifnull(t.value, ''), ifnull(d.value, ''), ifnull(ph.value, ''),
       ifnull(ty.value, ''), ifnull(lang.value, ''), ifnull(res.value, ''), ifnull(att.value, '')
FROM metric_series s
JOIN strings n ON n.id = s.name_id
JOIN strings u ON u.id = s.user_id
LEFT JOIN strings un ON un.id = s.unit_id
LEFT JOIN strings term ON term.id = s.terminal_id
LEFT JOIN strings m ON m.id = s.model_id
LEFT JOIN strings t ON t.id = s.tool_id
LEFT JOIN strings d ON d.id = s.decision_id
LEFT JOIN strings ph ON ph.id = s.practice_hint_id
LEFT JOIN strings ty ON ty.id = s.type_id
LEFT JOIN strings lang ON lang.id = s.language_id
LEFT JOIN strings res ON res.id = s.resource_id
LEFT JOIN strings att ON att.id = s.attributes_id
WHERE s.id > ?1 ORDER BY s.id)sql";

constexpr std::string_view kSelectPoints = R"sql(
SELECT series_id, time_ns, delta FROM metric_points WHERE seq > ?1 AND seq <= ?2 ORDER BY seq)sql";

// Adds the string attributes of a JSON object to `by_key`, replacing those already there.
void string_attributes(std::string_view json_text,
                       std::vector<std::pair<std::string, std::string>>& by_key) {
  if (json_text.empty()) return;
  const nlohmann::json object = nlohmann::json::parse(json_text, nullptr, false);
  if (!object.is_object()) return;
  for (const auto& [key, value] : object.items()) {
    if (!value.is_string()) continue;
    const auto found = std::find_if(by_key.begin(), by_key.end(),
                                    [&](const auto& entry) { return entry.first == key; });
    if (found != by_key.end()) {
      found->second = value.get<std::string>();
    } else {
      by_key.emplace_back(key, value.get<std::string>());
    }
  }
}

}  // namespace

uint32_t MetricSeries::attribute(uint32_t key) const {
  const auto found =
      std::lower_bound(attributes.begin(), attributes.end(), key,
                       [](const auto& entry, uint32_t k) { return entry.first < k; });
  return found != attributes.end() && found->first == key ? found->second : Dictionary::kAbsent;
}

MetricLoader::MetricLoader(const std::string& db_path, Dictionaries& events)
    : db_(db_path, store::Database::Access::kReadEvenIfReadOnly),
      events_(events),
      dictionaries_(std::make_shared<MetricDictionaries>()) {}

std::shared_ptr<const MetricData> MetricLoader::empty() const {
  auto data = std::make_shared<MetricData>();
  data->dictionaries = dictionaries_;
  data->series = std::make_shared<const std::vector<MetricSeries>>();
  return data;
}

int64_t MetricLoader::max_seq() {
  return db_.query_int("SELECT max(seq) FROM metric_points");
}

std::vector<std::pair<int64_t, MetricSeries>> MetricLoader::read_series() {
  std::vector<std::pair<int64_t, MetricSeries>> fresh;
  store::Statement select(db_, kSelectSeries);
  select.bind_int(1, last_series_id_);
  MetricDictionaries& m = *dictionaries_;
  while (select.step()) {
    const auto text = [&](int column) { return select.column_text(column); };
    MetricSeries s;
    s.name = m.name.intern(text(1));
    s.unit = m.unit.intern(text(2));
    s.kind = m.kind.intern(text(3));
    s.user = events_.user.intern(text(4));
    s.terminal = events_.terminal.intern(text(5));
    s.model = events_.model.intern(text(6));
    s.tool = events_.tool.intern(text(7));
    s.decision = events_.decision.intern(text(8));
    s.practice_hint = events_.practice.intern(text(9));
    s.type = m.type.intern(text(10));
    s.language = m.language.intern(text(11));
    std::vector<std::pair<std::string, std::string>> attributes;
    string_attributes(text(12), attributes);
    string_attributes(text(13), attributes);
    for (const auto& [key, value] : attributes)
      s.attributes.emplace_back(m.attribute_key.intern(key), m.attribute_value.intern(value));
    std::sort(s.attributes.begin(), s.attributes.end());
    fresh.emplace_back(select.column_int(0), std::move(s));
  }
  return fresh;
}

std::shared_ptr<const MetricData> MetricLoader::load_after(const MetricData& current) {
  auto next = std::make_shared<MetricData>(current);
  const int64_t series_before = last_series_id_;
  db_.exec("BEGIN");  // the series and the points of one consistent state
  try {
    const int64_t up_to = db_.query_int("SELECT max(seq) FROM metric_points");
    std::vector<std::pair<int64_t, MetricSeries>> fresh = read_series();
    if (!fresh.empty()) {
      auto series = std::make_shared<std::vector<MetricSeries>>(*current.series);
      for (auto& [id, s] : fresh) {
        series_index_[id] = static_cast<uint32_t>(series->size());
        last_series_id_ = id;
        series->push_back(std::move(s));
      }
      next->series = std::move(series);
    }

    auto chunk = std::make_shared<MetricPointChunk>();
    store::Statement select(db_, kSelectPoints);
    select.bind_int(1, current.last_seq);
    select.bind_int(2, up_to);
    while (select.step()) {
      const auto index = series_index_.find(select.column_int(0));
      if (index == series_index_.end()) continue;  // unreachable: a point's series commits with it
      chunk->time_ms.push_back(select.column_int(1) / 1'000'000);
      chunk->series.push_back(index->second);
      chunk->delta.push_back(select.column_is_null(2) ? std::numeric_limits<double>::quiet_NaN()
                                                      : select.column_double(2));
    }
    select.reset();
    db_.exec("COMMIT");
    next->last_seq = std::max(current.last_seq, up_to);
    next->points += chunk->size();
    if (chunk->size() > 0) next->chunks.push_back(std::move(chunk));
  } catch (...) {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    std::erase_if(series_index_, [&](const auto& entry) { return entry.first > series_before; });
    last_series_id_ = series_before;
    throw;
  }
  // Few chunks, amortised copying: each chunk more than twice the size of the next.
  auto& chunks = next->chunks;
  while (chunks.size() >= 2 && chunks[chunks.size() - 2]->size() <= 2 * chunks.back()->size()) {
    auto merged = std::make_shared<MetricPointChunk>(*chunks[chunks.size() - 2]);
    const MetricPointChunk& last = *chunks.back();
    merged->time_ms.insert(merged->time_ms.end(), last.time_ms.begin(), last.time_ms.end());
    merged->series.insert(merged->series.end(), last.series.begin(), last.series.end());
    merged->delta.insert(merged->delta.end(), last.delta.begin(), last.delta.end());
    chunks.pop_back();
    chunks.back() = std::move(merged);
  }
  return next;
}

}  // namespace cca::engine
