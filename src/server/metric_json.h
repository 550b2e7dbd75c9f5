#pragma once

#include "engine/metric_set.h"
#include "server/json_writer.h"

namespace cca::server {

// Writes every field of the metric set as members of the object being written, in the order of
// engine::all_metrics().
void write_metrics(JsonWriter& json, const engine::MetricSet& metrics);

}  // namespace cca::server
