// ccanalytics replay against running servers: what a replay stores equals an `ingest` of the
// same files, logs and metrics (an independent path), over every protocol and with parallel
// exporters; a server that sheds load loses nothing; one that never answers is reported, not
// silently dropped.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "generate/generator.h"
#include "ingest/ingestor.h"
#include "replay/replayer.h"
#include "server/running_server.h"
#include "support/test_support.h"

namespace cca::replay {
namespace {

using nlohmann::json;

// A generated dataset, and a server over a store loaded from it by `ingest`.
class ReplayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    generate::GenerateOptions options;
    options.output_dir = (dir_->path() / "data").string();
    options.num_users = 6;
    options.num_sessions = 40;
    options.seed = 11;
    generate::generate_dataset(options);
    telemetry_ = options.output_dir + "/telemetry_logs.jsonl";
    metrics_ = options.output_dir + "/otlp_metrics.jsonl";
    const std::string db = (dir_->path() / "ingested.db").string();
    ingest::Ingestor ingestor(db);
    ingestor.ingest_file(telemetry_);
    std::ifstream metrics(metrics_);
    for (std::string line; std::getline(metrics, line);)
      ingestor.ingest_otlp_metrics(line, ingest::OtlpEncoding::kJson);
    ingested_ = new testing::RunningServer(testing::test_options(db));
  }
  static void TearDownTestSuite() {
    delete ingested_;
    delete dir_;
  }

  static json get(testing::RunningServer& server, const std::string& path) {
    server.wait_until_visible();
    const auto result = server.client()->Get(path);
    EXPECT_TRUE(result && result->status == 200) << path;
    return result ? json::parse(result->body) : json();
  }

  // Equal, numbers to 1e-9 relative (sums of doubles depend on the order they are added in).
  static void expect_same(const json& expected, const json& actual, const std::string& where) {
    if (expected.is_number() && actual.is_number()) {
      const double a = expected.get<double>(), b = actual.get<double>();
      EXPECT_LE(std::abs(a - b), 1e-9 * std::max(1.0, std::abs(a))) << where;
      return;
    }
    ASSERT_EQ(expected.type(), actual.type()) << where;
    if (expected.is_object()) {
      ASSERT_EQ(expected.size(), actual.size()) << where;
      for (const auto& [key, value] : expected.items()) {
        ASSERT_TRUE(actual.contains(key)) << where << "." << key;
        expect_same(value, actual[key], where + "." + key);
      }
    } else if (expected.is_array()) {
      ASSERT_EQ(expected.size(), actual.size()) << where;
      for (size_t i = 0; i < expected.size(); ++i)
        expect_same(expected[i], actual[i], where + "[" + std::to_string(i) + "]");
    } else {
      EXPECT_EQ(expected, actual) << where;
    }
  }

  static void expect_same_analytics(testing::RunningServer& replayed) {
    for (const std::string path :
         {"/api/v1/summary", "/api/v1/breakdown?by=model", "/api/v1/breakdown?by=tool",
          "/api/v1/breakdown?by=terminal", "/api/v1/breakdown?by=event_type",
          "/api/v1/breakdown?by=email", "/api/v1/breakdown?by=status_code"})
      expect_same(get(*ingested_, path), get(replayed, path), path);
  }

  // Log events in the file, counted apart from the replay's reader.
  static uint64_t events_in_file() {
    uint64_t events = 0;
    std::ifstream in(telemetry_);
    std::string line;
    while (std::getline(in, line)) events += json::parse(line)["logEvents"].size();
    return events;
  }

  static inline test::TempDir* dir_ = nullptr;
  static inline std::string telemetry_;
  static inline std::string metrics_;
  static inline testing::RunningServer* ingested_ = nullptr;
};

struct ProtocolCase {
  Protocol protocol;
  int exporters;
  bool gzip;
};

class ReplayProtocolTest : public ReplayTest, public ::testing::WithParamInterface<ProtocolCase> {};

TEST_P(ReplayProtocolTest, StoresWhatIngestStores) {
  const ProtocolCase& c = GetParam();
  test::TempDir store;
  server::ServeOptions serve = testing::test_options((store.path() / "live.db").string());
  if (c.protocol == Protocol::kGrpc) serve.otlp_grpc_port = -1;  // a free port
  testing::RunningServer replayed(serve);

  ReplayOptions options;
  options.telemetry_files = {telemetry_};
  // The server takes OTLP metrics over HTTP only.
  if (c.protocol != Protocol::kGrpc) options.metrics_files = {metrics_};
  options.protocol = c.protocol;
  options.exporters = c.exporters;
  options.gzip = c.gzip;
  options.batch = 64;
  options.speed = 0;
  const int port =
      c.protocol == Protocol::kGrpc ? replayed.server().otlp_grpc_port() : replayed.port();
  options.endpoint = "http://127.0.0.1:" + std::to_string(port);
  const ReplayReport report = replay(options);

  const uint64_t events = events_in_file();
  EXPECT_EQ(events, report.records_sent);
  EXPECT_EQ(0u, report.failures);
  EXPECT_EQ(0u, report.records_rejected);
  EXPECT_GE(report.requests, (events + 63) / 64);
  expect_same_analytics(replayed);
  if (c.protocol != Protocol::kGrpc) {
    EXPECT_EQ(40u, report.metric_requests);  // one export per session
    EXPECT_GT(get(*ingested_, "/api/v1/code")["lines_added"].get<double>(), 0);
    for (const std::string path : {"/api/v1/code", "/api/v1/code/breakdown?by=language",
                                   "/api/v1/code/breakdown?by=attr.team.id"})
      expect_same(get(*ingested_, path), get(replayed, path), path);
  }
}

INSTANTIATE_TEST_SUITE_P(Protocols, ReplayProtocolTest,
                         ::testing::Values(ProtocolCase{Protocol::kHttpJson, 1, false},
                                           ProtocolCase{Protocol::kHttpJson, 4, true},
                                           ProtocolCase{Protocol::kHttpProtobuf, 3, false},
                                           ProtocolCase{Protocol::kGrpc, 2, true}));

// An OTLP endpoint that answers 503 (or 429) to the first `shed` requests, then takes them,
// counting the log records it took.
class SheddingServer {
 public:
  SheddingServer(int shed, int status) : shed_(shed) {
    server_.Post("/v1/logs",
                 [this, status](const httplib::Request& request, httplib::Response& response) {
                   if (requests_++ < shed_) {
                     response.status = status;
                     response.set_header("Retry-After", "0");
                     return;
                   }
                   const json body = json::parse(request.body);
                   for (const auto& resource : body["resourceLogs"])
                     for (const auto& scope : resource["scopeLogs"])
                       records_ += scope["logRecords"].size();
                   response.set_content("{}", "application/json");
                 });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the listener runs would not stop it.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~SheddingServer() {
    server_.stop();
    thread_.join();
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  uint64_t records() const { return records_; }
  int requests() const { return requests_; }

 private:
  int shed_;
  httplib::Server server_;
  std::atomic<int> requests_ = 0;
  std::atomic<uint64_t> records_ = 0;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(ReplayTest, RetriesWhileTheServerShedsAndLosesNothing) {
  for (const int status : {503, 429}) {
    SheddingServer server(5, status);
    ReplayOptions options;
    options.telemetry_files = {telemetry_};
    options.endpoint = server.endpoint();
    options.exporters = 2;
    options.batch = 100;
    options.speed = 0;
    const ReplayReport report = replay(options);
    EXPECT_EQ(events_in_file(), server.records()) << status;
    EXPECT_EQ(events_in_file(), report.records_sent) << status;
    EXPECT_EQ(5u, report.retries) << status;
    EXPECT_EQ(0u, report.failures) << status;
    EXPECT_EQ(static_cast<uint64_t>(server.requests()), report.requests + report.retries);
  }
}

TEST_F(ReplayTest, ReportsWhatItCouldNotDeliver) {
  SheddingServer server(1 << 30, 503);
  ReplayOptions options;
  options.telemetry_files = {telemetry_};
  options.endpoint = server.endpoint();
  options.batch = 1000;
  options.speed = 0;
  options.max_attempts = 2;
  const ReplayReport report = replay(options);
  EXPECT_EQ(0u, report.records_sent);
  EXPECT_EQ(events_in_file(), report.records_failed);
  EXPECT_EQ(report.requests, report.failures);
  EXPECT_EQ(report.requests, report.retries);  // one retry each
}

// --preload builds every request before the clock starts, and sends the same requests: a
// preloaded replay stores what a streamed one stores, and both what `ingest` stores.
TEST_F(ReplayTest, PreloadStoresWhatAStreamedReplayStores) {
  ReplayOptions options;
  options.telemetry_files = {telemetry_};
  options.metrics_files = {metrics_};
  options.exporters = 3;
  options.batch = 64;
  options.speed = 0;
  std::vector<ReplayReport> reports;
  std::vector<json> summaries, code;
  for (const bool preload : {false, true}) {
    test::TempDir store;
    testing::RunningServer replayed(testing::test_options((store.path() / "live.db").string()));
    options.endpoint = "http://127.0.0.1:" + std::to_string(replayed.port());
    options.preload = preload;
    reports.push_back(replay(options));
    expect_same_analytics(replayed);
    summaries.push_back(get(replayed, "/api/v1/summary"));
    code.push_back(get(replayed, "/api/v1/code"));
  }
  const ReplayReport &streamed = reports[0], &preloaded = reports[1];
  const uint64_t events = events_in_file();
  EXPECT_EQ(events, preloaded.records_sent);
  EXPECT_EQ(events, summaries[1]["events"].get<uint64_t>());
  EXPECT_GT(summaries[1]["cost_usd"].get<double>(), 0);
  EXPECT_GT(summaries[1]["output_tokens"].get<double>(), 0);
  expect_same(summaries[0], summaries[1], "summary");
  expect_same(code[0], code[1], "code");
  EXPECT_EQ(0u, preloaded.failures);
  EXPECT_EQ(0u, preloaded.retries);
  EXPECT_EQ(40u, preloaded.metric_requests);
  // The same batches: as many requests, each of at most --batch records.
  EXPECT_EQ(streamed.requests, preloaded.requests);
  EXPECT_GE(preloaded.requests, 40 + (events + 63) / 64);
  EXPECT_GT(preloaded.seconds, 0);
}

TEST_F(ReplayTest, PreloadRefusesPacing) {
  SheddingServer server(0, 503);
  ReplayOptions options;
  options.telemetry_files = {telemetry_};
  options.endpoint = server.endpoint();
  options.preload = true;
  // Paced that fast, a replay that took the pacing would end in seconds, not throw.
  for (const double speed : {1e9, 1e6}) {
    options.speed = speed;
    EXPECT_THROW(replay(options), std::invalid_argument) << speed;
  }
  EXPECT_EQ(0, server.requests());
}

TEST_F(ReplayTest, AnUnreadableFileIsAnError) {
  ReplayOptions options;
  options.telemetry_files = {(dir_->path() / "missing.jsonl").string()};
  options.speed = 0;
  EXPECT_ANY_THROW(replay(options));
}

}  // namespace
}  // namespace cca::replay
