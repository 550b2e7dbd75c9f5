#pragma once

#include <string_view>

#include "ingest/metric_point.h"

namespace cca::ingest {

// Walks a protobuf ExportMetricsServiceRequest (OTLP/HTTP application/x-protobuf and OTLP/gRPC)
// into the same MetricBatch as the JSON path (OtlpMetricsParser): attribute values become the
// JSON the JSON path reads, so that a point has one series and identity in either encoding.
class OtlpProtobufMetrics {
 public:
  // Throws IngestError, filling nothing, when the body is not an ExportMetricsServiceRequest.
  // Otherwise appends every data point to `out`, those that break a rule to out.rejected.
  void parse(std::string_view body, MetricBatch& out);
};

}  // namespace cca::ingest
