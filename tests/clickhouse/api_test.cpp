// `serve --clickhouse` against `serve --db` over the same generated data, ingested by the binary
// into each store: every question ClickHouse answers gets the same JSON, under random filters;
// code activity from the generated OTLP metrics included; the ones it does not answer yet say so
// with a 501; a ClickHouse that cannot answer is a 503.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "clickhouse/client.h"
#include "clickhouse/same_json.h"
#include "clickhouse/test_database.h"
#include "engine/temp_store.h"
#include "server/running_server.h"
#include "support/test_support.h"

namespace cca::clickhouse {
namespace {

using nlohmann::json;

constexpr const char* kNow = "2026-02-10T12:00:00Z";

class ClickHouseApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = TestDatabase::create("api");
    if (!database_) return;
    setenv("CCANALYTICS_NOW", kNow, 1);
    store_ = std::make_unique<testing::TempStore>();
    control_ = std::make_unique<testing::TempStore>();
    const std::string data = (store_->folder() / "data").string();
    const std::string bin = CCANALYTICS_BINARY;
    const auto [generated, generate_output] = test::run_command(
        bin + " generate --output-dir '" + data +
        "' --num-users 30 --num-sessions 600 --days 40 --end-date 2026-02-10 --scenario '" +
        CCANALYTICS_SOURCE_DIR + "/scenarios/incidents.json'");
    ASSERT_EQ(0, generated) << generate_output;
    const std::string files = " --telemetry '" + data + "/telemetry_logs.jsonl' --metrics '" +
                              data + "/otlp_metrics.jsonl' --employees '" + data +
                              "/employees.csv'";
    for (const std::string& store :
         {"--db '" + store_->path() + "'", "--clickhouse '" + database_->url_text() + "'"}) {
      const auto [ingested, output] = test::run_command(bin + " ingest " + store + files);
      ASSERT_EQ(0, ingested) << output;
    }
    embedded_ = std::make_unique<testing::RunningServer>(testing::test_options(store_->path()));
    server::ServeOptions options = testing::test_options(control_->path());
    options.clickhouse_url = database_->url_text();
    clickhouse_ = std::make_unique<testing::RunningServer>(options);
    // Values to filter by, from the data itself.
    const json practices = get(*embedded_, "/api/v1/breakdown?by=practice");
    for (const json& row : practices["rows"]) practices_.push_back(row["key"]);
    const json models = get(*embedded_, "/api/v1/breakdown?by=model");
    for (const json& row : models["rows"]) models_.push_back(row["key"]);
    const json emails = get(*embedded_, "/api/v1/breakdown?by=email&sort=cost_usd");
    for (size_t i = 0; i < emails["rows"].size() && i < 8; ++i)
      emails_.push_back(emails["rows"][i]["key"]);
  }

  static void TearDownTestSuite() {
    clickhouse_.reset();
    embedded_.reset();
    control_.reset();
    store_.reset();
    database_.reset();
    unsetenv("CCANALYTICS_NOW");
  }

  void SetUp() override {
    if (!database_) GTEST_SKIP() << TestDatabase::kSkipReason;
  }

  static json get(testing::RunningServer& server, const std::string& target, int status = 200) {
    const auto response = server.client()->Get(target);
    EXPECT_TRUE(response) << target;
    if (!response) return json();
    EXPECT_EQ(status, response->status) << target << ": " << response->body.substr(0, 400);
    return json::parse(response->body, nullptr, false);
  }

  // A random filter as query parameters, each after an '&'; with_time: a random range too.
  static std::string random_filter(std::mt19937_64& random, bool with_time) {
    std::string q;
    const auto pick = [&](const std::vector<std::string>& values) {
      return values[random() % values.size()];
    };
    if (with_time && random() % 2) {
      const int from = 1 + static_cast<int>(random() % 30);
      q += "&from=2026-01-" + std::string(from < 10 ? "0" : "") + std::to_string(from);
      q += "&to=2026-02-" + std::string("0") + std::to_string(1 + random() % 9);
    }
    if (random() % 3 == 0)
      q += "&practice=" + httplib::detail::encode_query_param(pick(practices_));
    if (random() % 4 == 0) q += "&model=" + httplib::detail::encode_query_param(pick(models_));
    if (random() % 5 == 0) q += "&email=" + httplib::detail::encode_query_param(pick(emails_));
    if (random() % 6 == 0) q += "&tool=Bash,Edit";
    return q;
  }

  // path with the filter's parameters (each after an '&') as its query.
  static std::string with_query(const std::string& path, const std::string& filter) {
    return filter.empty() ? path : path + "?" + filter.substr(1);
  }

  void expect_same(const std::string& target) {
    SCOPED_TRACE(target);
    const json expected = get(*embedded_, target);
    const json actual = get(*clickhouse_, target);
    EXPECT_TRUE(same_json(expected, actual, "$"));
  }

  static std::unique_ptr<TestDatabase> database_;
  static std::unique_ptr<testing::TempStore> store_, control_;
  static std::unique_ptr<testing::RunningServer> embedded_, clickhouse_;
  static std::vector<std::string> practices_, models_, emails_;
};

std::unique_ptr<TestDatabase> ClickHouseApiTest::database_;
std::unique_ptr<testing::TempStore> ClickHouseApiTest::store_, ClickHouseApiTest::control_;
std::unique_ptr<testing::RunningServer> ClickHouseApiTest::embedded_,
    ClickHouseApiTest::clickhouse_;
std::vector<std::string> ClickHouseApiTest::practices_, ClickHouseApiTest::models_,
    ClickHouseApiTest::emails_;

TEST_F(ClickHouseApiTest, HealthCountsTheSameEvents) {
  const json embedded = get(*embedded_, "/health");
  const json clickhouse = get(*clickhouse_, "/health");
  EXPECT_GT(embedded["events"].get<int64_t>(), 10000);
  EXPECT_EQ(embedded["events"], clickhouse["events"]);
  EXPECT_EQ("clickhouse", clickhouse["store"]);
  EXPECT_EQ("embedded", embedded["store"]);
}

TEST_F(ClickHouseApiTest, SummaryBreakdownsAndTimeSeriesAnswerAlike) {
  std::mt19937_64 random(7);
  const char* dimensions[] = {"practice", "level", "location",    "model",
                              "tool",     "email", "terminal",    "event_type",
                              "version",  "os",    "status_code", "decision_source",
                              "attempt",  "error", "query_source"};
  const char* sorts[] = {"events", "cost_usd", "users", "tool_success_rate", "api_error_rate"};
  for (int i = 0; i < 12; ++i) {
    const std::string filter = random_filter(random, true);
    const std::string timeless = random_filter(random, false);
    expect_same("/api/v1/summary?metrics=events,cost_usd,sessions,users,api_error_rate" + filter);
    expect_same("/api/v1/summary?compare=previous&from=2026-01-20&to=2026-02-03" + timeless);
    for (const char* by : dimensions)
      expect_same(std::string("/api/v1/breakdown?by=") + by + "&sort=" + sorts[random() % 5] +
                  filter);
    expect_same("/api/v1/timeseries?bucket=day" + filter);
    expect_same(std::string("/api/v1/timeseries?bucket=hour&from=2026-01-14&to=2026-01-16&split=") +
                dimensions[random() % 15] + timeless);
    expect_same("/api/v1/timeseries?bucket=week&compare=previous&from=2026-01-05&to=2026-02-01" +
                timeless);
  }
}

TEST_F(ClickHouseApiTest, HeatmapLatencyDistributionAndFacetsAnswerAlike) {
  std::mt19937_64 random(11);
  for (int i = 0; i < 6; ++i) {
    const std::string filter = random_filter(random, true);
    expect_same(with_query("/api/v1/heatmap", filter));
    for (const char* by : {"model", "tool"})
      expect_same(std::string("/api/v1/latency?by=") + by + filter);
    expect_same("/api/v1/latency?by=model&measure=ttft_ms" + filter);
    expect_same("/api/v1/latency/timeseries?of=api_request&bucket=day" + filter);
    expect_same("/api/v1/latency/timeseries?of=tool_result&bucket=week" + filter);
    for (const char* of : {"session_duration_s", "session_prompts", "session_cost_usd"})
      expect_same(std::string("/api/v1/distribution?bins=12&of=") + of + filter);
    expect_same(with_query("/api/v1/facets", filter));
  }
  // Ranges with a whole month inside and days beside it: latency_month and latency_day together
  // (the data's 40 days end on 10 February).
  for (const char* range : {"&to=2026-02-04", "&from=2026-01-09", "&from=2025-12-20&to=2026-02-04",
                            "&from=2026-01-01&to=2026-01-31"})
    for (const char* by : {"model&measure=ttft_ms", "tool"})
      expect_same(std::string("/api/v1/latency?by=") + by + range);
}

TEST_F(ClickHouseApiTest, SessionsAndUsersAnswerAlike) {
  std::mt19937_64 random(13);
  const char* session_sorts[] = {"start", "end", "duration_s", "cost_usd", "tool_accept_rate"};
  const char* user_sorts[] = {"email", "first_seen", "active_days", "cost_usd", "api_error_rate"};
  for (int i = 0; i < 8; ++i) {
    const std::string filter = random_filter(random, true);
    const std::string page = "?limit=" + std::to_string(1 + random() % 40) +
                             "&offset=" + std::to_string(random() % 30) +
                             (random() % 2 ? "&order=asc" : "&order=desc");
    expect_same("/api/v1/sessions" + page + "&sort=" + session_sorts[random() % 5] + filter);
    expect_same("/api/v1/users" + page + "&sort=" + user_sorts[random() % 5] + filter);
    const json sessions = get(*embedded_, with_query("/api/v1/sessions", filter));
    for (size_t s = 0; s < sessions["rows"].size() && s < 3; ++s) {
      const std::string target = with_query(
          "/api/v1/sessions/" + sessions["rows"][s]["session_id"].get<std::string>(), filter);
      SCOPED_TRACE(target);
      EXPECT_TRUE(same_json(in_time_order(get(*embedded_, target)),
                            in_time_order(get(*clickhouse_, target)), "$"));
    }
    expect_same(with_query("/api/v1/users/" + emails_[random() % emails_.size()], filter));
  }
  get(*clickhouse_, "/api/v1/sessions/no-such-session", 404);
  get(*clickhouse_, "/api/v1/users/nobody@example.com", 404);
}

TEST_F(ClickHouseApiTest, ForecastsAnomaliesAndTheReportAnswerAlike) {
  for (const char* metric : {"cost_usd", "events", "output_tokens"}) {
    expect_same(std::string("/api/v1/forecast?bucket=day&horizon=7&metric=") + metric);
    expect_same(std::string("/api/v1/forecast?bucket=hour&horizon=24&metric=") + metric);
  }
  expect_same("/api/v1/anomalies?metric=cost_usd&bucket=day");
  expect_same("/api/v1/anomalies?metric=api_error_rate&bucket=day");
  expect_same("/api/v1/anomalies?metric=cost_usd&bucket=day&by=model");
  expect_same("/api/v1/report?from=2026-01-12&to=2026-01-18&format=json");
  expect_same("/api/v1/employees");
}

TEST_F(ClickHouseApiTest, BudgetsSeeTheSameSpend) {
  const json budget = {{"name", "ML"},
                       {"amount_usd", 50},
                       {"period", "month"},
                       {"filters", {{"practice", practices_.front()}}},
                       {"thresholds", json::array({{{"percent", 80}, {"basis", "actual"}}})}};
  for (testing::RunningServer* server : {embedded_.get(), clickhouse_.get()}) {
    const auto response =
        server->client()->Post("/api/v1/budgets", budget.dump(), "application/json");
    ASSERT_TRUE(response);
    ASSERT_EQ(201, response->status) << response->body;
  }
  const json embedded = get(*embedded_, "/api/v1/budgets");
  const json clickhouse = get(*clickhouse_, "/api/v1/budgets");
  ASSERT_EQ(1u, clickhouse["budgets"].size());
  EXPECT_GT(embedded["budgets"][0]["spend_usd"].get<double>(), 0);
  EXPECT_TRUE(same_json(embedded["budgets"][0]["spend_usd"], clickhouse["budgets"][0]["spend_usd"],
                        "spend"));
  EXPECT_TRUE(same_json(embedded["budgets"][0]["forecast_usd"],
                        clickhouse["budgets"][0]["forecast_usd"], "forecast"));
}

// Before the live ingest below, which only ClickHouse gets.
TEST_F(ClickHouseApiTest, TheQualityReportTellsTheSameIngestsAndRejections) {
  // A file of records both stores refuse, each twice, and a batch they already hold.
  const std::string data = (store_->folder() / "data").string();
  std::ifstream telemetry(data + "/telemetry_logs.jsonl");
  std::string stored_batch;
  ASSERT_TRUE(std::getline(telemetry, stored_batch));
  const std::string bad = (store_->folder() / "bad.jsonl").string();
  std::ofstream(bad) << "not json\n"
                     << stored_batch << "\n"
                     << "{\"logEvents\": 7}\n"
                     << test::batch_line({test::log_event(
                            "no-user", 1769040000000,
                            test::message({{"event.name", "user_prompt"}, {"session.id", "s"}}))})
                     << "\n"
                     << "not json\n";
  for (const std::string& store :
       {"--db '" + store_->path() + "'", "--clickhouse '" + database_->url_text() + "'"}) {
    const auto [status, output] = test::run_command(std::string(CCANALYTICS_BINARY) + " ingest " +
                                                    store + " --telemetry '" + bad + "'");
    ASSERT_EQ(0, status) << output;
  }
  // Ids and times are each store's own; everything else is the same.
  const auto comparable = [](json report) {
    for (json& ingest : report["ingests"]) {
      EXPECT_LT(ingest["id"].get<int64_t>(), int64_t{1} << 53) << "not exact in JavaScript";
      for (const char* own : {"id", "started", "finished"}) ingest.erase(own);
    }
    for (json& record : report["quarantine_sample"]) {
      EXPECT_LT(record["id"].get<int64_t>(), int64_t{1} << 53) << "not exact in JavaScript";
      for (const char* own : {"id", "received"}) record.erase(own);
    }
    return report;
  };
  const json embedded = comparable(get(*embedded_, "/api/v1/quality?sample=50"));
  const json clickhouse = comparable(get(*clickhouse_, "/api/v1/quality?sample=50"));
  EXPECT_TRUE(same_json(embedded, clickhouse, "$"));
  // What the file did, as an independent count: one duplicate batch's events, three bad lines
  // of which two are the same, one bad event.
  const json& last = clickhouse["ingests"][0];
  EXPECT_EQ(bad, last["path"]);
  EXPECT_EQ(5, last["lines"]);
  EXPECT_EQ(0, last["accepted"]);
  EXPECT_EQ(3, last["rejected_lines"]);
  EXPECT_EQ(1, last["rejected_events"]);
  EXPECT_GT(last["duplicates"].get<int>(), 0);
  EXPECT_EQ(3u, clickhouse["quarantine_sample"].size());  // "not json" once
}

TEST_F(ClickHouseApiTest, AnIngestThroughTheServerLandsInClickHouse) {
  const std::string line = test::batch_line({test::log_event(
      "api-ingest-1", 1769040000000,
      test::message(test::base_attributes("user_prompt", "s-api", "new.person@example.com")))});
  const auto response =
      clickhouse_->client()->Post("/api/v1/ingest", line + "\n", "application/x-ndjson");
  ASSERT_TRUE(response);
  EXPECT_EQ(200, response->status) << response->body;
  const json answer = get(*clickhouse_, "/api/v1/summary?email=new.person@example.com");
  EXPECT_EQ(1, answer["events"]);
  const ClickHouseClient client(database_->url());
  EXPECT_EQ("1\n",
            client.query("SELECT count() FROM events WHERE user = 'new.person@example.com'"));
}

TEST_F(ClickHouseApiTest, CodeActivityAnswersAlike) {
  const json total = get(*clickhouse_, "/api/v1/code");
  EXPECT_GT(total["lines_added"].get<double>(), 0);
  EXPECT_GT(get(*clickhouse_, "/api/v1/code/metrics")["metrics"].size(), 3u);
  expect_same("/api/v1/code/metrics");
  std::mt19937_64 random(17);
  const char* groupings[] = {"language", "model", "tool", "email", "practice"};
  const char* buckets[] = {"hour", "day", "week"};
  for (int i = 0; i < 8; ++i) {
    const std::string filter = random_filter(random, true);
    const std::string timeless = random_filter(random, false);
    expect_same(with_query("/api/v1/code", filter));
    expect_same(std::string("/api/v1/code/breakdown?by=") + groupings[i % 5] + filter);
    expect_same(std::string("/api/v1/code/timeseries?bucket=") + buckets[i % 3] + filter);
    expect_same("/api/v1/code/timeseries?bucket=hour&from=2026-01-20&to=2026-01-27" + timeless);
  }
}

TEST_F(ClickHouseApiTest, AClickHouseThatCannotAnswerIsA503) {
  // A server on a database that goes away under it.
  const auto doomed = TestDatabase::create("doomed");
  ASSERT_TRUE(doomed);
  testing::TempStore control;
  server::ServeOptions options = testing::test_options(control.path());
  options.clickhouse_url = doomed->url_text();
  testing::RunningServer server(options);
  get(server, "/api/v1/summary");
  ClickHouseUrl system = doomed->url();
  system.database = "system";
  ClickHouseClient(system).query("DROP DATABASE " + doomed->url().database);
  const json answer = get(server, "/api/v1/summary?practice=x", 503);
  EXPECT_EQ("store_unavailable", answer["error"]["code"]);
  EXPECT_NE(answer["error"]["message"].get<std::string>().find("ClickHouse"), std::string::npos);
}

TEST_F(ClickHouseApiTest, NoClickHouseAtAllStopsTheServerSayingSo) {
  const auto [status, output] =
      test::run_command(std::string(CCANALYTICS_BINARY) +
                        " serve --clickhouse http://127.0.0.1:9/ --port 0 --otlp-grpc-port 0 2>&1");
  EXPECT_EQ(1, status) << output;
  EXPECT_NE(output.find("unreachable"), std::string::npos) << output;
}

}  // namespace
}  // namespace cca::clickhouse
