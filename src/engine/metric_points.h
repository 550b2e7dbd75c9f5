#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/dictionaries.h"
#include "engine/dictionary.h"
#include "store/database.h"

namespace cca::engine {

// Strings only metric points carry. User, terminal, model, tool, decision and practice share the
// event dictionaries, so that one RowFilter serves events and points alike.
struct MetricDictionaries {
  Dictionary name, unit, kind, type, language, attribute_key, attribute_value;
};

// A metric series: what its points measure, as codes.
struct MetricSeries {
  uint32_t name = 0, unit = 0, kind = 0, type = 0, language = 0;  // MetricDictionaries codes
  uint32_t user = 0, terminal = 0, model = 0, tool = 0, decision = 0, practice_hint = 0;
  // Every string attribute of the resource and the point (the point's win), as
  // (attribute_key, attribute_value) codes sorted by key: the attr.<key> dimensions.
  std::vector<std::pair<uint32_t, uint32_t>> attributes;

  uint32_t attribute(uint32_t key) const;  // the value code, 0 when absent
};

// Points loaded by one refresh, in store order.
struct MetricPointChunk {
  std::vector<int64_t> time_ms;  // timeUnixNano in ms: the end of the point's interval
  std::vector<uint32_t> series;  // index into MetricData::series
  std::vector<double> delta;     // what the point adds (NaN: no value, e.g. a histogram's sum)
  size_t size() const { return time_ms.size(); }
};

// The metric points of one snapshot. Immutable once published; the next refresh shares the
// chunks and copies the series table only when series were added.
struct MetricData {
  int64_t last_seq = 0;  // metric_points rows up to this seq are loaded
  uint64_t points = 0;
  std::shared_ptr<const MetricDictionaries> dictionaries;
  std::shared_ptr<const std::vector<MetricSeries>> series;
  std::vector<std::shared_ptr<const MetricPointChunk>> chunks;
};

// Loads metric_series and metric_points for the engine. Not thread-safe: the engine's refresh
// owns it, and it interns into the dictionaries as their one writer.
class MetricLoader {
 public:
  MetricLoader(const std::string& db_path, Dictionaries& events);

  std::shared_ptr<const MetricData> empty() const;
  int64_t max_seq();
  // The data with the rows committed since `current` was loaded.
  std::shared_ptr<const MetricData> load_after(const MetricData& current);

 private:
  // The series added since the last call, with their store ids.
  std::vector<std::pair<int64_t, MetricSeries>> read_series();

  store::Database db_;
  Dictionaries& events_;
  std::shared_ptr<MetricDictionaries> dictionaries_;
  std::unordered_map<int64_t, uint32_t> series_index_;  // store id -> index
  int64_t last_series_id_ = 0;
};

}  // namespace cca::engine
