// `ccanalytics backup` while a real server takes OTLP exports from `ccanalytics replay`: every
// backup is one committed state; restored elsewhere and served, it answers what its own SQL says.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "support/test_support.h"
#include "system/generated_data.h"
#include "system/process.h"

namespace cca::system_test {
namespace {

using nlohmann::json;

json get_json(const std::string& host_port_url, const std::string& target) {
  httplib::Client client(host_port_url);
  client.set_read_timeout(60, 0);
  const auto answer = client.Get(target);
  if (!answer || answer->status != 200)
    throw std::runtime_error(target + " failed: " + (answer ? answer->body : "no answer"));
  return json::parse(answer->body);
}

// Events of `backup` missing from `store`: a committed state of the store never holds one.
int64_t events_not_in(const std::string& backup, const std::string& store) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(backup.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_exec(db, ("ATTACH '" + store + "' AS final").c_str(), nullptr, nullptr, nullptr);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT count(*) FROM events b WHERE NOT EXISTS (SELECT 1 FROM final.events f "
                     "WHERE f.key_hi = b.key_hi AND f.key_lo = b.key_lo)",
                     -1, &statement, nullptr);
  const int64_t missing =
      sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : -1;
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return missing;
}

TEST(BackupRestore, BackupsWhileExportsStreamInAreCommittedStatesAndServeAfterRestore) {
  test::TempDir dir;
  const GeneratedData data = generate_data(dir.file("data"), 20, 400, 30, "2026-02-01");
  const int64_t total = static_cast<int64_t>(event_times_ms(data.telemetry).size());
  const std::string store = dir.file("live.db");

  ServeProcess server(store);
  // 30 days at 200,000 times real time: about 13 s of exports, whatever the machine's speed.
  Process replay({"replay", "--telemetry", data.telemetry, "--endpoint", server.url(), "--protocol",
                  "http/protobuf", "--exporters", "2", "--speed", "200000"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (get_json(server.url(), "/health")["events"].get<int64_t>() == 0) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << replay.err();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }

  std::vector<std::string> backups;
  while (replay.running() && backups.size() < 4) {
    const std::string backup = dir.file("backup-" + std::to_string(backups.size()) + ".db");
    const Finished taken = run({"backup", "--db", store, "--to", backup});
    ASSERT_EQ(taken.exit_code, 0) << taken.err;
    EXPECT_NE(taken.out.find("integrity ok"), std::string::npos) << taken.out;
    backups.push_back(backup);
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  ASSERT_EQ(replay.wait(), 0) << replay.err();
  EXPECT_EQ(json::parse(replay.out())["records_sent"].get<int64_t>(), total);
  EXPECT_EQ(test::sql_int(store, "SELECT count(*) FROM events"), total);

  ASSERT_FALSE(backups.empty());
  for (const std::string& backup : backups) {
    EXPECT_EQ(test::sql_text(backup, "PRAGMA integrity_check"), "ok") << backup;
    // Each export commits its events and its counts in the ingest log together: in a committed
    // state the two agree.
    const int64_t events = test::sql_int(backup, "SELECT count(*) FROM events");
    EXPECT_EQ(events, test::sql_int(backup,
                                    "SELECT ifnull(sum(accepted), 0) FROM ingests "
                                    "WHERE source = 'otlp' AND status = 'complete'"))
        << backup;
    EXPECT_EQ(events_not_in(backup, store), 0) << backup;
  }
  // The first backup was taken after the first export and long before the last.
  const std::string& mid_stream = backups.front();
  const int64_t backed_up = test::sql_int(mid_stream, "SELECT count(*) FROM events");
  EXPECT_GT(backed_up, 0);
  EXPECT_LT(backed_up, total);

  // Restore: into a new path; not over an existing store without --force; never under a server.
  const std::string restored = dir.file("restored.db");
  const Finished restore = run({"restore", "--db", restored, "--from", mid_stream});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  const Finished again = run({"restore", "--db", restored, "--from", mid_stream});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
  const Finished under_server = run({"restore", "--db", store, "--from", mid_stream, "--force"});
  EXPECT_NE(under_server.exit_code, 0);
  EXPECT_NE(under_server.err.find("in use"), std::string::npos) << under_server.err;
  EXPECT_EQ(get_json(server.url(), "/health")["events"].get<int64_t>(), total);
  EXPECT_EQ(server.stop(), 0);

  ServeProcess restored_server(restored);
  const json summary = get_json(restored_server.url(), "/api/v1/summary");
  EXPECT_EQ(summary["events"].get<int64_t>(), backed_up);
  EXPECT_EQ(summary["users"].get<int64_t>(),
            test::sql_int(mid_stream, "SELECT count(DISTINCT user_id) FROM events"));
  const double cost = test::sql_double(
      mid_stream, "SELECT sum(cost_usd) FROM events_decoded WHERE event_name = 'api_request'");
  EXPECT_NEAR(summary["cost_usd"].get<double>(), cost, 1e-6 * cost);
}

}  // namespace
}  // namespace cca::system_test
