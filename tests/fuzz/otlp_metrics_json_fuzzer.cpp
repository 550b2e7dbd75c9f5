// Any bytes as an OTLP/HTTP JSON ExportMetricsServiceRequest. Only IngestError may escape, and
// then nothing was filled; otherwise every data point is accounted for once, accepted or rejected
// (counted independently with nlohmann::json), and what was accepted obeys the ingest rules.
#include <cmath>
#include <cstdint>
#include <set>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "fuzz/metric_checks.h"
#include "fuzz/otlp_json_shape.h"
#include "ingest/ingestor.h"
#include "ingest/otlp_metrics_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  static cca::ingest::OtlpMetricsParser parser;
  cca::ingest::MetricBatch batch;
  try {
    parser.parse(body, batch);
  } catch (const cca::ingest::IngestError&) {
    FUZZ_REQUIRE(batch.points.empty() && batch.rejected.empty());
    return 0;
  }
  const size_t points = cca::fuzz::check_metric_batch(batch);
  if (const auto request = cca::fuzz::parse_without_repeated_keys(body)) {
    const auto expected = cca::fuzz::count_data_points(*request);
    FUZZ_REQUIRE(expected.has_value());  // the parser took a body whose nesting is wrong
    FUZZ_REQUIRE(points == *expected);
  }
  return 0;
}
