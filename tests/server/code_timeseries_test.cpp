// GET /api/v1/code/timeseries: hand-made delta points at known times against hourly and daily
// buckets worked out by hand; dense ranges, filters and parameters.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/temp_store.h"
#include "server/running_server.h"

namespace cca::server {
namespace {

using nlohmann::json;

struct Point {
  int64_t unix_s;
  std::string type;  // added | removed
  double lines;
  std::string email;
};

json attribute(const std::string& key, const std::string& value) {
  return {{"key", key}, {"value", {{"stringValue", value}}}};
}

// An OTLP/HTTP JSON metrics request: one delta sum of lines of code, a point per entry.
std::string lines_request(const std::vector<Point>& points) {
  json data_points = json::array();
  for (const Point& p : points) {
    data_points.push_back({{"attributes",
                            {attribute("type", p.type), attribute("user.email", p.email),
                             attribute("session.id", "s-" + p.email), attribute("language", "Go")}},
                           {"startTimeUnixNano", std::to_string((p.unix_s - 60) * 1'000'000'000)},
                           {"timeUnixNano", std::to_string(p.unix_s * 1'000'000'000)},
                           {"asDouble", p.lines}});
  }
  json metric = {
      {"name", "claude_code.lines_of_code.count"},
      {"unit", "count"},
      {"sum", {{"aggregationTemporality", 1}, {"isMonotonic", true}, {"dataPoints", data_points}}}};
  json request = {
      {"resourceMetrics",
       {{{"resource", {{"attributes", {attribute("service.name", "claude-code")}}}},
         {"scopeMetrics",
          {{{"scope", {{"name", "com.anthropic.claude_code"}}}, {"metrics", {metric}}}}}}}}};
  return request.dump();
}

// 2026-03-02 is a Monday.
constexpr int64_t kMonday = 1772409600;  // 2026-03-02T00:00:00Z
const std::vector<Point> kPoints = {
    {kMonday + 10 * 3600 + 15 * 60, "added", 30, "ann@example.com"},
    {kMonday + 10 * 3600 + 40 * 60, "removed", 4, "ann@example.com"},
    {kMonday + 10 * 3600 + 3599, "added", 5, "bob@example.com"},
    {kMonday + 13 * 3600 + 5 * 60, "added", 12, "bob@example.com"},
    {kMonday + 2 * 86400 + 9 * 3600, "removed", 7, "ann@example.com"},
};

json get_json(httplib::Client& client, const std::string& target, int status = 200) {
  const auto response = client.Get(target);
  if (!response) return json();
  EXPECT_EQ(status, response->status) << target << " " << response->body;
  return json::parse(response->body);
}

class CodeTimeseriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto response = client_->Post("/v1/metrics", lines_request(kPoints), "application/json");
    ASSERT_TRUE(response);
    ASSERT_EQ(200, response->status) << response->body;
    server_.wait_until_visible();
  }
  testing::TempStore store_;
  testing::RunningServer server_{testing::test_options(store_.path())};
  std::unique_ptr<httplib::Client> client_ = server_.client();
};

TEST_F(CodeTimeseriesTest, HourlyBucketsFromTheFirstPointToTheLast) {
  const json answer = get_json(*client_, "/api/v1/code/timeseries?bucket=hour");
  EXPECT_EQ("hour", answer["bucket"]);
  const json& points = answer["points"];
  // 2026-03-02T10:00 to 2026-03-04T09:00, both included.
  ASSERT_EQ(2 * 24, points.size());
  EXPECT_EQ("2026-03-02T10:00:00Z", points[0]["t"]);
  EXPECT_EQ("2026-03-04T09:00:00Z", points.back()["t"]);
  EXPECT_EQ(35, points[0]["lines_added"]);
  EXPECT_EQ(4, points[0]["lines_removed"]);
  EXPECT_EQ(0, points[1]["lines_added"]);
  EXPECT_TRUE(points[1]["edit_accept_rate"].is_null());
  EXPECT_EQ("2026-03-02T13:00:00Z", points[3]["t"]);
  EXPECT_EQ(12, points[3]["lines_added"]);
  EXPECT_EQ(7, points.back()["lines_removed"]);
  double added = 0;
  for (const json& p : points) added += p["lines_added"].get<double>();
  EXPECT_EQ(47, added);
}

TEST_F(CodeTimeseriesTest, DaysAndWeeksAndTheFiltersRange) {
  const json days = get_json(*client_, "/api/v1/code/timeseries");
  EXPECT_EQ("day", days["bucket"]);
  ASSERT_EQ(3, days["points"].size());
  EXPECT_EQ(47, days["points"][0]["lines_added"]);
  EXPECT_EQ(4, days["points"][0]["lines_removed"]);
  EXPECT_EQ(0, days["points"][1]["lines_added"]);
  EXPECT_EQ(7, days["points"][2]["lines_removed"]);

  const json weeks = get_json(*client_, "/api/v1/code/timeseries?bucket=week");
  ASSERT_EQ(1, weeks["points"].size());
  EXPECT_EQ("2026-03-02T00:00:00Z", weeks["points"][0]["t"]);
  EXPECT_EQ(11, weeks["points"][0]["lines_removed"]);

  // The filter's range, empty days included; the other filters as for /api/v1/code.
  const json ranged = get_json(
      *client_, "/api/v1/code/timeseries?from=2026-03-01&to=2026-03-05&email=bob@example.com");
  ASSERT_EQ(5, ranged["points"].size());
  EXPECT_EQ("2026-03-01T00:00:00Z", ranged["points"][0]["t"]);
  EXPECT_EQ(0, ranged["points"][0]["lines_added"]);
  EXPECT_EQ(17, ranged["points"][1]["lines_added"]);
  EXPECT_EQ(0, ranged["points"][1]["lines_removed"]);
  EXPECT_EQ(0, ranged["points"][3]["lines_removed"]);
}

TEST_F(CodeTimeseriesTest, ParametersAreChecked) {
  EXPECT_EQ("invalid_parameter",
            get_json(*client_, "/api/v1/code/timeseries?bucket=month", 400)["error"]["code"]);
  EXPECT_EQ("unknown_parameter",
            get_json(*client_, "/api/v1/code/timeseries?by=language", 400)["error"]["code"]);
  EXPECT_EQ("range_too_long",
            get_json(*client_, "/api/v1/code/timeseries?bucket=hour&from=2000-01-01",
                     400)["error"]["code"]);
}

TEST(CodeTimeseriesEmptyTest, NoPointsNoBuckets) {
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  const json answer = get_json(*client, "/api/v1/code/timeseries?bucket=day");
  EXPECT_EQ(json::array(), answer["points"]);
}

}  // namespace
}  // namespace cca::server
