#include "server/metric_json.h"

namespace cca::server {

void write_metrics(JsonWriter& json, const engine::MetricSet& metrics) {
  for (const engine::Metric metric : engine::all_metrics()) {
    json.key(engine::metric_name(metric));
    const std::optional<double> value = engine::metric_value(metrics, metric);
    if (!value) {
      json.null();
    } else if (engine::metric_is_count(metric)) {
      json.value(static_cast<uint64_t>(*value));
    } else {
      json.value(*value);
    }
  }
}

}  // namespace cca::server
