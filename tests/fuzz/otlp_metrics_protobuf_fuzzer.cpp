// Any bytes as a protobuf ExportMetricsServiceRequest. Only IngestError may escape, and then
// nothing was filled. A request the parser takes parses with the generated message too, every data
// point is accounted for once and what was accepted obeys the ingest rules; written out as
// OTLP/JSON by protobuf's own JSON printer, the JSON path (OtlpMetricsParser) takes it and finds
// the same points.
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "fuzz/metric_checks.h"
#include "ingest/ingestor.h"
#include "ingest/otlp_metrics_parser.h"
#include "ingest/otlp_protobuf_metrics.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"

using opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
using opentelemetry::proto::metrics::v1::Metric;

namespace {

size_t data_points(const Metric& metric) {
  switch (metric.data_case()) {
    case Metric::kGauge:
      return metric.gauge().data_points_size();
    case Metric::kSum:
      return metric.sum().data_points_size();
    case Metric::kHistogram:
      return metric.histogram().data_points_size();
    case Metric::kExponentialHistogram:
      return metric.exponential_histogram().data_points_size();
    case Metric::kSummary:
      return metric.summary().data_points_size();
    case Metric::DATA_NOT_SET:
      return 0;
  }
  return 0;
}

}  // namespace

// Invalid UTF-8 in a string field makes protobuf log a line per input: silenced, the parse
// result says it all.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  static cca::ingest::OtlpProtobufMetrics parser;
  static cca::ingest::OtlpMetricsParser json_parser;
  cca::ingest::MetricBatch batch;
  try {
    parser.parse(body, batch);
  } catch (const cca::ingest::IngestError&) {
    FUZZ_REQUIRE(batch.points.empty() && batch.rejected.empty());
    return 0;
  }
  const size_t total = cca::fuzz::check_metric_batch(batch);

  ExportMetricsServiceRequest request;
  FUZZ_REQUIRE(request.ParseFromArray(data, static_cast<int>(size)));
  size_t expected = 0;
  for (const auto& resource_metrics : request.resource_metrics())
    for (const auto& scope_metrics : resource_metrics.scope_metrics())
      for (const Metric& metric : scope_metrics.metrics()) expected += data_points(metric);
  FUZZ_REQUIRE(total == expected);

  // OTLP/JSON writes enums as integers (the OTLP specification departs from proto3 JSON there);
  // empty strings and zeros are written too, as OTLP exporters do (the JSON path requires a
  // KeyValue's key even when it is empty).
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_enums_as_ints = true;
  options.always_print_primitive_fields = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(request, &json, options).ok()) return 0;
  cca::ingest::MetricBatch from_json;
  try {
    json_parser.parse(json, from_json);
  } catch (const cca::ingest::IngestError& error) {
    std::fprintf(stderr, "JSON path refused %s: %s\n", json.c_str(), error.what());
    FUZZ_REQUIRE(!"the JSON path refuses a request the protobuf path took");
  }
  FUZZ_REQUIRE(from_json.points.size() == batch.points.size());
  FUZZ_REQUIRE(from_json.rejected.size() == batch.rejected.size());
  for (size_t i = 0; i < batch.points.size(); ++i) {
    FUZZ_REQUIRE(from_json.points[i].number == batch.points[i].number);
    FUZZ_REQUIRE(from_json.points[i].user == batch.points[i].user);
    FUZZ_REQUIRE(from_json.points[i].attributes == batch.points[i].attributes);
  }
  return 0;
}
