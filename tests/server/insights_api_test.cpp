// Forecasts, anomalies, budgets with webhook alerts and the report over HTTP, on data generated
// with known incidents (scenarios/incidents.json) and without them (scenarios/steady.json), with
// "now" placed at the end of the data by CCANALYTICS_NOW.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/time_util.h"
#include "engine/temp_store.h"
#include "server/running_server.h"
#include "support/test_support.h"

namespace cca::server {
namespace {

using nlohmann::json;

// Late January: the month's budget periods hold most of the data's January.
constexpr const char* kNow = "2026-01-31T12:00:00Z";

// A dataset generated with a scenario and ingested into a store, as a user would.
void make_store(const testing::TempStore& store, const std::string& scenario) {
  const std::string data = (store.folder() / "data").string();
  const std::string bin = CCANALYTICS_BINARY;
  const auto [generated, generate_output] = test::run_command(
      bin + " generate --output-dir '" + data + "' --num-users 40 --num-sessions 2000 --days 42 " +
      "--scenario '" + CCANALYTICS_SOURCE_DIR + "/scenarios/" + scenario + "'");
  ASSERT_EQ(0, generated) << generate_output;
  const auto [ingested, ingest_output] =
      test::run_command(bin + " ingest --db '" + store.path() + "' --telemetry '" + data +
                        "/telemetry_logs.jsonl' --employees '" + data + "/employees.csv'");
  ASSERT_EQ(0, ingested) << ingest_output;
}

// Spend of a practice between two instants, by SQL over the store: the independent figure.
double sql_cost(const std::string& db, const std::string& practice, const std::string& from,
                const std::string& to) {
  return test::sql_double(
      db,
      "SELECT coalesce(sum(e.cost_usd), 0) FROM events_decoded e JOIN employees p "
      "ON lower(p.email) = lower(e.user_email) WHERE e.event_name = 'api_request' AND "
      "p.practice = '" +
          practice + "' AND e.time_ms >= " + std::to_string(*parse_rfc3339_ms(from)) +
          " AND e.time_ms < " + std::to_string(*parse_rfc3339_ms(to)));
}

// A webhook receiver on loopback: records every body, answers 500 to the first `failures`.
class Receiver {
 public:
  explicit Receiver(int failures) : failures_(failures) {
    server_.Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard lock(mutex_);
      const bool fail = attempts_++ < failures_.load();
      if (fail) {
        response.status = 500;
        return;
      }
      bodies_.push_back(json::parse(request.body));
      response.status = 204;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<json> bodies() {
    std::lock_guard lock(mutex_);
    return bodies_;
  }
  int attempts() {
    std::lock_guard lock(mutex_);
    return attempts_;
  }
  void set_failures(int failures) { failures_ = failures; }

 private:
  httplib::Server server_;
  std::atomic<int> failures_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  int attempts_ = 0;
  std::vector<json> bodies_;
};

// Polls until pred() or ten seconds.
template <typename Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 200; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

class InsightsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setenv("CCANALYTICS_NOW", kNow, 1);
    incidents_ = std::make_unique<testing::TempStore>();
    make_store(*incidents_, "incidents.json");
    steady_ = std::make_unique<testing::TempStore>();
    make_store(*steady_, "steady.json");
    server_ = start(incidents_->path());
  }
  static void TearDownTestSuite() {
    server_.reset();
    steady_.reset();
    incidents_.reset();
    unsetenv("CCANALYTICS_NOW");
  }
  static std::unique_ptr<testing::RunningServer> start(const std::string& db) {
    ServeOptions options = testing::test_options(db);
    options.webhook_retry_ms = 100;
    return std::make_unique<testing::RunningServer>(options);
  }

  static json get_json(const std::string& target, testing::RunningServer& server = *server_) {
    const auto response = server.client()->Get(target);
    EXPECT_TRUE(response) << target;
    if (!response) return json();
    EXPECT_EQ(200, response->status) << target << ": " << response->body;
    return json::parse(response->body);
  }
  static httplib::Result post(const std::string& target, const json& body) {
    return server_->client()->Post(target, body.dump(), "application/json");
  }
  static void expect_refused(const std::string& target, const std::string& words) {
    const auto response = server_->client()->Get(target);
    ASSERT_TRUE(response);
    EXPECT_EQ(400, response->status) << target;
    EXPECT_NE(std::string::npos, response->body.find(words)) << target << ": " << response->body;
  }

  static std::unique_ptr<testing::TempStore> incidents_, steady_;
  static std::unique_ptr<testing::RunningServer> server_;
};

std::unique_ptr<testing::TempStore> InsightsApiTest::incidents_;
std::unique_ptr<testing::TempStore> InsightsApiTest::steady_;
std::unique_ptr<testing::RunningServer> InsightsApiTest::server_;

TEST_F(InsightsApiTest, TheSpendSpikeIsFoundAndExplainedByItsPractice) {
  const json answer = get_json("/api/v1/anomalies?metric=cost_usd&to=2026-01-31");
  ASSERT_FALSE(answer["anomalies"].empty());
  const json& top = answer["anomalies"][0];
  EXPECT_EQ("2026-01-14T00:00:00Z", top["start"]);
  EXPECT_EQ("2026-01-15T00:00:00Z", top["end"]);
  EXPECT_EQ("up", top["direction"]);
  EXPECT_GT(top["value"].get<double>(), top["hi"].get<double>());
  EXPECT_EQ("practice", top["contributors"][0]["by"]);
  EXPECT_EQ("ML Engineering", top["contributors"][0]["key"]);
  EXPECT_GT(top["contributors"][0]["share"].get<double>(), 0.6);
  // The day's spend, by SQL over every practice.
  double day = 0;
  for (const char* practice : {"ML Engineering", "Backend Engineering", "Frontend Engineering",
                               "Data Engineering", "Platform Engineering"})
    day += sql_cost(incidents_->path(), practice, "2026-01-14T00:00:00Z", "2026-01-15T00:00:00Z");
  EXPECT_NEAR(day, top["value"].get<double>(), 1e-6 * day);
}

TEST_F(InsightsApiTest, TheErrorBurstIsFoundAndExplainedByItsModel) {
  const json daily = get_json("/api/v1/anomalies?metric=api_error_rate&by=model");
  ASSERT_EQ(1u, daily["anomalies"].size()) << daily["anomalies"].dump();
  EXPECT_EQ("2026-01-21T00:00:00Z", daily["anomalies"][0]["start"]);
  EXPECT_EQ("up", daily["anomalies"][0]["direction"]);
  EXPECT_EQ("claude-opus-4-6", daily["anomalies"][0]["contributors"][0]["key"]);
  const json hourly = get_json("/api/v1/anomalies?metric=api_errors&bucket=hour&by=model");
  ASSERT_FALSE(hourly["anomalies"].empty());
  const json& burst = hourly["anomalies"][0];
  EXPECT_GE(burst["start"].get<std::string>(), "2026-01-21T13:00:00Z");
  EXPECT_LE(burst["end"].get<std::string>(), "2026-01-21T17:00:00Z");
  EXPECT_EQ("claude-opus-4-6", burst["contributors"][0]["key"]);
}

TEST_F(InsightsApiTest, TheToolOutageIsFoundAndExplainedByItsTool) {
  const json answer = get_json("/api/v1/anomalies?metric=tool_success_rate&bucket=hour");
  ASSERT_FALSE(answer["anomalies"].empty());
  const json& outage = answer["anomalies"][0];
  EXPECT_GE(outage["start"].get<std::string>(), "2026-01-27T09:00:00Z");
  EXPECT_LE(outage["end"].get<std::string>(), "2026-01-27T13:00:00Z");
  EXPECT_EQ("down", outage["direction"]);
  EXPECT_EQ("tool", outage["contributors"][0]["by"]);
  EXPECT_EQ("Bash", outage["contributors"][0]["key"]);
}

TEST_F(InsightsApiTest, SteadyDataWithAWeeklyRhythmRaisesNoAlarm) {
  testing::RunningServer steady(testing::test_options(steady_->path()));
  for (const char* query :
       {"metric=cost_usd", "metric=events", "metric=api_error_rate", "metric=tool_success_rate",
        "metric=cost_usd&bucket=hour", "metric=api_error_rate&bucket=hour",
        "metric=tool_success_rate&bucket=hour"}) {
    const json answer = get_json(std::string("/api/v1/anomalies?") + query, steady);
    EXPECT_TRUE(answer["anomalies"].empty()) << query << ": " << answer["anomalies"].dump();
  }
}

TEST_F(InsightsApiTest, ForecastFollowsTheTrendAndBacktestsItself) {
  const json answer = get_json("/api/v1/forecast?metric=cost_usd&to=2026-01-30&horizon=7");
  ASSERT_EQ(7u, answer["points"].size());
  EXPECT_EQ("2026-01-31T00:00:00Z", answer["points"][0]["t"]);
  EXPECT_EQ("2026-01-30T00:00:00Z", answer["history"].back()["t"]);
  EXPECT_EQ(7, answer["season"]);
  const json& backtest = answer["backtest"];
  EXPECT_LT(backtest["mase"].get<double>(), 1.0) << backtest.dump();
  EXPECT_GT(backtest["coverage80"].get<double>(), 0.6);
  EXPECT_GT(backtest["coverage95"].get<double>(), 0.8);
  // The history is the practice's daily spend, as SQL adds it up.
  const json ml =
      get_json("/api/v1/forecast?metric=cost_usd&practice=ML%20Engineering&to=2026-01-30");
  for (const json& point : ml["history"]) {
    const int64_t day = *parse_rfc3339_ms(point["t"].get<std::string>());
    const double sql = sql_cost(incidents_->path(), "ML Engineering", format_rfc3339_ms(day),
                                format_rfc3339_ms(day + kMsPerDay));
    EXPECT_NEAR(sql, point["value"].get<double>(), 1e-9 + 1e-9 * sql) << point["t"];
  }
  for (const json& point : ml["points"]) {
    EXPECT_LE(point["lo95"].get<double>(), point["lo80"].get<double>());
    EXPECT_LE(point["lo80"].get<double>(), point["value"].get<double>());
    EXPECT_LE(point["value"].get<double>(), point["hi80"].get<double>());
    EXPECT_LE(point["hi80"].get<double>(), point["hi95"].get<double>());
  }
  // Without `to`, the history ends where the data does, at most at now's day.
  EXPECT_EQ("2026-01-31T00:00:00Z", get_json("/api/v1/forecast")["points"][0]["t"]);
}

TEST_F(InsightsApiTest, BadQuestionsAreRefusedSayingWhy) {
  expect_refused("/api/v1/forecast?metric=dollars", "metric");
  expect_refused("/api/v1/forecast?metric=api_error_rate", "count or a sum");
  expect_refused("/api/v1/forecast?horizon=0", "horizon");
  expect_refused("/api/v1/forecast?horizon=10000", "horizon");
  expect_refused("/api/v1/forecast?bucket=week", "hour or day");
  expect_refused("/api/v1/anomalies?metric=cost_per_session", "metric");
  expect_refused("/api/v1/anomalies?by=colour", "by");
  expect_refused("/api/v1/report?format=pdf", "format");

  const json valid = {{"name", "ok"}, {"amount_usd", 10}, {"period", "month"}};
  const auto with = [&](const std::string& key, const json& value) {
    json body = valid;
    body[key] = value;
    return body;
  };
  const std::pair<json, std::string> bad[] = {
      {{{"name", "x"}, {"amount_usd", -5}, {"period", "month"}}, "amount_usd"},
      {{{"name", "x"}, {"amount_usd", "lots"}, {"period", "month"}}, "amount_usd"},
      {{{"name", ""}, {"amount_usd", 5}, {"period", "month"}}, "name"},
      {{{"name", "x"}, {"amount_usd", 5}, {"period", "year"}}, "period"},
      {with("webhook", "ftp://example.com/hook"), "webhook"},
      {with("webhook", "javascript:alert(1)"), "webhook"},
      {with("filters", {{"colour", "red"}}), "filters.colour"},
      {with("filters", {{"practice", ""}}), "filters.practice"},
      {with("filters", {{"from", "2026-01-01"}}), "filters.from"},
      {with("thresholds", json::array({{{"percent", 0}}})), "thresholds[0].percent"},
      {with("thresholds", json::array({{{"percent", 50}, {"basis", "vibes"}}})),
       "thresholds[0].basis"},
      {with("owner", "me"), "owner"},
  };
  for (const auto& [body, words] : bad) {
    const auto response = post("/api/v1/budgets", body);
    ASSERT_TRUE(response);
    EXPECT_EQ(400, response->status) << body.dump();
    EXPECT_NE(std::string::npos, response->body.find(words)) << response->body;
  }
  const auto not_json = server_->client()->Post("/api/v1/budgets", "{", "application/json");
  EXPECT_EQ(400, not_json->status);
  EXPECT_EQ(404, server_->client()->Delete("/api/v1/budgets/999999")->status);
  EXPECT_EQ(
      404, server_->client()->Put("/api/v1/budgets/abc", valid.dump(), "application/json")->status);
  EXPECT_TRUE(get_json("/api/v1/budgets")["budgets"].empty()) << "a refused budget was stored";
}

TEST_F(InsightsApiTest, ABudgetAlertReachesItsWebhookOncePerThresholdDespiteFailures) {
  Receiver receiver(/*failures=*/2);
  const json budget = {{"name", "ML monthly"},
                       {"amount_usd", 100},
                       {"period", "month"},
                       {"filters", {{"practice", "ML Engineering"}}},
                       {"thresholds", json::array({{{"percent", 50}, {"basis", "actual"}},
                                                   {{"percent", 100}, {"basis", "actual"}},
                                                   {{"percent", 1000}, {"basis", "forecast"}}})},
                       {"webhook", receiver.url()}};
  const auto created = post("/api/v1/budgets", budget);
  ASSERT_TRUE(created);
  ASSERT_EQ(201, created->status) << created->body;
  const json answer = json::parse(created->body);
  const std::string id = std::to_string(answer["id"].get<int64_t>());

  // Two crossings, each delivered once, after the receiver refused the first two attempts.
  ASSERT_TRUE(eventually([&] { return receiver.bodies().size() >= 2; })) << receiver.attempts();
  std::this_thread::sleep_for(std::chrono::milliseconds(800));  // retries or repeats would land
  server_->client()->Put("/api/v1/budgets/" + id, budget.dump(),
                         "application/json");  // re-evaluate
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const std::vector<json> bodies = receiver.bodies();
  ASSERT_EQ(2u, bodies.size());
  EXPECT_EQ(4, receiver.attempts());
  std::set<double> percents;
  const double spend = sql_cost(incidents_->path(), "ML Engineering", "2026-01-01T00:00:00Z", kNow);
  for (const json& body : bodies) {
    percents.insert(body["percent"].get<double>());
    EXPECT_EQ("ML monthly", body["budget"]);
    EXPECT_EQ("actual", body["basis"]);
    EXPECT_EQ(100, body["amount_usd"]);
    EXPECT_EQ("2026-01-01T00:00:00Z", body["period_start"]);
    EXPECT_EQ("2026-02-01T00:00:00Z", body["period_end"]);
    EXPECT_NEAR(spend, body["spend_usd"].get<double>(), 1e-6 * spend);
    EXPECT_NE(std::string::npos, body["text"].get<std::string>().find("ML monthly"));
  }
  EXPECT_EQ((std::set<double>{50, 100}), percents);

  const json listed = get_json("/api/v1/budgets")["budgets"][0];
  EXPECT_EQ("alarm", listed["state"]);
  EXPECT_NEAR(spend, listed["spend_usd"].get<double>(), 1e-6 * spend);
  EXPECT_GT(listed["forecast_usd"].get<double>(), listed["spend_usd"].get<double>());
  EXPECT_EQ("alarm", listed["thresholds"][0]["state"]);
  EXPECT_FALSE(listed["thresholds"][0]["fired_at"].is_null());
  EXPECT_EQ("ok", listed["thresholds"][2]["state"]);
  EXPECT_TRUE(listed["thresholds"][2]["fired_at"].is_null());

  const json alerts = get_json("/api/v1/alerts");
  EXPECT_EQ(2, alerts["total"]);
  int attempts = 0;
  for (const json& alert : alerts["alerts"]) {
    EXPECT_EQ("delivered", alert["status"]);
    attempts += alert["attempts"].get<int>();
  }
  EXPECT_EQ(4, attempts);
  // Changes are audited.
  const json audit = get_json("/api/v1/audit");
  EXPECT_EQ("budget.update", audit["rows"][0]["action"]);
  EXPECT_EQ("budget.create", audit["rows"][1]["action"]);
  EXPECT_EQ(204, server_->client()->Delete("/api/v1/budgets/" + id)->status);
  EXPECT_TRUE(get_json("/api/v1/budgets")["budgets"].empty());
  EXPECT_EQ(2, get_json("/api/v1/alerts")["total"]) << "the history stays";
}

TEST_F(InsightsApiTest, APendingDeliverySurvivesARestartAndIsSentOnce) {
  const testing::TempStore store;
  make_store(store, "incidents.json");
  Receiver receiver(/*failures=*/1'000'000);
  const json budget = {{"name", "Everyone daily"},
                       {"amount_usd", 1},
                       {"period", "day"},
                       {"webhook", receiver.url()}};
  {
    auto first = start(store.path());
    const auto created =
        first->client()->Post("/api/v1/budgets", budget.dump(), "application/json");
    ASSERT_EQ(201, created->status) << created->body;
    ASSERT_TRUE(eventually([&] { return receiver.attempts() >= 2; }));
  }  // stopped while the delivery is still failing
  EXPECT_TRUE(receiver.bodies().empty());
  receiver.set_failures(0);
  auto second = start(store.path());
  ASSERT_TRUE(eventually([&] { return receiver.bodies().size() == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  EXPECT_EQ(1u, receiver.bodies().size());
  const json alerts = get_json("/api/v1/alerts", *second);
  ASSERT_EQ(1, alerts["total"]);
  EXPECT_EQ("delivered", alerts["alerts"][0]["status"]);
  EXPECT_GE(alerts["alerts"][0]["attempts"].get<int>(), 3);
}

TEST_F(InsightsApiTest, TheReportsFiguresAreTheApisAnswers) {
  const std::string period = "from=2026-01-12&to=2026-01-25";
  const json report = get_json("/api/v1/report?format=json&" + period);
  const json summary = get_json("/api/v1/summary?compare=previous&" + period);
  EXPECT_EQ(summary["cost_usd"], report["totals"]["cost_usd"]);
  EXPECT_EQ(summary["sessions"], report["totals"]["sessions"]);
  EXPECT_EQ(summary["previous"]["cost_usd"], report["totals"]["previous"]["cost_usd"]);
  EXPECT_EQ(summary["api_failure_rate"], report["reliability"]["api_failure_rate"]);
  const json practices = get_json("/api/v1/breakdown?by=practice&compare=previous&" + period);
  for (const json& mover : report["movers"]["practice"])
    for (const json& row : practices["rows"])
      if (row["key"] == mover["key"]) {
        EXPECT_EQ(row["cost_usd"], mover["cost_usd"]);
        EXPECT_EQ(row["previous"]["cost_usd"], mover["previous_cost_usd"]);
      }
  bool ml_grew = false;  // the spike's practice
  for (const json& mover : report["movers"]["practice"])
    ml_grew =
        ml_grew || (mover["key"] == "ML Engineering" && mover["change_usd"].get<double>() > 0);
  EXPECT_TRUE(ml_grew) << report["movers"].dump();
  // The spike began in the period; the error burst too.
  std::set<std::string> starts;
  for (const json& a : report["anomalies"]) starts.insert(a["start"].get<std::string>());
  EXPECT_TRUE(starts.count("2026-01-14T00:00:00Z")) << report["anomalies"].dump();
  EXPECT_TRUE(starts.count("2026-01-21T00:00:00Z")) << report["anomalies"].dump();
  EXPECT_EQ("next_period", report["forecast"]["basis"]);
  ASSERT_GE(report["sentences"].size(), 5u);
  EXPECT_EQ(0u, report["sentences"][0].get<std::string>().find("Spend was $"));

  const auto md = server_->client()->Get("/api/v1/report?" + period);
  EXPECT_EQ("text/markdown; charset=utf-8", md->get_header_value("Content-Type"));
  EXPECT_NE(std::string::npos, md->body.find("# Claude Code usage: 2026-01-12 to 2026-01-25"));
  const auto page = server_->client()->Get("/api/v1/report?format=html&" + period);
  EXPECT_EQ("text/html; charset=utf-8", page->get_header_value("Content-Type"));
  EXPECT_NE(std::string::npos, page->body.find("<svg"));
  // The command line writes the same report.
  const auto [status, output] =
      test::run_command(std::string(CCANALYTICS_BINARY) + " report --db '" + incidents_->path() +
                        "' --from 2026-01-12 --to 2026-01-25 --format json");
  ASSERT_EQ(0, status) << output;
  EXPECT_EQ(report, json::parse(output));
}

}  // namespace
}  // namespace cca::server
