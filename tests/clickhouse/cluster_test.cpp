// ccanalytics on a real ClickHouse cluster: ZooKeeper and four clickhouse-server processes on
// loopback (2 shards x 2 replicas, scripts/clickhouse.sh cluster-start), the tables replicated and
// sharded (URL parameter cluster=). An ingest through the binary loses a replica half-way; the
// replica comes back; the same file is delivered again. Nothing is lost, nothing doubled, every
// replica agrees, and the answers equal the embedded store's on the same data.
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
#include "clickhouse/same_answers.h"
#include "engine/analytics.h"
#include "engine/engine.h"
#include "engine/metric_check.h"
#include "engine/temp_store.h"
#include "support/test_support.h"

namespace cca::clickhouse {
namespace {

const std::string kScript = std::string(CCANALYTICS_SOURCE_DIR) + "/scripts/clickhouse.sh";
const std::string kBinary = CCANALYTICS_BINARY;

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
                          "' --num-users 60 --num-sessions 2500 --days 30 2>&1");
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
}

}  // namespace
}  // namespace cca::clickhouse
