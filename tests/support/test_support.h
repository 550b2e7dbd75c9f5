#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cca::test {

// A folder under the system temp dir, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

void write_file(const std::string& path, const std::string& content);
void write_gzip_file(const std::string& path, const std::string& content);
std::string read_gzip_file(const std::string& path);

// The reference datasets folder (CCANALYTICS_DATASETS, else the build's default), or nullopt
// when the named dataset is absent.
std::optional<std::filesystem::path> reference_dataset(const std::string& name);
// A file under the reference datasets folder ("claude-code-2.1.328-otlp/logs.pb"), or nullopt
// when it is absent.
std::optional<std::filesystem::path> reference_file(const std::string& relative_path);

// What the real Claude Code CLI sent over OTLP (datasets/claude-code-2.1.328-otlp), or nullopt
// when absent; and its JSON bodies of one signal ("logs" or "metrics"), by folder in arrival order.
std::optional<std::filesystem::path> claude_code_otlp_fixtures();
std::vector<std::filesystem::path> otlp_fixture_files(const std::filesystem::path& folder,
                                                      std::string_view signal);

// Attributes every valid event carries, for building test events.
nlohmann::json base_attributes(const std::string& event_name, const std::string& session = "s-1",
                               const std::string& email = "dev@example.com");

// A CloudWatch log event whose message is the JSON of `message`.
nlohmann::json log_event(const std::string& id, int64_t timestamp_ms,
                         const nlohmann::json& message);

// An inner message: {"body": "claude_code.<name>", "attributes": ..., "scope": ..., "resource":
// ...}.
nlohmann::json message(const nlohmann::json& attributes);

// One JSONL line holding a batch of log events.
std::string batch_line(const std::vector<nlohmann::json>& log_events);

// First column of the first row of a query over the SQLite file at db_path.
// Runs a command through the shell; returns its exit status and its output and errors.
std::pair<int, std::string> run_command(const std::string& command);

int64_t sql_int(const std::string& db_path, const std::string& sql);
double sql_double(const std::string& db_path, const std::string& sql);
std::string sql_text(const std::string& db_path, const std::string& sql);

}  // namespace cca::test
