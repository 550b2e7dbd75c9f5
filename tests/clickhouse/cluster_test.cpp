// ccanalytics on a real ClickHouse cluster: ZooKeeper and four clickhouse-server processes on
// loopback (2 shards x 2 replicas, scripts/clickhouse.sh cluster-start), the tables replicated and
// sharded (URL parameter cluster=). An ingest through the binary loses a replica half-way; the
// replica comes back; the same file is delivered again. Nothing is lost, nothing doubled, every
// replica agrees, and the answers equal the embedded store's on the same data: ClickHouse's
// queries asked of every node, and every dashboard question asked of `serve --clickhouse` on the
// cluster and of `serve --db`. OTLP metrics exports (the real Claude Code captures and a random
// fleet's) ingested into both give the same code activity, and their redelivery adds nothing.
//
// Run by `make test-cluster` (it needs zookeeperd), not by ctest.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "clickhouse/client.h"
#include "clickhouse/queries.h"
#include "clickhouse/random_metrics.h"
#include "clickhouse/same_answers.h"
#include "clickhouse/same_json.h"
#include "engine/analytics.h"
#include "engine/engine.h"
#include "engine/metric_check.h"
#include "engine/otlp_metrics_fixture.h"
#include "engine/temp_store.h"
#include "server/running_server.h"
#include "support/test_support.h"

namespace cca::clickhouse {
namespace {

const std::string kScript = std::string(CCANALYTICS_SOURCE_DIR) + "/scripts/clickhouse.sh";
const std::string kBinary = CCANALYTICS_BINARY;
constexpr const char* kNow = "2026-02-10T12:00:00Z";  // the generated data's last day

class ClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = std::make_unique<testing::TempStore>();
    dir_ = (store_->folder() / "cluster").string();
    const auto [started, output] =
        test::run_command(kScript + " cluster-start '" + dir_ + "' 2>&1");
    ASSERT_EQ(0, started) << output;
    std::ifstream urls(dir_ + "/urls");
    for (std::string line; std::getline(urls, line);)
      if (!line.empty())
        nodes_.push_back(line.back() == '/' ? line.substr(0, line.size() - 1) : line);
    ASSERT_EQ(4u, nodes_.size());
    data_ = (store_->folder() / "data").string();
    const auto [generated, generate_output] =
        test::run_command(kBinary + " generate --output-dir '" + data_ +
                          "' --num-users 60 --num-sessions 2500 --days 30 --end-date 2026-02-10 "
                          "2>&1");
    ASSERT_EQ(0, generated) << generate_output;
    const auto [ingested, ingest_output] =
        test::run_command(kBinary + " ingest --db '" + store_->path() + "' --telemetry '" + data_ +
                          "/telemetry_logs.jsonl' --employees '" + data_ + "/employees.csv' 2>&1");
    ASSERT_EQ(0, ingested) << ingest_output;
  }

  static void TearDownTestSuite() {
    if (!dir_.empty()) test::run_command(kScript + " cluster-stop '" + dir_ + "' 2>&1");
    store_.reset();
  }

  static std::string store_url(size_t node) {
    return nodes_[node] + "/?database=cca&cluster=ccanalytics";
  }
  static nlohmann::json ingest(const std::string& extra) {
    const auto [status, output] = test::run_command(
        kBinary + " ingest --clickhouse '" + store_url(0) + "' --json" + extra + " 2>/dev/null");
    const size_t last = output.find_last_of('\n', output.size() - 2);
    nlohmann::json report = nlohmann::json::parse(
        output.substr(last == std::string::npos ? 0 : last + 1), nullptr, false);
    report["exit_code"] = status;
    return report;
  }
  static nlohmann::json get(testing::RunningServer& server, const std::string& target) {
    const auto response = server.client()->Get(target);
    EXPECT_TRUE(response) << target;
    if (!response) return nlohmann::json();
    EXPECT_EQ(200, response->status) << target << ": " << response->body.substr(0, 400);
    return nlohmann::json::parse(response->body, nullptr, false);
  }
  static uint64_t count_on(size_t node, const std::string& table) {
    return std::stoull(ClickHouseClient(ClickHouseUrl::parse(store_url(node)))
                           .query("SELECT count() FROM " + table));
  }

  static std::unique_ptr<testing::TempStore> store_;
  static std::string dir_, data_;
  static std::vector<std::string> nodes_;
};

std::unique_ptr<testing::TempStore> ClusterTest::store_;
std::string ClusterTest::dir_, ClusterTest::data_;
std::vector<std::string> ClusterTest::nodes_;

TEST_F(ClusterTest, AReplicaLostMidIngestLosesNothingAndDoublesNothing) {
  const engine::Engine engine(store_->path());
  const uint64_t events = engine.snapshot()->events;
  ASSERT_GT(events, 100000u);

  // The directory, then the telemetry; shard 1's second replica is killed while it runs.
  ASSERT_EQ(0, ingest(" --employees '" + data_ + "/employees.csv'")["exit_code"]);
  std::thread killer([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    test::run_command(kScript + " kill-node '" + dir_ + "' 2 2>&1");
  });
  const auto started = std::chrono::steady_clock::now();
  const nlohmann::json first = ingest(" --telemetry '" + data_ + "/telemetry_logs.jsonl'");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  killer.join();
  // The kill must have come while the ingest ran, or the test proves nothing.
  ASSERT_GT(seconds, 2.0) << "the ingest ended before the replica was killed";
  std::printf("first ingest: %.1f s, exit code %d, %llu accepted before any retry\n", seconds,
              first["exit_code"].get<int>(),
              static_cast<unsigned long long>(first.value("accepted", uint64_t{0})));
  // An ingest that failed was not acknowledged: delivering the file again completes it.
  uint64_t accepted = first.value("accepted", uint64_t{0});
  if (first["exit_code"] != 0) {
    const nlohmann::json again = ingest(" --telemetry '" + data_ + "/telemetry_logs.jsonl'");
    ASSERT_EQ(0, again["exit_code"]) << again.dump();
    accepted += again["accepted"].get<uint64_t>();
  }
  EXPECT_EQ(events, accepted) << first.dump();

  const auto [restarted, restart_output] =
      test::run_command(kScript + " restart-node '" + dir_ + "' 2 2>&1");
  ASSERT_EQ(0, restarted) << restart_output;
  // A redelivery of the whole file: every event is already there.
  const nlohmann::json redelivered = ingest(" --telemetry '" + data_ + "/telemetry_logs.jsonl'");
  EXPECT_EQ(0, redelivered["exit_code"]) << redelivered.dump();
  EXPECT_EQ(0, redelivered["accepted"]);
  EXPECT_EQ(events, redelivered["duplicates"]);

  // The replicas of each shard converge on the same rows, and the shards hold every event once.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline &&
         (count_on(0, "events_local") != count_on(1, "events_local") ||
          count_on(2, "events_local") != count_on(3, "events_local")))
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(count_on(0, "events_local"), count_on(1, "events_local"));
  EXPECT_EQ(count_on(2, "events_local"), count_on(3, "events_local"));
  EXPECT_GT(count_on(0, "events_local"), 0u);
  EXPECT_GT(count_on(2, "events_local"), 0u);
  EXPECT_EQ(events, count_on(0, "events_local") + count_on(2, "events_local"));
  for (size_t node = 0; node < 4; ++node) EXPECT_EQ(events, count_on(node, "events")) << node;

  // The answers, asked of every node, equal the embedded store's.
  const auto snapshot = engine.snapshot();
  for (size_t node = 0; node < 4; ++node) {
    const ClickHouseClient client(ClickHouseUrl::parse(store_url(node)));
    const Queries queries(client);
    SCOPED_TRACE("node " + std::to_string(node + 1));
    expect_same_store_answers(*snapshot, queries);
  }

  // Every dashboard page's questions, through both servers.
  setenv("CCANALYTICS_NOW", kNow, 1);
  testing::TempStore control;
  testing::RunningServer embedded(testing::test_options(store_->path()));
  server::ServeOptions options = testing::test_options(control.path());
  options.clickhouse_url = store_url(0);
  testing::RunningServer clustered(options);
  const nlohmann::json practices = get(embedded, "/api/v1/breakdown?by=practice");
  ASSERT_FALSE(practices["rows"].empty());
  const std::string practice = httplib::detail::encode_query_param(practices["rows"][0]["key"]);
  const nlohmann::json users = get(embedded, "/api/v1/users?limit=3&sort=cost_usd");
  const nlohmann::json sessions = get(embedded, "/api/v1/sessions?limit=3&sort=cost_usd");
  std::vector<std::string> targets;
  for (const std::string& filter :
       std::vector<std::string>{"", "from=2026-01-27&to=2026-02-10", "practice=" + practice}) {
    const std::string q = filter.empty() ? "" : "&" + filter;
    const std::string only = filter.empty() ? "" : "?" + filter;
    targets.push_back("/api/v1/summary" + only);
    for (const char* by : {"practice", "level", "location", "model", "tool", "email", "terminal",
                           "event_type", "version", "os", "status_code", "error"})
      targets.push_back(std::string("/api/v1/breakdown?by=") + by + "&sort=cost_usd" + q);
    targets.push_back("/api/v1/timeseries?bucket=day&split=model" + q);
    if (filter.find("from=") == std::string::npos)
      targets.push_back("/api/v1/timeseries?bucket=hour&from=2026-02-03&to=2026-02-05" + q);
    targets.push_back("/api/v1/heatmap" + only);
    targets.push_back("/api/v1/latency?by=model" + q);
    targets.push_back("/api/v1/latency?by=tool" + q);
    targets.push_back("/api/v1/latency/timeseries?of=api_request&bucket=day" + q);
    targets.push_back("/api/v1/distribution?of=session_cost_usd&bins=10" + q);
    targets.push_back("/api/v1/facets" + only);
    targets.push_back("/api/v1/sessions?limit=20&sort=start" + q);
    targets.push_back("/api/v1/users?limit=20&sort=cost_usd" + q);
    for (const auto& row : users["rows"])
      targets.push_back("/api/v1/users/" + row["email"].get<std::string>() + only);
  }
  targets.push_back("/api/v1/forecast?metric=cost_usd&bucket=day&horizon=7");
  targets.push_back("/api/v1/anomalies?metric=cost_usd&bucket=day&by=model");
  targets.push_back("/api/v1/report?from=2026-02-02&to=2026-02-09&format=json");
  targets.push_back("/api/v1/employees");
  for (const std::string& target : targets) {
    SCOPED_TRACE(target);
    EXPECT_TRUE(same_json(get(embedded, target), get(clustered, target), "$"));
  }
  ASSERT_FALSE(sessions["rows"].empty());
  for (const auto& row : sessions["rows"]) {
    const std::string target = "/api/v1/sessions/" + row["session_id"].get<std::string>();
    SCOPED_TRACE(target);
    EXPECT_TRUE(same_json(in_time_order(get(embedded, target)),
                          in_time_order(get(clustered, target)), "$"));
  }
  unsetenv("CCANALYTICS_NOW");
}

TEST_F(ClusterTest, OtlpMetricsGiveTheSameCodeActivity) {
  // One export a line, as `ingest --metrics` reads them.
  std::vector<std::string> exports = testing::make_random_metrics(20261205).requests;
  if (const auto dataset = testing::otlp_dataset())
    for (const std::string& body :
         testing::metric_requests(*dataset, {"metrics-1.json", "metrics-2.json"}))
      exports.push_back(body);
  const std::string file = (store_->folder() / "metrics.jsonl").string();
  {
    std::ofstream out(file);
    for (const std::string& body : exports) out << nlohmann::json::parse(body).dump() << "\n";
  }
  const auto [embedded_status, embedded_output] = test::run_command(
      kBinary + " ingest --db '" + store_->path() + "' --metrics '" + file + "' 2>&1");
  ASSERT_EQ(0, embedded_status) << embedded_output;
  const nlohmann::json first = ingest(" --metrics '" + file + "'");
  ASSERT_EQ(0, first["exit_code"]) << first.dump();
  const nlohmann::json& stored = first["metrics_files"][0];
  ASSERT_GT(stored["accepted"].get<uint64_t>(), 0u) << first.dump();
  const nlohmann::json again = ingest(" --metrics '" + file + "'");
  ASSERT_EQ(0, again["exit_code"]) << again.dump();
  EXPECT_EQ(0, again["metrics_files"][0]["accepted"]) << again.dump();
  EXPECT_EQ(stored["accepted"].get<uint64_t>() + stored["duplicates"].get<uint64_t>(),
            again["metrics_files"][0]["duplicates"])
      << again.dump();

  testing::TempStore control;
  testing::RunningServer embedded(testing::test_options(store_->path()));
  server::ServeOptions options = testing::test_options(control.path());
  options.clickhouse_url = store_url(2);  // another shard's server than the ingest's
  testing::RunningServer clustered(options);
  ASSERT_GT(get(clustered, "/api/v1/code")["lines_added"].get<double>(), 0);
  std::vector<std::string> targets = {"/api/v1/code", "/api/v1/code/metrics"};
  for (const char* by : {"language", "model", "tool", "email", "practice"})
    targets.push_back(std::string("/api/v1/code/breakdown?by=") + by);
  for (const char* bucket : {"hour", "day", "week"})
    targets.push_back(std::string("/api/v1/code/timeseries?bucket=") + bucket);
  const nlohmann::json people = get(embedded, "/api/v1/code/breakdown?by=email");
  ASSERT_FALSE(people["rows"].empty());
  const std::string email =
      httplib::detail::encode_query_param(people["rows"][0]["key"].get<std::string>());
  targets.push_back("/api/v1/code?email=" + email);
  targets.push_back("/api/v1/code/breakdown?by=language&email=" + email);
  for (const std::string& target : targets) {
    SCOPED_TRACE(target);
    EXPECT_TRUE(same_json(get(embedded, target), get(clustered, target), "$"));
  }
}

}  // namespace
}  // namespace cca::clickhouse
