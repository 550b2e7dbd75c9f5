// OTLP metrics in the protobuf encoding: the real Claude Code export (metrics.pb) stored as its
// points say, one identity per point in either encoding, and malformed bodies storing nothing.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ingest/ingestor.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "support/test_support.h"

namespace cca::ingest {
namespace {

using nlohmann::json;
using opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// The request as OTLP/JSON, written by protobuf's own JSON printer (enums as numbers, as OTLP
// exporters write them).
std::string as_json(const std::string& protobuf) {
  ExportMetricsServiceRequest request;
  EXPECT_TRUE(request.ParseFromString(protobuf));
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_enums_as_ints = true;
  std::string text;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(request, &text, options).ok());
  return text;
}

class OtlpProtobufMetrics : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto fixture = test::reference_file("claude-code-2.1.328-otlp/metrics.pb");
    if (!fixture) GTEST_SKIP() << "claude-code-2.1.328-otlp/metrics.pb absent";
    body_ = read_file(*fixture);
  }

  test::TempDir dir_;
  std::string db_ = dir_.file("store.db");
  std::string body_;
};

TEST_F(OtlpProtobufMetrics, StoresWhatTheExportCarries) {
  const json request = json::parse(as_json(body_));
  std::map<std::string, double> sums;  // by metric name, of the delta points' values
  size_t points = 0;
  for (const json& rm : request["resourceMetrics"])
    for (const json& sm : rm["scopeMetrics"])
      for (const json& metric : sm["metrics"]) {
        ASSERT_EQ(1, metric["sum"]["aggregationTemporality"]) << "the capture is all delta sums";
        for (const json& dp : metric["sum"]["dataPoints"]) {
          sums[metric["name"]] += dp["asDouble"].get<double>();
          ++points;
        }
      }
  ASSERT_GT(points, 0u);
  const IngestReport report = Ingestor(db_).ingest_otlp_metrics(body_, OtlpEncoding::kProtobuf);
  EXPECT_EQ(points, report.accepted);
  EXPECT_EQ(0u, report.rejected_events);
  for (const auto& [name, sum] : sums)
    EXPECT_DOUBLE_EQ(
        sum, test::sql_double(
                 db_, "SELECT total(delta) FROM metric_points_decoded WHERE name = '" + name + "'"))
        << name;
  EXPECT_EQ(
      "Python",
      test::sql_text(
          db_, "SELECT DISTINCT language FROM metric_points_decoded WHERE language IS NOT NULL"));
}

TEST_F(OtlpProtobufMetrics, APointHasOneIdentityInEitherEncoding) {
  const IngestReport first = Ingestor(db_).ingest_otlp_metrics(as_json(body_), OtlpEncoding::kJson);
  ASSERT_GT(first.accepted, 0u);
  const IngestReport second = Ingestor(db_).ingest_otlp_metrics(body_, OtlpEncoding::kProtobuf);
  EXPECT_EQ(0u, second.accepted);
  EXPECT_EQ(first.accepted, second.duplicates);
  EXPECT_EQ(test::sql_int(db_, "SELECT count(*) FROM metric_series"),
            test::sql_int(db_, "SELECT count(DISTINCT series_id) FROM metric_points"));
}

TEST_F(OtlpProtobufMetrics, MalformedBodiesStoreNothing) {
  for (const std::string& bad :
       {std::string("\xff\xff\xff garbage", 12), body_.substr(0, body_.size() / 2)}) {
    EXPECT_THROW(Ingestor(db_).ingest_otlp_metrics(bad, OtlpEncoding::kProtobuf), IngestError);
    EXPECT_EQ(0, test::sql_int(db_, "SELECT count(*) FROM metric_points"));
  }
}

}  // namespace
}  // namespace cca::ingest
