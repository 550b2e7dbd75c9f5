// serve --retention-days and ingest --retention-days: what is older than the window leaves the
// store and the answers, counted against the generated files read independently.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/running_server.h"
#include "support/test_support.h"
#include "system/generated_data.h"
#include "system/process.h"

namespace cca::system_test {
namespace {

using nlohmann::json;

constexpr const char* kNow = "2026-02-01T00:00:00Z";
constexpr int kDays = 10;

struct Expected {
  int64_t cutoff_ms = utc_ms("2026-01-22T00:00:00.000Z");  // kNow - kDays
  int64_t events = 0, all_events = 0;
  int64_t points = 0;
  double active_time_s = 0, lines_added = 0;
};

Expected expected_after_retention(const GeneratedData& data) {
  Expected expected;
  for (const int64_t time : event_times_ms(data.telemetry)) {
    ++expected.all_events;
    expected.events += time >= expected.cutoff_ms;
  }
  for (const DataPoint& point : data_points(data.metrics)) {
    if (point.time_ns < expected.cutoff_ms * 1'000'000) continue;
    ++expected.points;
    if (point.metric == "claude_code.active_time.total") expected.active_time_s += point.value;
    if (point.metric == "claude_code.lines_of_code.count" && point.type == "added")
      expected.lines_added += point.value;
  }
  return expected;
}

json get_json(httplib::Client& client, const std::string& target) {
  const auto answer = client.Get(target);
  if (!answer || answer->status != 200)
    throw std::runtime_error(target + " failed: " + (answer ? answer->body : "no answer"));
  return json::parse(answer->body);
}

// Five api_request events from 2026-01-05, older than the window.
std::string old_events_body() {
  std::vector<json> events;
  for (int i = 0; i < 5; ++i) {
    json attributes = test::base_attributes("api_request", "late-session");
    attributes["event.timestamp"] = "2026-01-05T10:00:0" + std::to_string(i) + ".000Z";
    attributes["model"] = "claude-opus-4-6";
    attributes["cost_usd"] = "0.25";
    events.push_back(test::log_event("late-" + std::to_string(i),
                                     utc_ms("2026-01-05T10:00:00.000Z"),
                                     test::message(attributes)));
  }
  return test::batch_line(events) + "\n";
}

TEST(RetentionServe, DeletesAtStartThenEveryIntervalAndTheAnswersFollow) {
  test::TempDir dir;
  const GeneratedData data = generate_data(dir.file("data"), 8, 120, 30, "2026-02-01");
  const std::string db = dir.file("store.db");
  const Finished ingested = run({"ingest", "--db", db, "--telemetry", data.telemetry, "--metrics",
                                 data.metrics, "--employees", data.employees});
  ASSERT_EQ(ingested.exit_code, 0) << ingested.err;
  const Expected expected = expected_after_retention(data);
  ASSERT_EQ(test::sql_int(db, "SELECT count(*) FROM events"), expected.all_events);
  ASSERT_GT(expected.events, 0);
  ASSERT_LT(expected.events, expected.all_events);

  ::setenv("CCANALYTICS_NOW", kNow, 1);
  server::ServeOptions options = testing::test_options(db);
  options.retention_days = kDays;
  options.retention_interval = std::chrono::milliseconds(300);
  testing::RunningServer server(options);
  auto client = server.client();

  const json summary = get_json(*client, "/api/v1/summary");
  EXPECT_EQ(summary["events"].get<int64_t>(), expected.events);
  EXPECT_GE(summary["first_event"].get<std::string>(), "2026-01-22T00:00:00");
  const json code = get_json(*client, "/api/v1/code");
  EXPECT_NEAR(code["active_time_s"].get<double>(), expected.active_time_s,
              1e-6 * expected.active_time_s);
  EXPECT_NEAR(code["lines_added"].get<double>(), expected.lines_added, 1e-6 * expected.lines_added);
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events"), expected.events);
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM metric_points"), expected.points);
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM ingests"), 3);  // the log is kept
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM employees"), 8);

  // Events older than the window that arrive later are stored, then deleted by the next run; the
  // server's engine lets them go, and its writer forgets their keys, so they are taken again.
  for (int round = 0; round < 2; ++round) {
    const auto posted = client->Post("/api/v1/ingest", old_events_body(), "application/x-ndjson");
    ASSERT_TRUE(posted && posted->status == 200) << (posted ? posted->body : "no answer");
    EXPECT_EQ(json::parse(posted->body)["accepted"].get<int>(), 5) << "round " << round;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (get_json(*client, "/api/v1/summary")["events"].get<int64_t>() != expected.events) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the late events were not removed";
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events WHERE time_ms < " +
                                    std::to_string(expected.cutoff_ms)),
              0);
  }
  EXPECT_EQ(test::sql_text(db, "PRAGMA integrity_check"), "ok");
}

TEST(RetentionServe, IngestWithRetentionDaysDeletesAfterLoading) {
  test::TempDir dir;
  const GeneratedData data = generate_data(dir.file("data"), 6, 80, 30, "2026-02-01");
  const Expected expected = expected_after_retention(data);
  const std::string db = dir.file("store.db");
  const Finished ingested = run({"ingest", "--db", db, "--telemetry", data.telemetry, "--metrics",
                                 data.metrics, "--retention-days", std::to_string(kDays), "--json"},
                                {{{"CCANALYTICS_NOW", kNow}}});
  ASSERT_EQ(ingested.exit_code, 0) << ingested.err;
  const std::string out = ingested.out.substr(0, ingested.out.find_last_not_of('\n') + 1);
  const json report = json::parse(out.substr(out.rfind('\n') + 1));
  EXPECT_EQ(report["accepted"].get<int64_t>(), expected.all_events);
  EXPECT_EQ(report["retention"]["events"].get<int64_t>(), expected.all_events - expected.events);
  EXPECT_EQ(report["retention"]["cutoff"].get<std::string>(), "2026-01-22T00:00:00Z");
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events"), expected.events);
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM metric_points"), expected.points);

  const Finished bad_now =
      run({"ingest", "--db", db, "--retention-days", "3"}, {{{"CCANALYTICS_NOW", "next tuesday"}}});
  EXPECT_NE(bad_now.exit_code, 0);
  EXPECT_NE(bad_now.err.find("CCANALYTICS_NOW"), std::string::npos) << bad_now.err;
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events"), expected.events);
}

}  // namespace
}  // namespace cca::system_test
