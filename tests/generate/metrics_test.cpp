// The generator's otlp_metrics.jsonl: the same bytes for the same seed, and figures that agree
// with the sessions of the telemetry file written beside it (read back from that file).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "generate/generator.h"
#include "support/test_support.h"

namespace cca::generate {
namespace {

using nlohmann::json;

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string attribute(const json& attributes, const std::string& key) {
  for (const auto& kv : attributes)
    if (kv["key"] == key) return kv["value"]["stringValue"];
  return {};
}

struct SessionFigures {
  double input_tokens = 0, cost = 0;
  bool edited = false;  // a successful Edit or Write
  std::string email;
};

TEST(MetricsOutputTest, DeterministicAndConsistentWithTheSessions) {
  test::TempDir dir;
  GenerateOptions options;
  options.num_users = 7;
  options.num_sessions = 60;
  options.seed = 5;
  options.output_dir = (dir.path() / "a").string();
  const GenerateSummary a = generate_dataset(options);
  options.output_dir = (dir.path() / "b").string();
  const GenerateSummary b = generate_dataset(options);
  const std::string metrics = read_all(a.metrics_path);
  ASSERT_FALSE(metrics.empty());
  EXPECT_EQ(metrics, read_all(b.metrics_path));

  // The sessions as the telemetry file tells them.
  std::map<std::string, SessionFigures> sessions;
  {
    std::ifstream in(a.telemetry_path);
    std::string line;
    while (std::getline(in, line)) {
      const json batch = json::parse(line);
      for (const auto& event : batch["logEvents"]) {
        const json message = json::parse(event["message"].get<std::string>());
        const json& attributes = message["attributes"];
        SessionFigures& s = sessions[attributes["session.id"]];
        s.email = attributes["user.email"];
        const std::string name = attributes["event.name"];
        if (name == "api_request") {
          s.input_tokens += std::stod(attributes["input_tokens"].get<std::string>());
          s.cost += std::stod(attributes["cost_usd"].get<std::string>());
        } else if (name == "tool_result" && attributes["success"] == "true" &&
                   (attributes["tool_name"] == "Edit" || attributes["tool_name"] == "Write")) {
          s.edited = true;
        }
      }
    }
  }
  ASSERT_EQ(60u, sessions.size());

  std::map<std::string, SessionFigures> from_metrics;
  std::set<std::string> started;
  std::istringstream lines(metrics);
  std::string line;
  uint64_t points = 0;
  while (std::getline(lines, line)) {
    const json request = json::parse(line);
    for (const auto& resource : request["resourceMetrics"]) {
      EXPECT_EQ("claude-code", attribute(resource["resource"]["attributes"], "service.name"));
      EXPECT_FALSE(attribute(resource["resource"]["attributes"], "team.id").empty());
      for (const auto& scope : resource["scopeMetrics"])
        for (const auto& metric : scope["metrics"]) {
          EXPECT_EQ(1, metric["sum"]["aggregationTemporality"]);  // delta
          for (const auto& point : metric["sum"]["dataPoints"]) {
            ++points;
            const std::string session = attribute(point["attributes"], "session.id");
            SessionFigures& s = from_metrics[session];
            s.email = attribute(point["attributes"], "user.email");
            const double value = point["asDouble"];
            const std::string name = metric["name"];
            if (name == "claude_code.session.count") started.insert(session);
            if (name == "claude_code.token.usage" &&
                attribute(point["attributes"], "type") == "input")
              s.input_tokens += value;
            if (name == "claude_code.cost.usage") s.cost += value;
            if (name == "claude_code.lines_of_code.count" &&
                attribute(point["attributes"], "type") == "added" && value > 0)
              s.edited = true;
          }
        }
    }
  }
  EXPECT_EQ(a.metric_points, points);
  EXPECT_EQ(sessions.size(), started.size());
  for (const auto& [id, s] : sessions) {
    ASSERT_TRUE(from_metrics.contains(id)) << id;
    const SessionFigures& m = from_metrics[id];
    EXPECT_EQ(s.email, m.email) << id;
    EXPECT_DOUBLE_EQ(s.input_tokens, m.input_tokens) << id;
    EXPECT_NEAR(s.cost, m.cost, 1e-9) << id;
    EXPECT_EQ(s.edited, m.edited) << id;
  }
}

}  // namespace
}  // namespace cca::generate
