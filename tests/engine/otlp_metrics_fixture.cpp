#include "engine/otlp_metrics_fixture.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace cca::testing {
namespace {

using nlohmann::json;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

json attribute_map(const json& owner) {
  json map = json::object();
  if (!owner.contains("attributes")) return map;
  for (const json& kv : owner["attributes"]) {
    const json& value = kv["value"];
    map[kv["key"].get<std::string>()] = value.empty() ? json() : value.begin().value();
  }
  return map;
}

// Calls each(metric name, temporality, series key, attributes, value) for every sum point.
template <class Each>
void for_each_point(const std::vector<std::string>& requests, Each&& each) {
  for (const std::string& body : requests) {
    const json request = json::parse(body);
    for (const json& rm : request["resourceMetrics"]) {
      const json resource = attribute_map(rm.value("resource", json::object()));
      for (const json& sm : rm["scopeMetrics"]) {
        for (const json& metric : sm["metrics"]) {
          if (!metric.contains("sum")) continue;
          const json& sum = metric["sum"];
          for (const json& dp : sum["dataPoints"]) {
            const json attributes = attribute_map(dp);
            json merged = resource;
            for (const auto& [key, value] : attributes.items()) merged[key] = value;
            const std::string series =
                metric["name"].get<std::string>() + resource.dump() + attributes.dump();
            const double value = dp.contains("asDouble") ? dp["asDouble"].get<double>()
                                                         : std::stod(dp["asInt"].dump());
            each(metric["name"].get<std::string>(), sum.value("aggregationTemporality", 0), series,
                 merged, value);
          }
        }
      }
    }
  }
}

void add(ExpectedCode& e, const std::string& name, const json& attributes, double value) {
  const std::string type = attributes.value("type", "");
  if (name == "claude_code.lines_of_code.count") {
    if (type == "added") e.lines_added += value;
    if (type == "removed") e.lines_removed += value;
  } else if (name == "claude_code.commit.count") {
    e.commits += value;
  } else if (name == "claude_code.pull_request.count") {
    e.pull_requests += value;
  } else if (name == "claude_code.active_time.total") {
    e.active_time_s += value;
  } else if (name == "claude_code.session.count") {
    e.sessions_started += value;
  } else if (name == "claude_code.code_edit_tool.decision") {
    e.edit_decisions += value;
    if (attributes.value("decision", "") == "accept") e.edit_accepts += value;
  }
}

}  // namespace

std::optional<std::filesystem::path> otlp_dataset() {
  const char* env = std::getenv("CCANALYTICS_DATASETS");
  const std::filesystem::path root = env && *env ? env : CCANALYTICS_DEFAULT_DATASETS;
  const std::filesystem::path folder = root / "claude-code-2.1.328-otlp";
  if (!std::filesystem::exists(folder / "metrics-1.json")) return std::nullopt;
  return folder;
}

std::vector<std::string> metric_requests(const std::filesystem::path& folder,
                                         const std::vector<std::string>& names) {
  std::vector<std::filesystem::path> files;
  if (!names.empty()) {
    for (const std::string& name : names) files.push_back(folder / name);
  } else {
    for (const auto& entry : std::filesystem::directory_iterator(folder))
      if (entry.path().filename().string().ends_with("_metrics.json"))
        files.push_back(entry.path());
    std::sort(files.begin(), files.end());
  }
  std::vector<std::string> bodies;
  for (const auto& file : files) bodies.push_back(read_text(file));
  return bodies;
}

std::map<std::string, ExpectedCode> expected_code(const std::vector<std::string>& requests,
                                                  const GroupOf& group_of) {
  struct Contribution {
    std::string name;
    json attributes;
    double value;
  };
  std::vector<Contribution> deltas;
  std::map<std::string, Contribution> last_cumulative;
  for_each_point(requests, [&](const std::string& name, int temporality, const std::string& series,
                               const json& attributes, double value) {
    if (temporality == 2) {
      last_cumulative[series] = {name, attributes, value};
    } else {
      deltas.push_back({name, attributes, value});
    }
  });
  for (auto& [series, contribution] : last_cumulative) deltas.push_back(contribution);
  std::map<std::string, ExpectedCode> groups;
  for (const Contribution& c : deltas) {
    const std::optional<std::string> group = group_of(c.attributes);
    if (group) add(groups[*group], c.name, c.attributes, c.value);
  }
  return groups;
}

ExpectedCode expected_total(const std::vector<std::string>& requests) {
  return expected_code(requests, [](const json&) { return std::string(); })[""];
}

size_t data_point_count(const std::vector<std::string>& requests) {
  size_t count = 0;
  for (const std::string& body : requests) {
    const json request = json::parse(body);
    for (const json& rm : request["resourceMetrics"])
      for (const json& sm : rm["scopeMetrics"])
        for (const json& metric : sm["metrics"])
          for (const auto& [kind, data] : metric.items())
            if (data.is_object() && data.contains("dataPoints")) count += data["dataPoints"].size();
  }
  return count;
}

}  // namespace cca::testing
