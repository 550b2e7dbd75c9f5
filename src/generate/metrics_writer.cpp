#include "generate/metrics_writer.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "generate/catalog.h"
#include "generate/session.h"

namespace cca::generate {
namespace {

using Json = nlohmann::ordered_json;

// Team attributes as OTEL_RESOURCE_ATTRIBUTES would set them, one set per practice.
struct Team {
  std::string_view department, team_id, cost_center;
  std::array<std::string_view, 3> languages;  // what the practice mostly edits, most first
};
Team team_of(std::string_view practice) {
  if (practice == "Platform Engineering")
    return {"engineering", "platform", "cc-100", {"Go", "YAML", "Shell"}};
  if (practice == "Data Engineering")
    return {"data", "data-eng", "cc-200", {"Python", "SQL", "Scala"}};
  if (practice == "ML Engineering")
    return {"research", "ml", "cc-300", {"Python", "C++", "Markdown"}};
  if (practice == "Backend Engineering")
    return {"engineering", "backend", "cc-400", {"Java", "Go", "SQL"}};
  return {"product", "frontend", "cc-500", {"TypeScript", "CSS", "JSON"}};
}

bool edits_code(std::string_view tool) {
  return tool == "Edit" || tool == "Write" || tool == "NotebookEdit";
}

Json string_attribute(std::string_view key, std::string_view value) {
  return {{"key", key}, {"value", {{"stringValue", value}}}};
}

// One metric's delta points, keyed by their own attributes.
class MetricPoints {
 public:
  void add(const std::vector<std::pair<std::string, std::string>>& attributes, double value) {
    points_[attributes] += value;
  }
  bool empty() const { return points_.empty(); }
  Json to_json(const Json& common, const std::string& start, const std::string& end) const {
    Json points = Json::array();
    for (const auto& [attributes, value] : points_) {
      Json all = common;
      for (const auto& [key, text] : attributes) all.push_back(string_attribute(key, text));
      points.push_back({{"attributes", std::move(all)},
                        {"startTimeUnixNano", start},
                        {"timeUnixNano", end},
                        {"asDouble", value}});
    }
    return points;
  }
  size_t size() const { return points_.size(); }

 private:
  std::map<std::vector<std::pair<std::string, std::string>>, double> points_;
};

std::string nanos(int64_t ms) {
  return std::to_string(ms) + "000000";
}

}  // namespace

uint64_t write_otlp_metrics(const GenerateOptions& options, const std::vector<User>& users,
                            const std::vector<PlannedSession>& plan, const std::string& path,
                            const Scenario* scenario) {
  const std::string partial = path + ".partial";
  std::ofstream out(partial, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path);
  uint64_t points_written = 0;
  Session session;
  for (const PlannedSession& planned : plan) {
    Random session_random(session_seed(options.seed, planned.ordinal));
    simulate_session(session_random, planned.start_ms, session, scenario);
    // Draws of what the events do not tell, on a stream of their own.
    Random random(derive_seed(session_seed(options.seed, planned.ordinal), 1));
    const User& user = users[planned.user];
    const Team team = team_of(user.practice);

    std::map<std::string, MetricPoints> metrics;
    std::string_view model = catalog::kModels[0].id;
    double cli_seconds = 0;
    metrics["claude_code.session.count"].add({}, 1);
    for (const SessionEvent& event : session.events) {
      switch (event.kind) {
        case EventKind::kUserPrompt:
          metrics["claude_code.active_time.total"].add({{"type", "user"}},
                                                       5 + random.uniform_int(0, 55));
          break;
        case EventKind::kApiRequest: {
          model = catalog::kModels[event.model].id;
          const std::string m(model);
          auto& tokens = metrics["claude_code.token.usage"];
          tokens.add({{"model", m}, {"type", "input"}}, static_cast<double>(event.input_tokens));
          tokens.add({{"model", m}, {"type", "output"}}, static_cast<double>(event.output_tokens));
          tokens.add({{"model", m}, {"type", "cacheRead"}},
                     static_cast<double>(event.cache_read_tokens));
          tokens.add({{"model", m}, {"type", "cacheCreation"}},
                     static_cast<double>(event.cache_creation_tokens));
          metrics["claude_code.cost.usage"].add({{"model", m}}, event.cost_usd);
          cli_seconds += static_cast<double>(event.duration_ms) / 1000;
          break;
        }
        case EventKind::kApiError:
          cli_seconds += static_cast<double>(event.duration_ms) / 1000;
          break;
        case EventKind::kToolDecision: {
          const std::string_view tool = catalog::kTools[event.tool].name;
          if (!edits_code(tool)) break;
          const catalog::DecisionSource& source = catalog::kDecisionSources[event.decision_source];
          // Mostly the practice's first language, sometimes its others.
          const uint64_t pick = random.below(10);
          const std::string_view language = team.languages[pick < 6 ? 0 : pick < 9 ? 1 : 2];
          metrics["claude_code.code_edit_tool.decision"].add(
              {{"decision", source.accepts ? "accept" : "reject"},
               {"language", std::string(language)},
               {"source", std::string(source.name)},
               {"tool_name", std::string(tool)}},
              1);
          break;
        }
        case EventKind::kToolResult: {
          cli_seconds += static_cast<double>(event.duration_ms) / 1000;
          const std::string_view tool = catalog::kTools[event.tool].name;
          if (edits_code(tool) && event.success) {
            const std::string m(model);
            const bool write = tool == "Write";
            metrics["claude_code.lines_of_code.count"].add(
                {{"model", m}, {"type", "added"}},
                static_cast<double>(random.uniform_int(1, write ? 200 : 40)));
            metrics["claude_code.lines_of_code.count"].add(
                {{"model", m}, {"type", "removed"}},
                static_cast<double>(write ? 0 : random.uniform_int(0, 25)));
          } else if (tool == "Bash" && event.success && random.bernoulli(0.04)) {
            metrics["claude_code.commit.count"].add({}, 1);
            if (random.bernoulli(0.25)) metrics["claude_code.pull_request.count"].add({}, 1);
          }
          break;
        }
      }
    }
    metrics["claude_code.active_time.total"].add({{"type", "cli"}}, cli_seconds);

    const Json common = Json::array({string_attribute("user.id", user.user_id),
                                     string_attribute("session.id", session.id),
                                     string_attribute("organization.id", user.organization_id),
                                     string_attribute("user.email", user.email),
                                     string_attribute("user.account_uuid", user.account_uuid),
                                     string_attribute("terminal.type", user.terminal)});
    const std::string start = nanos(session.events.front().time_ms);
    const std::string end = nanos(session.events.back().time_ms);
    Json list = Json::array();
    for (const auto& [name, points] : metrics) {
      if (points.empty()) continue;
      const bool seconds = name == "claude_code.active_time.total";
      const bool usd = name == "claude_code.cost.usage";
      const bool tokens = name == "claude_code.token.usage";
      list.push_back({{"name", name},
                      {"unit", seconds  ? "s"
                               : usd    ? "USD"
                               : tokens ? "tokens"
                                        : ""},
                      {"sum",
                       {{"dataPoints", points.to_json(common, start, end)},
                        {"aggregationTemporality", 1},
                        {"isMonotonic", true}}}});
      points_written += points.size();
    }
    const Json resource = Json::array(
        {string_attribute("department", team.department), string_attribute("team.id", team.team_id),
         string_attribute("cost_center", team.cost_center),
         string_attribute("host.arch", user.os.arch), string_attribute("os.type", user.os.type),
         string_attribute("os.version", user.os.version),
         string_attribute("service.name", "claude-code"),
         string_attribute("service.version", user.claude_code_version),
         string_attribute("user.practice", user.practice)});
    const Json request = {
        {"resourceMetrics",
         Json::array({{{"resource", {{"attributes", resource}}},
                       {"scopeMetrics", Json::array({{{"scope",
                                                       {{"name", "com.anthropic.claude_code"},
                                                        {"version", user.claude_code_version}}},
                                                      {"metrics", std::move(list)}}})}}})}};
    out << request.dump() << '\n';
  }
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
  std::filesystem::rename(partial, path);
  return points_written;
}

}  // namespace cca::generate
