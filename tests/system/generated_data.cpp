#include "system/generated_data.h"

#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "system/process.h"

namespace cca::system_test {

GeneratedData generate_data(const std::string& folder, int users, int sessions, int days,
                            const std::string& end_date) {
  const Finished generated = run({"generate", "--output-dir", folder, "--num-users",
                                  std::to_string(users), "--num-sessions", std::to_string(sessions),
                                  "--days", std::to_string(days), "--end-date", end_date});
  if (generated.exit_code != 0) throw std::runtime_error("generate failed: " + generated.err);
  return {folder + "/telemetry_logs.jsonl", folder + "/otlp_metrics.jsonl",
          folder + "/employees.csv"};
}

int64_t utc_ms(const std::string& text) {
  std::tm parts{};
  int milliseconds = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &parts.tm_year, &parts.tm_mon,
                  &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &milliseconds) < 6)
    throw std::runtime_error("not a UTC instant: " + text);
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  return static_cast<int64_t>(::timegm(&parts)) * 1000 + milliseconds;
}

std::vector<int64_t> event_times_ms(const std::string& telemetry_path) {
  std::ifstream file(telemetry_path);
  std::vector<int64_t> times;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty()) continue;
    const nlohmann::json batch = nlohmann::json::parse(line);
    for (const auto& log_event : batch.at("logEvents")) {
      const auto message = nlohmann::json::parse(log_event["message"].get<std::string>());
      times.push_back(utc_ms(message.at("attributes").at("event.timestamp").get<std::string>()));
    }
  }
  return times;
}

std::vector<DataPoint> data_points(const std::string& metrics_path) {
  std::ifstream file(metrics_path);
  std::vector<DataPoint> points;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty()) continue;
    const nlohmann::json request = nlohmann::json::parse(line);
    for (const auto& resource : request.at("resourceMetrics"))
      for (const auto& scope : resource["scopeMetrics"])
        for (const auto& metric : scope["metrics"])
          for (const auto& point : metric.at("sum").at("dataPoints")) {
            DataPoint p{std::stoll(point["timeUnixNano"].get<std::string>()),
                        metric["name"].get<std::string>(), "", 0};
            for (const auto& attribute : point["attributes"])
              if (attribute["key"] == "type") p.type = attribute["value"]["stringValue"];
            p.value = point.contains("asDouble") ? point["asDouble"].get<double>()
                                                 : std::stod(point["asInt"].get<std::string>());
            points.push_back(std::move(p));
          }
  }
  return points;
}

}  // namespace cca::system_test
