// Code activity from OTLP metrics: the real Claude Code captures ingested in order, compared
// with figures computed from the request bodies by nlohmann::json; cumulative series across a
// restart; filters and breakdowns.
#include "engine/code_activity.h"

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "engine/otlp_metrics_fixture.h"
#include "engine/temp_store.h"
#include "ingest/ingestor.h"

namespace cca::engine {
namespace {

using nlohmann::json;
using testing::ExpectedCode;

void expect_same(const ExpectedCode& expected, const CodeActivity& actual,
                 const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_DOUBLE_EQ(expected.lines_added, actual.lines_added);
  EXPECT_DOUBLE_EQ(expected.lines_removed, actual.lines_removed);
  EXPECT_DOUBLE_EQ(expected.commits, actual.commits);
  EXPECT_DOUBLE_EQ(expected.pull_requests, actual.pull_requests);
  EXPECT_NEAR(expected.active_time_s, actual.active_time_s, 1e-9);
  EXPECT_DOUBLE_EQ(expected.sessions_started, actual.sessions_started);
  EXPECT_DOUBLE_EQ(expected.edit_decisions, actual.edit_decisions);
  EXPECT_DOUBLE_EQ(expected.edit_accepts, actual.edit_accepts);
}

void ingest_all(const std::string& db, const std::vector<std::string>& requests) {
  ingest::Ingestor ingestor(db);
  for (const std::string& body : requests)
    ingestor.ingest_otlp_metrics(body, ingest::OtlpEncoding::kJson);
}

// Each capture, ingested in arrival order, against the independent figures, in total and by
// language, model and tool.
class CapturedRun : public ::testing::TestWithParam<std::string> {};

TEST_P(CapturedRun, MatchesTheRequestBodies) {
  const auto dataset = testing::otlp_dataset();
  if (!dataset) GTEST_SKIP() << "claude-code-2.1.328-otlp dataset not found";
  const std::vector<std::string> requests =
      GetParam().empty() ? testing::metric_requests(*dataset, {"metrics-1.json", "metrics-2.json"})
                         : testing::metric_requests(*dataset / GetParam());
  ASSERT_FALSE(requests.empty());
  testing::TempStore store;
  ingest_all(store.path(), requests);
  Engine engine(store.path());
  const auto snapshot = engine.snapshot();

  const ExpectedCode total = testing::expected_total(requests);
  EXPECT_GT(total.lines_added, 0);
  EXPECT_GT(total.edit_decisions, 0);
  expect_same(total, code_activity(*snapshot, {}), "total");

  for (const std::string by : {"language", "model", "tool"}) {
    const std::string attribute = by == "tool" ? "tool_name" : by;
    const auto expected =
        testing::expected_code(requests, [&](const json& a) -> std::optional<std::string> {
          if (!a.contains(attribute)) return std::nullopt;
          return a[attribute].get<std::string>();
        });
    const auto rows = code_breakdown(*snapshot, {}, *parse_code_grouping(by));
    ASSERT_EQ(expected.size(), rows.size()) << by;
    for (const CodeRow& row : rows) {
      ASSERT_TRUE(expected.contains(row.key)) << by << " " << row.key;
      expect_same(expected.at(row.key), row.activity, by + "=" + row.key);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Captures, CapturedRun,
                         ::testing::Values("", "full-run", "cumulative-temporality",
                                           "session-id-off-repository-on"),
                         [](const auto& info) {
                           std::string name = info.param.empty() ? "top" : info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(CodeActivity, RepeatedRequestsCountOnce) {
  const auto dataset = testing::otlp_dataset();
  if (!dataset) GTEST_SKIP() << "claude-code-2.1.328-otlp dataset not found";
  for (const std::string folder : {"full-run", "cumulative-temporality"}) {
    const std::vector<std::string> requests = testing::metric_requests(*dataset / folder);
    testing::TempStore store;
    ingest::Ingestor ingestor(store.path());
    for (const std::string& body : requests) {
      ingestor.ingest_otlp_metrics(body, ingest::OtlpEncoding::kJson);
      const ingest::IngestReport again =
          ingestor.ingest_otlp_metrics(body, ingest::OtlpEncoding::kJson);
      EXPECT_EQ(0u, again.accepted);
      EXPECT_EQ(testing::data_point_count({body}), again.duplicates);
    }
    Engine engine(store.path());
    expect_same(testing::expected_total(requests), code_activity(*engine.snapshot(), {}), folder);
  }
}

TEST(CodeActivity, CumulativeSeriesSurvivesARestart) {
  const auto dataset = testing::otlp_dataset();
  if (!dataset) GTEST_SKIP() << "claude-code-2.1.328-otlp dataset not found";
  const std::vector<std::string> requests =
      testing::metric_requests(*dataset / "cumulative-temporality");
  ASSERT_GE(requests.size(), 4u);
  testing::TempStore store;
  const size_t half = requests.size() / 2;
  ingest_all(store.path(), {requests.begin(), requests.begin() + half});
  Engine engine(store.path());  // loads the first half, then sees the rest by refresh
  ingest_all(store.path(), {requests.begin() + half, requests.end()});  // a new process's store
  engine.refresh();
  expect_same(testing::expected_total(requests), code_activity(*engine.snapshot(), {}),
              "refreshed");
  Engine reopened(store.path());
  expect_same(testing::expected_total(requests), code_activity(*reopened.snapshot(), {}),
              "reopened");
}

// A cumulative request body for one lines_of_code series.
std::string cumulative_lines(int64_t start_s, int64_t time_s, double value,
                             const std::string& user) {
  const auto kv = [](const std::string& key, const std::string& value) {
    return json{{"key", key}, {"value", {{"stringValue", value}}}};
  };
  const json point = {{"attributes", {kv("user.id", user), kv("type", "added"), kv("model", "m1")}},
                      {"startTimeUnixNano", std::to_string(start_s * 1'000'000'000)},
                      {"timeUnixNano", std::to_string(time_s * 1'000'000'000)},
                      {"asDouble", value}};
  const json metric = {
      {"name", "claude_code.lines_of_code.count"},
      {"unit", ""},
      {"sum", {{"aggregationTemporality", 2}, {"isMonotonic", true}, {"dataPoints", {point}}}}};
  return json{{"resourceMetrics",
               {{{"resource", {{"attributes", json::array()}}},
                 {"scopeMetrics", {{{"metrics", {metric}}}}}}}}}
      .dump();
}

TEST(CodeActivity, CumulativeResetsAndRestarts) {
  // (start, time, value): a re-export of an unchanged total, a new start time, a value that
  // went down under the same start (a reset), and a late point older than the latest.
  struct Step {
    int64_t start, time;
    double value;
  };
  const Step steps[] = {{100, 110, 5}, {100, 120, 8}, {100, 130, 8}, {200, 210, 3},
                        {200, 220, 2}, {200, 230, 6}, {200, 215, 4}};
  // Independent figures: per start period, the increases, with a decrease starting a new count.
  // 5, +3, +0 | 3 | 2 (reset), +4 | late point: nothing.
  const double expected_total = 5 + 3 + 0 + 3 + 2 + 4;
  testing::TempStore store;
  for (size_t i = 0; i < std::size(steps); ++i) {
    // A fresh Ingestor per request: what a series needs carries over through the store.
    ingest::Ingestor ingestor(store.path());
    const auto report = ingestor.ingest_otlp_metrics(
        cumulative_lines(steps[i].start, steps[i].time, steps[i].value, "u1"),
        ingest::OtlpEncoding::kJson);
    EXPECT_EQ(1u, report.accepted) << i;
  }
  Engine engine(store.path());
  EXPECT_DOUBLE_EQ(expected_total, code_activity(*engine.snapshot(), {}).lines_added);

  // Placed in time by timeUnixNano: [120 s, 215 s) holds the points at 120, 130, 210 (3 + 0 + 3).
  Filter window;
  window.from_ms = 120'000;
  window.to_ms = 215'000;
  EXPECT_DOUBLE_EQ(6, code_activity(*engine.snapshot(), window).lines_added);
}

TEST(CodeActivity, FiltersApplyToPoints) {
  const auto dataset = testing::otlp_dataset();
  if (!dataset) GTEST_SKIP() << "claude-code-2.1.328-otlp dataset not found";
  const std::vector<std::string> requests = testing::metric_requests(*dataset / "full-run");
  testing::TempStore store;
  ingest_all(store.path(), requests);
  Engine engine(store.path());
  const auto snapshot = engine.snapshot();

  Filter by_model;
  by_model.model = {"claude-opus-5-5"};
  const auto with_model =
      testing::expected_code(requests, [](const json& a) -> std::optional<std::string> {
        if (a.value("model", "") != "claude-opus-5-5") return std::nullopt;
        return std::string();
      });
  expect_same(with_model.at(""), code_activity(*snapshot, by_model), "model filter");
  EXPECT_EQ(0, code_activity(*snapshot, by_model).sessions_started);  // session.count has no model

  Filter by_terminal;
  by_terminal.terminal = {"no-such-terminal"};
  expect_same({}, code_activity(*snapshot, by_terminal), "terminal filter");

  Filter by_email;
  by_email.email = {
      json::parse(requests.front())["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["sum"]
                                   ["dataPoints"][0]["attributes"][3]["value"]["stringValue"]
                                       .get<std::string>()};
  expect_same(testing::expected_total(requests), code_activity(*snapshot, by_email),
              "email filter");

  Filter unknown_practice;
  unknown_practice.practice = {"Unknown"};  // no directory, no hint
  expect_same(testing::expected_total(requests), code_activity(*snapshot, unknown_practice),
              "practice");

  Filter before;
  before.to_ms = 1;  // nothing before 1970
  expect_same({}, code_activity(*snapshot, before), "time filter");
}

TEST(CodeActivity, AttributeBreakdownAndMetricList) {
  const auto dataset = testing::otlp_dataset();
  if (!dataset) GTEST_SKIP() << "claude-code-2.1.328-otlp dataset not found";
  const std::vector<std::string> requests =
      testing::metric_requests(*dataset / "session-id-off-repository-on");
  testing::TempStore store;
  ingest_all(store.path(), requests);
  Engine engine(store.path());
  const auto snapshot = engine.snapshot();

  for (const std::string key : {"vcs.repository.name", "team.id"}) {
    const auto expected =
        testing::expected_code(requests, [&](const json& a) -> std::optional<std::string> {
          if (!a.contains(key)) return std::nullopt;
          return a[key].get<std::string>();
        });
    const auto rows = code_breakdown(*snapshot, {}, *parse_code_grouping("attr." + key));
    ASSERT_EQ(expected.size(), rows.size()) << key;
    ASSERT_FALSE(rows.empty()) << key;
    for (const CodeRow& row : rows) expect_same(expected.at(row.key), row.activity, key);
  }
  EXPECT_TRUE(code_breakdown(*snapshot, {}, *parse_code_grouping("attr.no.such.key")).empty());

  // Every metric name, the ones the API does not use included, with its points.
  std::map<std::string, uint64_t> expected_points;
  for (const std::string& body : requests) {
    const json request = json::parse(body);
    for (const json& rm : request["resourceMetrics"])
      for (const json& sm : rm["scopeMetrics"])
        for (const json& metric : sm["metrics"])
          expected_points[metric["name"].get<std::string>()] += metric["sum"]["dataPoints"].size();
  }
  const auto names = metric_names(*snapshot);
  ASSERT_EQ(expected_points.size(), names.size());
  for (const MetricNameRow& row : names) {
    EXPECT_EQ(expected_points.at(row.name), row.points) << row.name;
    EXPECT_EQ("sum", row.kind);
  }
}

}  // namespace
}  // namespace cca::engine
