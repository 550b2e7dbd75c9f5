// OTLP/gRPC LogsService/Export and MetricsService/Export: Claude Code's requests plain and
// gzip-compressed, redelivery, the ingest token, malformed and oversized requests, partial success,
// and the shared in-flight bound.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "engine/otlp_metrics_fixture.h"
#include "engine/temp_store.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "server/running_server.h"
#include "server/tls_files.h"
#include "store/token_store.h"
#include "support/test_support.h"

namespace cca::server {
namespace {

using nlohmann::json;
using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using opentelemetry::proto::collector::logs::v1::ExportLogsServiceResponse;
using opentelemetry::proto::collector::logs::v1::LogsService;

constexpr const char* kFixtures = "claude-code-2.1.328-otlp";
constexpr const char* kExportMethod = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
constexpr const char* kMetricsExportMethod =
    "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

ServeOptions grpc_options(const std::string& db_path) {
  ServeOptions options = testing::test_options(db_path);
  options.otlp_grpc_port = -1;  // a free port
  return options;
}

std::shared_ptr<grpc::Channel> channel_to(testing::RunningServer& server) {
  return grpc::CreateChannel("127.0.0.1:" + std::to_string(server.server().otlp_grpc_port()),
                             grpc::InsecureChannelCredentials());
}

// Records in the request, counted without the server's code.
int64_t records_in(const ExportLogsServiceRequest& request) {
  int64_t records = 0;
  for (const auto& resource_logs : request.resource_logs())
    for (const auto& scope_logs : resource_logs.scope_logs())
      records += scope_logs.log_records_size();
  return records;
}

int64_t stored_events(testing::RunningServer& server, const std::string& token = "") {
  server.wait_until_visible();
  auto client = server.client();
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  const auto response = client->Get("/api/v1/summary", headers);
  return response ? json::parse(response->body)["events"].get<int64_t>() : -1;
}

// Sends raw bytes as the request, as a client with a broken encoder would.
grpc::Status export_bytes(const std::shared_ptr<grpc::Channel>& channel, const std::string& bytes,
                          const char* method = kExportMethod) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  grpc::Slice slice(bytes);
  const grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status status) { done.set_value(std::move(status)); });
  return done.get_future().get();
}

class OtlpGrpc : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto fixture = test::reference_file(std::string(kFixtures) + "/logs.pb");
    if (!fixture) GTEST_SKIP() << "reference dataset " << kFixtures << " absent";
    ASSERT_TRUE(request_.ParseFromString(read_file(*fixture)));
    ASSERT_GT(records_in(request_), 0);
  }
  ExportLogsServiceRequest request_;
};

TEST_F(OtlpGrpc, ExportsPlainOrGzippedAreStoredOnce) {
  testing::TempStore store;
  testing::RunningServer server(grpc_options(store.path()));
  ASSERT_GT(server.server().otlp_grpc_port(), 0);
  auto stub = LogsService::NewStub(channel_to(server));
  for (const bool gzip : {true, false}) {
    SCOPED_TRACE(gzip ? "gzip" : "plain");
    grpc::ClientContext context;
    if (gzip) context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    ExportLogsServiceResponse response;
    const grpc::Status status = stub->Export(&context, request_, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_FALSE(response.has_partial_success());
    // The second export is the first redelivered: nothing new.
    EXPECT_EQ(stored_events(server), records_in(request_));
  }
}

TEST_F(OtlpGrpc, TheIngestTokenIsRequiredAsBearerMetadata) {
  testing::TempStore store;
  ServeOptions options = grpc_options(store.path());
  options.ingest_token = "fleet-token";
  testing::RunningServer server(options);
  auto stub = LogsService::NewStub(channel_to(server));
  for (const char* authorization : {"", "Bearer wrong", "fleet-token", "Bearer fleet-token"}) {
    SCOPED_TRACE(authorization);
    grpc::ClientContext context;
    if (*authorization) context.AddMetadata("authorization", authorization);
    ExportLogsServiceResponse response;
    const grpc::Status status = stub->Export(&context, request_, &response);
    if (std::string(authorization) == "Bearer fleet-token") {
      EXPECT_TRUE(status.ok()) << status.error_message();
      EXPECT_EQ(stored_events(server), records_in(request_));
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
      EXPECT_EQ(stored_events(server), 0);
    }
  }
}

TEST_F(OtlpGrpc, StoreTokensDecideWhoMayExport) {
  testing::TempStore store;
  std::map<std::string, std::string> tokens;
  {
    store::Database db(store.path());
    store::TokenStore created(db);
    tokens["viewer"] = created.create("viewer", store::Role::kViewer, {}, 0);
    tokens["ingest"] = created.create("fleet", store::Role::kIngest, {}, 0);
    tokens["admin"] = created.create("admin", store::Role::kAdmin, {}, 0);
  }
  testing::RunningServer server(grpc_options(store.path()));
  auto stub = LogsService::NewStub(channel_to(server));
  const auto export_as = [&](const std::string& authorization) {
    grpc::ClientContext context;
    if (!authorization.empty()) context.AddMetadata("authorization", authorization);
    ExportLogsServiceResponse response;
    return stub->Export(&context, request_, &response).error_code();
  };
  EXPECT_EQ(grpc::StatusCode::UNAUTHENTICATED, export_as(""));
  EXPECT_EQ(grpc::StatusCode::UNAUTHENTICATED, export_as("Bearer cca_wrong"));
  EXPECT_EQ(grpc::StatusCode::PERMISSION_DENIED, export_as("Bearer " + tokens["viewer"]));
  EXPECT_EQ(stored_events(server, tokens["admin"]), 0);
  EXPECT_EQ(grpc::StatusCode::OK, export_as("Bearer " + tokens["ingest"]));
  EXPECT_EQ(grpc::StatusCode::OK, export_as("Bearer " + tokens["admin"]));
  EXPECT_EQ(stored_events(server, tokens["admin"]), records_in(request_));
}

TEST_F(OtlpGrpc, ServesTlsWithTheServersCertificate) {
  testing::TempStore store;
  const testing::TlsFiles tls = testing::make_self_signed_certificate(store.folder().string());
  ServeOptions options = grpc_options(store.path());
  options.tls_cert_path = tls.certificate_path;
  options.tls_key_path = tls.key_path;
  testing::RunningServer server(options);
  grpc::SslCredentialsOptions trust;
  trust.pem_root_certs = read_file(tls.certificate_path);
  const auto channel = grpc::CreateChannel(
      "localhost:" + std::to_string(server.server().otlp_grpc_port()), grpc::SslCredentials(trust));
  auto stub = LogsService::NewStub(channel);
  grpc::ClientContext context;
  ExportLogsServiceResponse response;
  const grpc::Status status = stub->Export(&context, request_, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(test::sql_int(store.path(), "SELECT count(*) FROM events"), records_in(request_));
  // A plaintext client gets no answer from the TLS port.
  auto plain = LogsService::NewStub(channel_to(server));
  grpc::ClientContext plain_context;
  plain_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  EXPECT_FALSE(plain->Export(&plain_context, request_, &response).ok());
}

TEST_F(OtlpGrpc, MalformedRequestsAreInvalidArgumentAndStoreNothing) {
  testing::TempStore store;
  testing::RunningServer server(grpc_options(store.path()));
  const auto channel = channel_to(server);
  const std::string valid = request_.SerializeAsString();
  for (const std::string& bytes :
       {valid.substr(0, valid.size() - 9), std::string("\x0d\x01\x02\x03\x04", 5),
        std::string("\xff\xff\xff\xff", 4)}) {
    const grpc::Status status = export_bytes(channel, bytes);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_FALSE(status.error_message().empty());
  }
  EXPECT_EQ(stored_events(server), 0);
  EXPECT_TRUE(export_bytes(channel, valid).ok());
  EXPECT_EQ(stored_events(server), records_in(request_));
}

TEST_F(OtlpGrpc, ARequestOverTheLimitIsRefusedEvenWhenItsCompressedFormIsSmall) {
  testing::TempStore store;
  ServeOptions options = grpc_options(store.path());
  options.max_body_mb = 1;
  testing::RunningServer server(options);
  ExportLogsServiceRequest big = request_;
  auto* attribute =
      big.mutable_resource_logs(0)->mutable_scope_logs(0)->mutable_log_records(0)->add_attributes();
  attribute->set_key("padding");
  attribute->mutable_value()->set_string_value(std::string(3 << 20, 'a'));
  auto stub = LogsService::NewStub(channel_to(server));
  grpc::ClientContext context;
  context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
  ExportLogsServiceResponse response;
  const grpc::Status status = stub->Export(&context, big, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_EQ(stored_events(server), 0);
  grpc::ClientContext again;
  EXPECT_TRUE(stub->Export(&again, request_, &response).ok());
}

TEST_F(OtlpGrpc, RejectedRecordsAreAPartialSuccess) {
  ExportLogsServiceRequest request = request_;
  auto* record = request.mutable_resource_logs(0)->mutable_scope_logs(0)->mutable_log_records(0);
  for (int i = 0; i < record->attributes_size(); ++i)
    if (record->attributes(i).key() == "user.id")
      record->mutable_attributes()->DeleteSubrange(i, 1);
  testing::TempStore store;
  testing::RunningServer server(grpc_options(store.path()));
  auto stub = LogsService::NewStub(channel_to(server));
  grpc::ClientContext context;
  ExportLogsServiceResponse response;
  ASSERT_TRUE(stub->Export(&context, request, &response).ok());
  EXPECT_EQ(response.partial_success().rejected_log_records(), 1);
  EXPECT_NE(response.partial_success().error_message().find("missing_user (1)"), std::string::npos);
  EXPECT_EQ(stored_events(server), records_in(request_) - 1);
}

// HTTP and gRPC exports share one bound: one blocked HTTP export makes gRPC answer UNAVAILABLE,
// with the RetryInfo OTLP exporters wait for.
TEST_F(OtlpGrpc, ExportsPastTheSharedInFlightBoundAreUnavailableWithRetryInfo) {
  testing::TempStore store;
  ServeOptions options = grpc_options(store.path());
  options.otlp_max_in_flight = 1;
  testing::RunningServer server(options);
  const std::string body = request_.SerializeAsString();

  sqlite3* writer = nullptr;
  ASSERT_EQ(SQLITE_OK, sqlite3_open(store.path().c_str(), &writer));
  ASSERT_EQ(SQLITE_OK, sqlite3_exec(writer, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr));
  int http_status = 0;
  std::thread blocked([&] {
    auto client = server.client();
    const auto response = client->Post("/v1/logs", body, "application/x-protobuf");
    http_status = response ? response->status : -1;
  });
  auto client = server.client();
  for (;;) {
    const auto metrics = client->Get("/metrics");
    ASSERT_TRUE(metrics);
    if (metrics->body.find("ccanalytics_otlp_exports_in_flight 1\n") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto stub = LogsService::NewStub(channel_to(server));
  grpc::ClientContext context;
  ExportLogsServiceResponse response;
  const grpc::Status shed = stub->Export(&context, request_, &response);
  EXPECT_EQ(shed.error_code(), grpc::StatusCode::UNAVAILABLE);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(shed.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(details.details(0).UnpackTo(&retry));
  EXPECT_GT(retry.retry_delay().seconds(), 0);

  ASSERT_EQ(SQLITE_OK, sqlite3_exec(writer, "COMMIT", nullptr, nullptr, nullptr));
  sqlite3_close(writer);
  blocked.join();
  EXPECT_EQ(200, http_status);
  grpc::ClientContext retried;
  EXPECT_TRUE(stub->Export(&retried, request_, &response).ok());
  EXPECT_EQ(stored_events(server), records_in(request_));
}

// Claude Code's metrics export over MetricsService: plain, then gzip-compressed (a redelivery,
// counted once), gives the code-activity figures read off the request by protobuf's own JSON
// printer; a malformed request is INVALID_ARGUMENT and stores nothing.
TEST(OtlpGrpcMetrics, ExportsAreCountedOnceAsTheirPointsSay) {
  const auto fixture = test::reference_file(std::string(kFixtures) + "/metrics.pb");
  if (!fixture) GTEST_SKIP() << "reference dataset " << kFixtures << " absent";
  using opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
  using opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceResponse;
  using opentelemetry::proto::collector::metrics::v1::MetricsService;
  ExportMetricsServiceRequest request;
  ASSERT_TRUE(request.ParseFromString(read_file(*fixture)));
  google::protobuf::util::JsonPrintOptions json_options;
  json_options.always_print_enums_as_ints = true;
  std::string as_json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(request, &as_json, json_options).ok());
  const testing::ExpectedCode expected = testing::expected_total({as_json});
  ASSERT_GT(expected.lines_added, 0);

  testing::TempStore store;
  testing::RunningServer server(grpc_options(store.path()));
  const auto channel = channel_to(server);
  const std::string valid = request.SerializeAsString();
  const grpc::Status malformed =
      export_bytes(channel, valid.substr(0, valid.size() - 7), kMetricsExportMethod);
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << malformed.error_message();

  auto stub = MetricsService::NewStub(channel);
  auto client = server.client();
  for (const bool gzip : {false, true}) {
    SCOPED_TRACE(gzip ? "gzip" : "plain");
    grpc::ClientContext context;
    if (gzip) context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    ExportMetricsServiceResponse response;
    const grpc::Status status = stub->Export(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_FALSE(response.has_partial_success());
    server.wait_until_visible();
    const auto answer = client->Get("/api/v1/code");
    ASSERT_TRUE(answer);
    const json code = json::parse(answer->body);
    EXPECT_DOUBLE_EQ(expected.lines_added, code["lines_added"].get<double>());
    EXPECT_DOUBLE_EQ(expected.lines_removed, code["lines_removed"].get<double>());
    EXPECT_DOUBLE_EQ(expected.commits, code["commits"].get<double>());
    EXPECT_DOUBLE_EQ(expected.edit_decisions, code["edit_decisions"].get<double>());
    EXPECT_DOUBLE_EQ(expected.sessions_started, code["sessions_started"].get<double>());
    EXPECT_NEAR(expected.active_time_s, code["active_time_s"].get<double>(), 1e-9);
  }
}

}  // namespace
}  // namespace cca::server
