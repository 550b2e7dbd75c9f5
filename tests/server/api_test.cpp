// Every endpoint over HTTP against the contract: shapes, filters, errors; answers checked against
// plain SQL over the same store.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/time_util.h"
#include "engine/metric_check.h"
#include "engine/metric_set.h"
#include "engine/random_store.h"
#include "engine/sql_oracle.h"
#include "engine/temp_store.h"
#include "server/running_server.h"
#include "support/test_support.h"

namespace cca::server {
namespace {

using nlohmann::json;

const char* const kMetricFields[] = {"events",
                                     "sessions",
                                     "users",
                                     "user_prompts",
                                     "api_requests",
                                     "api_errors",
                                     "tool_decisions",
                                     "tool_results",
                                     "api_aborts",
                                     "input_tokens",
                                     "output_tokens",
                                     "cache_read_tokens",
                                     "cache_creation_tokens",
                                     "cost_usd",
                                     "tool_accept_rate",
                                     "tool_success_rate",
                                     "api_error_rate",
                                     "api_failure_rate",
                                     "cost_per_session",
                                     "cost_per_1k_output_tokens",
                                     "cache_hit_ratio",
                                     "tokens_per_prompt"};

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = std::make_unique<testing::TempStore>();
    db_ = std::make_unique<store::Database>(store_->path());
    history_ = testing::make_random_history(7, 40);
    testing::StoreWriter writer(*db_);
    writer.replace_directory(history_.directory);
    writer.insert(history_.events);
    server_ = std::make_unique<testing::RunningServer>(testing::test_options(store_->path()));
    oracle_ = std::make_unique<testing::SqlOracle>(*db_);
  }
  static void TearDownTestSuite() {
    server_.reset();
    oracle_.reset();
    db_.reset();
    store_.reset();
  }

  // GET and parse; the status must be the expected one.
  static json get(const std::string& target, int status = 200) {
    auto client = server_->client();
    const auto response = client->Get(target);
    EXPECT_TRUE(response) << target;
    if (!response) return json();
    EXPECT_EQ(status, response->status) << target << " -> " << response->body;
    EXPECT_TRUE(response->has_header("Server-Timing")) << target;
    return json::parse(response->body);
  }

  // An error answer has the contract's shape.
  static void expect_error(const std::string& target, int status) {
    const json body = get(target, status);
    ASSERT_TRUE(body.contains("error")) << target;
    EXPECT_TRUE(body["error"]["code"].is_string()) << target;
    EXPECT_TRUE(body["error"]["message"].is_string()) << target;
  }

  static void expect_metrics(const testing::SqlMetrics& want, const json& got,
                             const std::string& context) {
    SCOPED_TRACE(context);
    for (const char* field : kMetricFields) EXPECT_TRUE(got.contains(field)) << field;
    EXPECT_EQ(want.events, got["events"].get<int64_t>());
    EXPECT_EQ(want.sessions, got["sessions"].get<int64_t>());
    EXPECT_EQ(want.users, got["users"].get<int64_t>());
    EXPECT_EQ(want.user_prompts, got["user_prompts"].get<int64_t>());
    EXPECT_EQ(want.api_requests, got["api_requests"].get<int64_t>());
    EXPECT_EQ(want.api_errors, got["api_errors"].get<int64_t>());
    EXPECT_EQ(want.tool_decisions, got["tool_decisions"].get<int64_t>());
    EXPECT_EQ(want.tool_results, got["tool_results"].get<int64_t>());
    EXPECT_EQ(want.api_aborts, got["api_aborts"].get<int64_t>());
    EXPECT_TRUE(testing::near_relative_value(want.cost_usd, got["cost_usd"].get<double>()));
    EXPECT_TRUE(testing::near_relative_value(want.input_tokens, got["input_tokens"].get<double>()));
    EXPECT_TRUE(testing::near_relative_value(want.cache_read_tokens,
                                             got["cache_read_tokens"].get<double>()));
    if (want.tool_decisions == 0) {
      EXPECT_TRUE(got["tool_accept_rate"].is_null());
    } else {
      EXPECT_TRUE(testing::near_relative_value(
          static_cast<double>(want.accepted_decisions) / want.tool_decisions,
          got["tool_accept_rate"].get<double>()));
    }
    if (want.api_requests + want.api_errors == 0) {
      EXPECT_TRUE(got["api_error_rate"].is_null());
    } else {
      EXPECT_TRUE(testing::near_relative_value(
          static_cast<double>(want.api_errors) / (want.api_requests + want.api_errors),
          got["api_error_rate"].get<double>()));
    }
    // User aborts are out of both sides of the failure rate.
    const int64_t failures = want.api_errors - want.api_aborts;
    if (want.api_requests + failures == 0) {
      EXPECT_TRUE(got["api_failure_rate"].is_null());
    } else {
      EXPECT_TRUE(testing::near_relative_value(
          static_cast<double>(failures) / static_cast<double>(want.api_requests + failures),
          got["api_failure_rate"].get<double>()));
    }
    const double denominator =
        want.cache_read_tokens + want.cache_creation_tokens + want.input_tokens;
    if (denominator > 0) {
      EXPECT_TRUE(testing::near_relative_value(want.cache_read_tokens / denominator,
                                               got["cache_hit_ratio"].get<double>()));
    }
    if (want.sessions > 0) {
      EXPECT_TRUE(testing::near_relative_value(want.cost_usd / want.sessions,
                                               got["cost_per_session"].get<double>()));
    }
  }

  static std::unique_ptr<testing::TempStore> store_;
  static std::unique_ptr<store::Database> db_;
  static testing::RandomHistory history_;
  static std::unique_ptr<testing::RunningServer> server_;
  static std::unique_ptr<testing::SqlOracle> oracle_;
};

std::unique_ptr<testing::TempStore> ApiTest::store_;
std::unique_ptr<store::Database> ApiTest::db_;
testing::RandomHistory ApiTest::history_;
std::unique_ptr<testing::RunningServer> ApiTest::server_;
std::unique_ptr<testing::SqlOracle> ApiTest::oracle_;

TEST_F(ApiTest, HealthCountsTheEvents) {
  const json health = get("/health");
  EXPECT_EQ("ok", health["status"]);
  EXPECT_EQ(oracle_->summary({}).events, health["events"].get<int64_t>());
}

TEST_F(ApiTest, SummaryCarriesTheMetricSetAndTheTimeSpan) {
  const json summary = get("/api/v1/summary");
  expect_metrics(oracle_->summary({}), summary, "summary");
  EXPECT_EQ(format_rfc3339_ms(*oracle_->data_first_time()), summary["first_event"]);
  EXPECT_EQ(format_rfc3339_ms(*oracle_->data_last_time()), summary["last_event"]);
}

TEST_F(ApiTest, DatesCoverWholeUtcDaysAndInstantsAreExclusive) {
  engine::Filter days;
  days.from_ms = days_from_civil(2026, 1, 5) * kMsPerDay;
  days.to_ms = days_from_civil(2026, 1, 8) * kMsPerDay;  // 5, 6 and 7 January
  expect_metrics(oracle_->summary(days), get("/api/v1/summary?from=2026-01-05&to=2026-01-07"),
                 "date range");
  engine::Filter instants;
  instants.from_ms = *parse_rfc3339_ms("2026-01-05T10:30:00Z");
  instants.to_ms = *parse_rfc3339_ms("2026-01-06T01:00:00Z");
  expect_metrics(oracle_->summary(instants),
                 get("/api/v1/summary?from=2026-01-05T12:30:00%2B02:00&to=2026-01-06T01:00:00Z"),
                 "instants with an offset");
  const json empty = get("/api/v1/summary?from=2030-01-01");
  EXPECT_EQ(0, empty["events"]);
  EXPECT_TRUE(empty["first_event"].is_null());
  EXPECT_TRUE(empty["tool_accept_rate"].is_null());
}

TEST_F(ApiTest, FiltersCombineAndListsMeanAnyOf) {
  engine::Filter filter;
  filter.practice = {"Data Engineering", "ML Engineering"};
  filter.email = {"USER1@example.com", "user2@example.com", "user5@example.com"};
  filter.terminal = {"vscode", "iTerm2", "pycharm"};
  expect_metrics(oracle_->summary(filter),
                 get("/api/v1/summary?practice=Data%20Engineering,ML%20Engineering"
                     "&email=USER1@example.com,user2@example.com&email=user5@example.com"
                     "&terminal=vscode,iTerm2,pycharm"),
                 "combined filters");
  engine::Filter model;
  model.model = {"claude-opus-4-6"};
  const json by_model = get("/api/v1/summary?model=claude-opus-4-6");
  expect_metrics(oracle_->summary(model), by_model, "model filter");
  EXPECT_EQ(0, by_model["tool_results"]) << "events without a model never match a model filter";
}

TEST_F(ApiTest, BreakdownEveryDimension) {
  for (const char* by :
       {"practice", "level", "location", "model", "tool", "email", "terminal", "event_type",
        "version", "os", "status_code", "decision_source", "attempt", "error"}) {
    const json answer = get(std::string("/api/v1/breakdown?by=") + by);
    EXPECT_EQ(by, answer["by"]);
    const auto expected = oracle_->grouped({}, testing::SqlOracle::dimension_sql(by));
    ASSERT_EQ(expected.size(), answer["rows"].size()) << by;
    int64_t previous = INT64_MAX;
    for (const json& row : answer["rows"]) {
      const std::string key = row["key"];
      ASSERT_TRUE(expected.count(key)) << by << " " << key;
      expect_metrics(expected.at(key), row, std::string(by) + " " + key);
      EXPECT_LE(row["events"].get<int64_t>(), previous);
      previous = row["events"];
    }
  }
  const json limited = get("/api/v1/breakdown?by=email&sort=cost_usd&limit=3");
  ASSERT_EQ(3u, limited["rows"].size());
  EXPECT_GE(limited["rows"][0]["cost_usd"].get<double>(),
            limited["rows"][1]["cost_usd"].get<double>());
}

TEST_F(ApiTest, TimeseriesIsDenseAndSplits) {
  const json day = get("/api/v1/timeseries?bucket=day&from=2026-01-03&to=2026-01-09");
  ASSERT_EQ(7u, day["points"].size());
  EXPECT_EQ("2026-01-03T00:00:00Z", day["points"][0]["t"]);
  EXPECT_EQ("2026-01-09T00:00:00Z", day["points"][6]["t"]);
  const json week = get("/api/v1/timeseries?bucket=week&from=2026-01-07&to=2026-01-20");
  ASSERT_EQ(3u, week["points"].size());
  EXPECT_EQ("2026-01-05T00:00:00Z", week["points"][0]["t"]) << "weeks start on Monday";
  const json hour =
      get("/api/v1/timeseries?bucket=hour&from=2026-01-04T10:30:00Z&to=2026-01-04T13:00:00Z");
  ASSERT_EQ(3u, hour["points"].size());
  engine::Filter first_hour;
  first_hour.from_ms = *parse_rfc3339_ms("2026-01-04T10:30:00Z");
  first_hour.to_ms = *parse_rfc3339_ms("2026-01-04T11:00:00Z");
  expect_metrics(oracle_->summary(first_hour), hour["points"][0], "partial first hour");

  const json split = get("/api/v1/timeseries?bucket=day&split=model&split_limit=2");
  EXPECT_EQ("model", split["split"]);
  ASSERT_EQ(2u, split["series"].size());
  EXPECT_EQ(split["points"].size(), split["series"][0]["points"].size());
}

TEST_F(ApiTest, EventFiltersSelectToolAndErrorEvents) {
  engine::Filter tool;
  tool.tool = {"Bash", "Edit"};
  const json by_tool = get("/api/v1/summary?tool=Bash,Edit");
  expect_metrics(oracle_->summary(tool), by_tool, "tool filter");
  EXPECT_EQ(0, by_tool["api_requests"]) << "events without a tool never match a tool filter";
  EXPECT_GT(by_tool["tool_results"].get<int64_t>(), 0);

  engine::Filter errors;
  errors.status_code = {"undefined"};
  errors.error = {"Request was aborted.", "Internal server error"};
  const json answer =
      get("/api/v1/"
          "summary?status_code=undefined&error=Request%20was%20aborted.&error=Internal%20server%"
          "20error");
  expect_metrics(oracle_->summary(errors), answer, "status code and error filters");
  EXPECT_EQ(answer["events"], answer["api_errors"]);

  // Every endpoint that takes filters takes them; the sessions are those with matching events.
  const json sessions = get("/api/v1/sessions?status_code=429&limit=1000");
  engine::Filter rate_limited;
  rate_limited.status_code = {"429"};
  EXPECT_EQ(oracle_->sessions(rate_limited).size(), sessions["total"].get<size_t>());
  const json by_error = get("/api/v1/breakdown?by=error&tool=Read");
  EXPECT_TRUE(by_error["rows"].empty()) << "tool events carry no error";
}

TEST_F(ApiTest, ComparePreviousPeriod) {
  // 5..11 January against 29 December..4 January.
  const std::string range = "from=2026-01-05&to=2026-01-11";
  engine::Filter before;
  before.from_ms = days_from_civil(2025, 12, 29) * kMsPerDay;
  before.to_ms = days_from_civil(2026, 1, 5) * kMsPerDay;
  engine::Filter now;
  now.from_ms = days_from_civil(2026, 1, 5) * kMsPerDay;
  now.to_ms = days_from_civil(2026, 1, 12) * kMsPerDay;

  const json summary = get("/api/v1/summary?compare=previous&" + range);
  expect_metrics(oracle_->summary(now), summary, "this period");
  expect_metrics(oracle_->summary(before), summary["previous"], "previous period");
  EXPECT_EQ(format_rfc3339_ms(*before.from_ms), summary["previous_range"]["from"]);
  EXPECT_EQ(format_rfc3339_ms(*before.to_ms), summary["previous_range"]["to"]);

  const json breakdown = get("/api/v1/breakdown?by=email&compare=previous&limit=5&" + range);
  const auto now_by = oracle_->grouped(now, "e.user");
  const auto before_by = oracle_->grouped(before, "e.user");
  ASSERT_EQ(std::min<size_t>(5, now_by.size()), breakdown["rows"].size());
  for (const json& row : breakdown["rows"]) {
    const std::string key = row["key"];
    expect_metrics(now_by.at(key), row, key);
    const auto it = before_by.find(key);
    expect_metrics(it == before_by.end() ? testing::SqlMetrics{} : it->second, row["previous"],
                   key + " before");
  }
  std::vector<std::string> gone;
  for (const auto& [key, metrics] : before_by)
    if (!now_by.count(key)) gone.push_back(key);
  std::vector<std::string> listed;
  for (const json& row : breakdown["previous_only"]) {
    listed.push_back(row["key"]);
    expect_metrics(before_by.at(row["key"]), row["previous"], "gone " + listed.back());
    EXPECT_FALSE(row.contains("events")) << "a key gone has only its previous figures";
  }
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(std::vector<std::string>(gone.begin(), gone.begin() + std::min<size_t>(5, gone.size()))
                .size(),
            listed.size());
  for (const std::string& key : listed)
    EXPECT_TRUE(std::count(gone.begin(), gone.end(), key)) << key;

  const json series =
      get("/api/v1/timeseries?bucket=day&split=model&split_limit=2&compare=previous&" + range);
  ASSERT_EQ(7u, series["points"].size());
  for (size_t day = 0; day < 7; ++day) {
    engine::Filter earlier;
    earlier.from_ms = *before.from_ms + static_cast<int64_t>(day) * kMsPerDay;
    earlier.to_ms = *earlier.from_ms + kMsPerDay;
    expect_metrics(oracle_->summary(earlier), series["points"][day]["previous"],
                   "bucket " + std::to_string(day) + " a week earlier");
    for (const json& one : series["series"]) {
      engine::Filter model = earlier;
      model.model = {one["key"].get<std::string>()};
      expect_metrics(oracle_->summary(model), one["points"][day]["previous"],
                     one["key"].get<std::string>() + " a week earlier");
    }
  }
  // Refused: without both ends, another value, or buckets that do not fit the period.
  expect_error("/api/v1/summary?compare=previous&from=2026-01-05", 400);
  expect_error("/api/v1/summary?compare=last_year&" + range, 400);
  expect_error("/api/v1/timeseries?bucket=week&compare=previous&from=2026-01-05&to=2026-01-14",
               400);
  expect_error("/api/v1/heatmap?compare=previous&" + range, 400);
}

TEST_F(ApiTest, LatencyOverTime) {
  const json answer =
      get("/api/v1/latency/timeseries?of=api_request&bucket=day&from=2026-01-03&to=2026-01-06");
  ASSERT_EQ(4u, answer["points"].size());
  for (size_t day = 0; day < 4; ++day) {
    engine::Filter filter;
    filter.from_ms = days_from_civil(2026, 1, 3 + static_cast<int>(day)) * kMsPerDay;
    filter.to_ms = *filter.from_ms + kMsPerDay;
    std::vector<double> sorted;
    for (const auto& [model, values] : oracle_->durations(filter, true))
      sorted.insert(sorted.end(), values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    const json& point = answer["points"][day];
    ASSERT_EQ(sorted.size(), point["count"].get<size_t>());
    if (sorted.empty()) {
      EXPECT_TRUE(point["p95"].is_null());
    } else {
      EXPECT_EQ(testing::nearest_rank(sorted, 50), point["p50"].get<double>());
      EXPECT_EQ(testing::nearest_rank(sorted, 95), point["p95"].get<double>());
    }
  }
  expect_error("/api/v1/latency/timeseries?of=user_prompt", 400);
  expect_error("/api/v1/latency/timeseries?of=tool_result&measure=ttft_ms", 400);
}

TEST_F(ApiTest, ServeRefusesAPortAnotherServerHolds) {
  // Two `serve` processes, as a user would start them. Without the refusal the second binds beside
  // the first (SO_REUSEPORT) and the two share the connections; `timeout` then ends it with 124.
  int port = 0;
  {  // a free port, released before the first server takes it
    const int probe = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(0, bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address));
    ASSERT_EQ(0, getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length));
    port = ntohs(address.sin_port);
    close(probe);
  }
  // A store of their own: the suite's server holds its store's lock.
  const testing::TempStore store;
  const std::string serve = std::string(CCANALYTICS_BINARY) + " serve --otlp-grpc-port 0 --db '" +
                            store.path() + "' --port " + std::to_string(port);
  // posix_spawn, not fork: this process runs gRPC, whose fork handlers must not run here.
  const std::string shell_command = "exec " + serve + " >/dev/null 2>&1";
  const char* argv[] = {"sh", "-c", shell_command.c_str(), nullptr};
  pid_t first = 0;
  ASSERT_EQ(
      0, posix_spawn(&first, "/bin/sh", nullptr, nullptr, const_cast<char* const*>(argv), environ));
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2);
  client.set_read_timeout(5);
  bool up = false;
  for (int attempt = 0; attempt < 200 && !up; ++attempt) {
    const auto health = client.Get("/health");
    up = health && health->status == 200;
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(up) << "the first server did not start";
  const auto [status, output] = test::run_command("timeout 20 " + serve);
  EXPECT_NE(0, status) << output;
  EXPECT_NE(124, status) << "the second server started: " << output;
  EXPECT_NE(std::string::npos, output.find("port " + std::to_string(port))) << output;
  const auto health = client.Get("/health");
  EXPECT_TRUE(health && health->status == 200) << "the first server still answers";
  kill(first, SIGTERM);
  waitpid(first, nullptr, 0);
}

TEST_F(ApiTest, MetricsParameterChoosesTheFieldsOfEveryMetricSet) {
  const auto only = [](const json& object, std::vector<std::string> keys) {
    std::vector<std::string> got;
    for (const auto& [key, value] : object.items()) got.push_back(key);
    std::sort(got.begin(), got.end());
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, got);
  };
  const json series =
      get("/api/v1/timeseries?bucket=week&split=model&split_limit=2&metrics=events,cost_usd");
  const json full = get("/api/v1/timeseries?bucket=week&split=model&split_limit=2");
  ASSERT_EQ(full["points"].size(), series["points"].size());
  for (size_t i = 0; i < series["points"].size(); ++i) {
    only(series["points"][i], {"t", "events", "cost_usd"});
    EXPECT_EQ(full["points"][i]["events"], series["points"][i]["events"]);
    EXPECT_EQ(full["points"][i]["cost_usd"], series["points"][i]["cost_usd"]);
  }
  ASSERT_EQ(2u, series["series"].size());
  only(series["series"][1]["points"][0], {"t", "events", "cost_usd"});
  const json heatmap = get("/api/v1/heatmap?metrics=cache_hit_ratio");
  only(heatmap["cells"][0], {"weekday", "hour", "cache_hit_ratio"});
  const json breakdown = get("/api/v1/breakdown?by=model&metrics=users");
  only(breakdown["rows"][0], {"key", "users"});
  const json summary = get("/api/v1/summary?metrics=tool_success_rate");
  only(summary, {"first_event", "last_event", "tool_success_rate"});
  EXPECT_EQ(get("/api/v1/summary")["tool_success_rate"], summary["tool_success_rate"]);
  expect_error("/api/v1/heatmap?metrics=events,happiness", 400);
  expect_error("/api/v1/heatmap?metrics=", 400);
  expect_error("/api/v1/heatmap?metrics=events,", 400);
  expect_error("/api/v1/users?metrics=events", 400);
}

TEST_F(ApiTest, HeatmapHasAllCells) {
  const json heatmap = get("/api/v1/heatmap");
  ASSERT_EQ(168u, heatmap["cells"].size());
  int64_t events = 0;
  std::set<std::pair<int, int>> seen;
  for (const json& cell : heatmap["cells"]) {
    seen.insert({cell["weekday"].get<int>(), cell["hour"].get<int>()});
    events += cell["events"].get<int64_t>();
  }
  EXPECT_EQ(168u, seen.size());
  EXPECT_EQ(oracle_->summary({}).events, events);
}

TEST_F(ApiTest, SessionsPageAndDetail) {
  const auto expected = oracle_->sessions({});
  const json page = get("/api/v1/sessions?limit=5&offset=2&sort=events&order=asc");
  EXPECT_EQ(static_cast<int64_t>(expected.size()), page["total"].get<int64_t>());
  ASSERT_EQ(5u, page["rows"].size());
  for (const json& row : page["rows"]) {
    for (const char* field : {"session_id", "email", "practice", "level", "location", "terminal",
                              "start", "end", "duration_s"})
      EXPECT_TRUE(row.contains(field)) << field;
    const auto& want = expected.at(row["session_id"].get<std::string>());
    expect_metrics(want.metrics, row, row["session_id"]);
    EXPECT_DOUBLE_EQ((want.end_ms - want.start_ms) / 1000.0, row["duration_s"].get<double>());
  }
  const std::string id = page["rows"][0]["session_id"];
  const json detail = get("/api/v1/sessions/" + id);
  EXPECT_EQ(id, detail["session_id"]);
  ASSERT_EQ(detail["events"].size(), detail["events"].size());
  EXPECT_EQ(detail["events"].size(), detail["events"].size());
  EXPECT_EQ(expected.at(id).metrics.events, static_cast<int64_t>(detail["events"].size()));
  for (const json& event : detail["events"]) {
    EXPECT_TRUE(event.contains("t"));
    EXPECT_TRUE(event.contains("event"));
    EXPECT_FALSE(event.contains("prompt")) << "prompt text is never served";
  }
  expect_error("/api/v1/sessions/no-such-session", 404);
}

TEST_F(ApiTest, UsersLeaderboardAndProfile) {
  const auto expected = oracle_->users({});
  const json page = get("/api/v1/users?limit=100&sort=events");
  EXPECT_EQ(static_cast<int64_t>(expected.size()), page["total"].get<int64_t>());
  for (const json& row : page["rows"]) {
    const auto& want = expected.at(row["email"].get<std::string>());
    expect_metrics(want.metrics, row, row["email"]);
    EXPECT_EQ(want.active_days, row["active_days"].get<int64_t>());
    EXPECT_EQ(want.practice, row["practice"]);
  }
  const json profile = get("/api/v1/users/USER1@example.com");
  EXPECT_EQ("user1@example.com", profile["email"]);
  ASSERT_TRUE(profile["calendar"].is_array());
  int64_t events = 0;
  for (const json& day : profile["calendar"]) events += day["events"].get<int64_t>();
  EXPECT_EQ(expected.at("user1@example.com").metrics.events, events);
  expect_error("/api/v1/users/nobody@example.com", 404);
}

TEST_F(ApiTest, LatencyDistributionFacets) {
  const json latency = get("/api/v1/latency?by=model");
  const auto durations = oracle_->durations({}, true);
  ASSERT_EQ(durations.size(), latency["rows"].size());
  for (const json& row : latency["rows"]) {
    const auto& sorted = durations.at(row["key"].get<std::string>());
    EXPECT_EQ(testing::nearest_rank(sorted, 95), row["p95"].get<double>());
    EXPECT_EQ(sorted.size(), row["count"].get<size_t>());
  }
  const json distribution = get("/api/v1/distribution?of=session_prompts&bins=4");
  EXPECT_EQ(static_cast<int64_t>(oracle_->sessions({}).size()),
            distribution["count"].get<int64_t>());
  EXPECT_EQ(4u, distribution["bins"].size());
  const json facets = get("/api/v1/facets");
  for (const char* name : {"practice", "level", "location", "model", "email", "terminal", "tool",
                           "status_code", "error"})
    EXPECT_TRUE(facets[name].is_array()) << name;
  EXPECT_EQ(oracle_->distinct({}, "e.model"), facets["model"].get<std::vector<std::string>>());
  for (const auto& [error, events] : oracle_->counted({}, "e.error"))
    EXPECT_EQ(events, facets["counts"]["error"][error].get<int64_t>()) << error;
  EXPECT_EQ(facets["error"].size(), facets["counts"]["error"].size());
}

TEST_F(ApiTest, EmployeesQualityAndExport) {
  const json employees = get("/api/v1/employees");
  EXPECT_EQ(history_.directory.size(), employees["total"].get<size_t>());
  const json quality = get("/api/v1/quality");
  for (const char* field : {"totals", "ingests", "rejected_by_reason", "quarantine_sample"})
    EXPECT_TRUE(quality.contains(field)) << field;

  auto client = server_->client();
  const auto csv = client->Get("/api/v1/export.csv?view=breakdown&by=model");
  ASSERT_TRUE(csv);
  EXPECT_EQ(200, csv->status);
  EXPECT_EQ(0u, csv->get_header_value("Content-Type").find("text/csv"));
  EXPECT_EQ(0u, csv->body.find("key,events,sessions,users,"));
  size_t lines = 0;
  for (const char c : csv->body) lines += c == '\n';
  EXPECT_EQ(oracle_->grouped({}, "e.model").size() + 1, lines);
  const auto sessions = client->Get("/api/v1/export.csv?view=sessions&sort=end");
  ASSERT_TRUE(sessions);
  lines = 0;
  for (const char c : sessions->body) lines += c == '\n';
  EXPECT_EQ(oracle_->sessions({}).size() + 1, lines);
  expect_error("/api/v1/export.csv?view=everything", 400);
  expect_error("/api/v1/export.csv?view=users&by=model", 400);
}

TEST_F(ApiTest, BadRequestsAreRefusedWithTheErrorBody) {
  expect_error("/api/v1/summary?colour=blue", 400);
  expect_error("/api/v1/summary?from=2026-13-01", 400);
  expect_error("/api/v1/summary?from=2026-02-30", 400);
  expect_error("/api/v1/summary?from=yesterday", 400);
  expect_error("/api/v1/summary?to=2026-01-05T25:00:00Z", 400);
  expect_error("/api/v1/summary?from=2026-01-10&to=2026-01-05", 400);
  expect_error("/api/v1/summary?from=2026-01-10T00:00:00Z&to=2026-01-09", 400);
  expect_error("/api/v1/breakdown", 400);
  expect_error("/api/v1/breakdown?by=colour", 400);
  expect_error("/api/v1/breakdown?by=model&sort=happiness", 400);
  expect_error("/api/v1/breakdown?by=model&by=tool", 400);
  expect_error("/api/v1/timeseries?bucket=month", 400);
  expect_error("/api/v1/timeseries?bucket=hour&from=1970-01-01&to=2100-01-01", 400);
  expect_error("/api/v1/sessions?limit=0", 400);
  expect_error("/api/v1/sessions?limit=1000000", 400);
  expect_error("/api/v1/sessions?limit=99999999999999999999999", 400);
  expect_error("/api/v1/sessions?limit=-5", 400);
  expect_error("/api/v1/sessions?limit=1e3", 400);
  expect_error("/api/v1/sessions?offset=abc", 400);
  expect_error("/api/v1/sessions?order=sideways", 400);
  expect_error("/api/v1/users?sort=shoe_size", 400);
  expect_error("/api/v1/latency?by=colour", 400);
  expect_error("/api/v1/distribution?of=everything", 400);
  expect_error("/api/v1/summary?practice=%FF%FE", 400);
  expect_error("/api/v1/summary?%C0%AF=1", 400);
  expect_error("/api/v1/nothing-here", 404);
  expect_error("/v1/nothing-here", 404);
  expect_error("/api/v1/sessions/a/b", 404);
  expect_error("/%2e%2e/%2e%2e/etc/passwd", 400);
  expect_error("/assets/%2e%2e/%2e%2e/etc/passwd", 400);
  expect_error("/api/v1/sessions/..%2F..%2Fetc%2Fpasswd", 400);
  expect_error("/assets/no-such-file.js", 404);
  expect_error("/api/v1/ingest", 405);

  auto client = server_->client();
  const auto post = client->Post("/api/v1/summary", "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(405, post->status);
  EXPECT_TRUE(json::parse(post->body).contains("error"));
  const auto del = client->Delete("/api/v1/summary");
  ASSERT_TRUE(del);
  EXPECT_GE(del->status, 400);
  EXPECT_TRUE(json::parse(del->body).contains("error"));
}

TEST_F(ApiTest, CachedAnswersEqualFreshOnesAndSayWhichTheyAre) {
  auto client = server_->client();
  const std::string target = "/api/v1/breakdown?by=tool&from=2026-01-02";
  const auto first = client->Get(target);
  const auto second = client->Get(target);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, second->body);
  EXPECT_NE(std::string::npos, second->get_header_value("Server-Timing").find("hit"));
  const auto other_order = client->Get("/api/v1/breakdown?from=2026-01-02&by=tool");
  ASSERT_TRUE(other_order);
  EXPECT_EQ(first->body, other_order->body);
}

TEST_F(ApiTest, MetricsInPrometheusFormat) {
  get("/api/v1/summary");
  auto client = server_->client();
  const auto metrics = client->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(200, metrics->status);
  const std::string& text = metrics->body;
  EXPECT_NE(std::string::npos,
            text.find("ccanalytics_http_requests_total{route=\"/api/v1/summary\",status=\"200\"}"));
  EXPECT_NE(
      std::string::npos,
      text.find("ccanalytics_http_request_duration_seconds_bucket{route=\"/api/v1/summary\""));
  EXPECT_NE(std::string::npos, text.find("ccanalytics_store_size_bytes "));
  EXPECT_NE(std::string::npos, text.find("ccanalytics_rejected_events_total "));
  EXPECT_NE(std::string::npos,
            text.find("ccanalytics_events_loaded " + std::to_string(oracle_->summary({}).events)));
}

}  // namespace
}  // namespace cca::server
