#include "system/tagged_telemetry.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "support/test_support.h"
#include "system/child_process.h"

namespace cca::system_test {

TaggedTelemetry tag_telemetry(const std::string& jsonl_path) {
  const std::string text =
      jsonl_path.ends_with(".gz") ? test::read_gzip_file(jsonl_path) : read_text(jsonl_path);
  TaggedTelemetry tagged;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json batch = nlohmann::json::parse(line);
    std::vector<std::string> tags;
    for (auto& log_event : batch.at("logEvents")) {
      nlohmann::json message = nlohmann::json::parse(log_event.at("message").get<std::string>());
      const std::string tag = std::to_string(tagged.events++);
      message["attributes"]["event.sequence"] = tag;
      log_event["message"] = message.dump();
      tags.push_back(tag);
    }
    tagged.lines.push_back(batch.dump());
    tagged.tags.push_back(std::move(tags));
  }
  if (tagged.events == 0) throw std::runtime_error("no log events in " + jsonl_path);
  return tagged;
}

std::string jsonl(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

std::string telemetry_file(const std::string& scratch, bool large) {
  const char* name = large ? "reference-100u-5000s" : "reference-30u-500s";
  if (const auto folder = test::reference_dataset(name))
    return (*folder / "telemetry_logs.jsonl.gz").string();
  const std::string out = scratch + "/generated";
  run_to_end({"generate", "--output-dir", out, "--num-users", large ? "100" : "30",
              "--num-sessions", large ? "5000" : "500"},
             scratch + "/generate");
  return out + "/telemetry_logs.jsonl";
}

}  // namespace cca::system_test
