#pragma once

#include <simdjson.h>

#include <string_view>

#include "ingest/metric_point.h"

namespace cca::ingest {

// Parses an OTLP/HTTP JSON ExportMetricsServiceRequest (resourceMetrics / scopeMetrics /
// metrics / sum, gauge, histogram, exponentialHistogram or summary / dataPoints).
class OtlpMetricsParser {
 public:
  // Validates the whole request first, so that a malformed one stores nothing: throws
  // IngestError saying where it is malformed. Then appends every data point to `out`, those
  // that break a rule to out.rejected.
  void parse(std::string_view body, MetricBatch& out);

 private:
  simdjson::dom::parser parser_;
};

}  // namespace cca::ingest
