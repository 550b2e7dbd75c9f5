// Ingest into a store whose disk fills up: every path (the CLI, HTTP bulk, OTLP over HTTP and
// gRPC) says so clearly, nothing committed before is harmed, reads go on, and once space is freed
// ingest works again. Backups to a full disk leave no half file. The disk is a small tmpfs the
// test mounts; where mounting is not allowed the tests skip and say why.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "server/running_server.h"
#include "support/test_support.h"
#include "system/generated_data.h"
#include "system/mounts.h"
#include "system/otlp_request.h"
#include "system/process.h"

namespace cca::system_test {
namespace {

using nlohmann::json;
using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using opentelemetry::proto::collector::logs::v1::ExportLogsServiceResponse;
using opentelemetry::proto::collector::logs::v1::LogsService;

constexpr uint64_t kDiskBytes = 64 << 20;

#define MOUNT_OR_SKIP(mount, ...)                                               \
  std::string why_not_mounted;                                                  \
  auto mount = __VA_ARGS__;                                                     \
  if (!mount)                                                                   \
    GTEST_SKIP() << "cannot mount a test file system here (" << why_not_mounted \
                 << "): skipped, not passed";

std::string read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// The first `lines` lines of a JSONL text, and the rest.
std::pair<std::string, std::string> split_lines(const std::string& text, int lines) {
  size_t at = 0;
  for (int i = 0; i < lines; ++i) at = text.find('\n', at) + 1;
  return {text.substr(0, at), text.substr(at)};
}

// Empties the write-ahead log into the store file and truncates it, as a quiet server's store
// would be: a full disk then stops the very next write (a log with room left would take a few
// more pages first).
void checkpoint(const std::string& db_path) {
  sqlite3* db = nullptr;
  sqlite3_open(db_path.c_str(), &db);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &statement, nullptr);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(statement, 0), 0) << "checkpoint blocked";
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

TEST(DiskFull, CliIngestFailsCleanlyAndCompletesOnceSpaceIsFreed) {
  test::TempDir dir;
  MOUNT_OR_SKIP(disk, Mount::tmpfs(dir.file("disk"), kDiskBytes, why_not_mounted));
  const GeneratedData data = generate_data(dir.file("data"), 10, 150, 10, "2026-02-01");
  const int64_t total = static_cast<int64_t>(event_times_ms(data.telemetry).size());
  const auto [head, rest] = split_lines(read_text(data.telemetry), 40);
  test::write_file(dir.file("head.jsonl"), head);
  const std::string store = disk->folder() + "/store.db";

  ASSERT_EQ(run({"ingest", "--db", store, "--telemetry", dir.file("head.jsonl")}).exit_code, 0);
  const int64_t before = test::sql_int(store, "SELECT count(*) FROM events");
  ASSERT_GT(before, 0);

  // Room to open the store and start, not to finish: the ingest fails part way through.
  DiskFiller filler(disk->folder(), 256 << 10);
  const Finished full = run({"ingest", "--db", store, "--telemetry", data.telemetry});
  EXPECT_EQ(full.exit_code, 2) << full.err;
  EXPECT_NE(full.err.find("is full"), std::string::npos) << full.err;
  EXPECT_NE(full.err.find(disk->folder()), std::string::npos) << "names the disk: " << full.err;
  EXPECT_EQ(test::sql_text(store, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(test::sql_int(store, "SELECT count(*) FROM events"), before);

  // With nothing left at all the store cannot even be opened for writing: the same message.
  filler.release();
  DiskFiller brim(disk->folder());
  const Finished brimful = run({"ingest", "--db", store, "--telemetry", data.telemetry});
  EXPECT_EQ(brimful.exit_code, 2) << brimful.err;
  EXPECT_NE(brimful.err.find("is full"), std::string::npos) << brimful.err;
  EXPECT_EQ(test::sql_int(store, "SELECT count(*) FROM events"), before);

  brim.release();
  const Finished freed = run({"ingest", "--db", store, "--telemetry", data.telemetry});
  EXPECT_EQ(freed.exit_code, 0) << freed.err;
  EXPECT_EQ(test::sql_int(store, "SELECT count(*) FROM events"), total);
  EXPECT_EQ(
      test::sql_int(store, "SELECT count(*) FROM (SELECT DISTINCT key_hi, key_lo FROM events)"),
      total);
  EXPECT_EQ(test::sql_text(store, "PRAGMA integrity_check"), "ok");
}

TEST(DiskFull, ServerIngestPathsAnswerStoreFullAndRecover) {
  test::TempDir dir;
  MOUNT_OR_SKIP(disk, Mount::tmpfs(dir.file("disk"), kDiskBytes, why_not_mounted));
  const GeneratedData data = generate_data(dir.file("data"), 10, 150, 10, "2026-02-01");
  const int64_t total = static_cast<int64_t>(event_times_ms(data.telemetry).size());
  const auto [head, rest] = split_lines(read_text(data.telemetry), 40);
  const std::string store = disk->folder() + "/store.db";

  server::ServeOptions options = testing::test_options(store);
  options.otlp_grpc_port = -1;
  testing::RunningServer server(options);
  auto client = server.client();
  const auto first = client->Post("/api/v1/ingest", head, "application/x-ndjson");
  ASSERT_TRUE(first && first->status == 200);
  const int64_t before = json::parse(client->Get("/api/v1/summary")->body)["events"];
  ASSERT_GT(before, 0);
  auto grpc_stub = LogsService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(server.server().otlp_grpc_port()),
                          grpc::InsecureChannelCredentials()));
  const auto export_grpc = [&](int first_record) {
    ExportLogsServiceRequest request;
    request.ParseFromString(otlp_logs_protobuf(first_record, 20));
    ExportLogsServiceResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    return grpc_stub->Export(&context, request, &response);
  };

  checkpoint(store);
  DiskFiller filler(disk->folder());

  const auto bulk = client->Post("/api/v1/ingest", rest, "application/x-ndjson");
  ASSERT_TRUE(bulk);
  EXPECT_EQ(bulk->status, 507);
  const json bulk_error = json::parse(bulk->body)["error"];
  EXPECT_EQ(bulk_error["code"], "store_full");
  EXPECT_NE(bulk_error["message"].get<std::string>().find(disk->folder()), std::string::npos)
      << bulk_error;
  const auto directory = client->Put("/api/v1/employees", read_text(data.employees), "text/csv");
  ASSERT_TRUE(directory);
  EXPECT_EQ(directory->status, 507);

  // Live exports are told to come again: 503 with Retry-After, UNAVAILABLE over gRPC.
  const auto otlp_json = client->Post("/v1/logs", otlp_logs_json(0, 20), "application/json");
  ASSERT_TRUE(otlp_json);
  EXPECT_EQ(otlp_json->status, 503);
  EXPECT_TRUE(otlp_json->has_header("Retry-After"));
  EXPECT_EQ(json::parse(otlp_json->body)["error"]["code"], "store_full");
  const auto otlp_protobuf =
      client->Post("/v1/logs", otlp_logs_protobuf(0, 20), "application/x-protobuf");
  ASSERT_TRUE(otlp_protobuf);
  EXPECT_EQ(otlp_protobuf->status, 503);
  EXPECT_TRUE(otlp_protobuf->has_header("Retry-After"));
  google::rpc::Status status;
  ASSERT_TRUE(status.ParseFromString(otlp_protobuf->body));
  EXPECT_EQ(status.code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.message().find("full"), std::string::npos) << status.message();
  const grpc::Status over_grpc = export_grpc(0);
  EXPECT_EQ(over_grpc.error_code(), grpc::StatusCode::UNAVAILABLE) << over_grpc.error_message();
  EXPECT_NE(over_grpc.error_message().find("full"), std::string::npos);

  // Reads go on, over what was committed before, intact.
  const auto summary = client->Get("/api/v1/summary");
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->status, 200);
  EXPECT_EQ(json::parse(summary->body)["events"].get<int64_t>(), before);
  EXPECT_EQ(client->Get("/health")->status, 200);
  EXPECT_EQ(test::sql_text(store, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(test::sql_int(store, "SELECT count(*) FROM events"), before);

  filler.release();
  const auto retried = client->Post("/api/v1/ingest", rest, "application/x-ndjson");
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->status, 200) << retried->body;
  EXPECT_EQ(client->Post("/v1/logs", otlp_logs_json(0, 20), "application/json")->status, 200);
  EXPECT_EQ(client->Post("/v1/logs", otlp_logs_protobuf(20, 20), "application/x-protobuf")->status,
            200);
  EXPECT_TRUE(export_grpc(40).ok());
  server.wait_until_visible();
  EXPECT_EQ(json::parse(client->Get("/api/v1/summary")->body)["events"].get<int64_t>(), total + 60);
  EXPECT_EQ(test::sql_int(store, "SELECT count(*) FROM events"), total + 60);
  EXPECT_EQ(test::sql_text(store, "PRAGMA integrity_check"), "ok");
}

TEST(DiskFull, ABackupToAFullDiskLeavesNoHalfFile) {
  test::TempDir dir;
  MOUNT_OR_SKIP(disk, Mount::tmpfs(dir.file("small"), 1 << 20, why_not_mounted));
  const GeneratedData data = generate_data(dir.file("data"), 10, 150, 10, "2026-02-01");
  const std::string store = dir.file("store.db");
  ASSERT_EQ(run({"ingest", "--db", store, "--telemetry", data.telemetry}).exit_code, 0);
  ASSERT_GT(std::filesystem::file_size(store), 1u << 20);

  const Finished backup = run({"backup", "--db", store, "--to", disk->folder() + "/backup.db"});
  EXPECT_EQ(backup.exit_code, 1);
  EXPECT_NE(backup.err.find("full"), std::string::npos) << backup.err;
  EXPECT_NE(backup.err.find(disk->folder()), std::string::npos) << backup.err;
  EXPECT_TRUE(std::filesystem::is_empty(disk->folder()));
}

}  // namespace
}  // namespace cca::system_test
