#pragma once

#include <bitset>

#include "engine/metric_set.h"
#include "server/json_writer.h"

namespace cca::server {

// The fields of a metric set an answer carries, indexed by engine::Metric: every one unless the
// request's `metrics` parameter names some.
using MetricFields = std::bitset<engine::kMetricCount>;

inline MetricFields all_metric_fields() {
  return MetricFields().set();
}

// Writes the chosen fields of the metric set as members of the object being written, in the order
// of engine::all_metrics().
void write_metrics(JsonWriter& json, const engine::MetricSet& metrics, const MetricFields& fields);

}  // namespace cca::server
