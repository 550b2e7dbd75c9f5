#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/hash128.h"
#include "store/database.h"
#include "store/metric_delta.h"
#include "store/string_dictionary.h"

namespace cca::store {

// One metric data point as the store keeps it: its series (what identifies it apart from its
// times) and its values. Views must stay valid for the call that takes it.
struct MetricPointRow {
  Hash128 series_key;  // of the resource attributes, the metric name and the point attributes
  std::string_view name, unit, kind;
  bool monotonic = false;
  int temporality = 0;  // OTLP: 1 delta, 2 cumulative, 0 unspecified
  int64_t start_ns = 0, time_ns = 0;
  std::optional<double> value;
  std::optional<double> count;
  std::string_view user, session, terminal, model, type, language, tool, decision, source,
      query_source, practice_hint;
  std::string_view resource_json, attributes_json;
};

// Appends metric data points, counting each once and turning cumulative values into deltas
// (docs/schema.md, "metric_points"). Use inside a write transaction; the dictionary must have
// caught up with the store in that transaction.
class MetricWriter {
 public:
  MetricWriter(Database& db, StringDictionary& strings);

  // False when the point (same series, start and time) is already stored.
  bool insert(const MetricPointRow& point, int64_t ingest_id);

 private:
  struct SeriesState {
    int64_t id = 0;
    CumulativeState last;
  };
  SeriesState series_of(const MetricPointRow& point);
  int64_t id_or_null(std::string_view value);

  Database& db_;
  StringDictionary& strings_;
  Statement find_series_;
  Statement insert_series_;
  Statement insert_point_;
  Statement update_series_;
};

}  // namespace cca::store
