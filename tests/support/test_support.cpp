#include "support/test_support.h"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace cca::test {

TempDir::TempDir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          ("ccanalytics-test-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path);
}

void write_gzip_file(const std::string& path, const std::string& content) {
  gzFile file = gzopen(path.c_str(), "wb");
  if (!file || gzwrite(file, content.data(), static_cast<unsigned>(content.size())) !=
                   static_cast<int>(content.size()))
    throw std::runtime_error("cannot write " + path);
  gzclose(file);
}

std::string read_gzip_file(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) throw std::runtime_error("cannot read " + path);
  std::string content;
  char buffer[1 << 16];
  int n;
  while ((n = gzread(file, buffer, sizeof buffer)) > 0) content.append(buffer, static_cast<size_t>(n));
  gzclose(file);
  return content;
}

namespace {
std::filesystem::path datasets_root() {
  const char* env = std::getenv("CCANALYTICS_DATASETS");
  return env && *env ? env : CCANALYTICS_DEFAULT_DATASETS;
}
}  // namespace

std::optional<std::filesystem::path> reference_dataset(const std::string& name) {
  const std::filesystem::path folder = datasets_root() / name;
  if (!std::filesystem::exists(folder / "telemetry_logs.jsonl.gz")) return std::nullopt;
  return folder;
}

std::optional<std::filesystem::path> reference_file(const std::string& relative_path) {
  const std::filesystem::path file = datasets_root() / relative_path;
  if (!std::filesystem::exists(file)) return std::nullopt;
  return file;
}

std::optional<std::filesystem::path> claude_code_otlp_fixtures() {
  const std::filesystem::path folder = datasets_root() / "claude-code-2.1.328-otlp";
  if (!std::filesystem::exists(folder / "logs.pb")) return std::nullopt;
  return folder;
}

std::vector<std::filesystem::path> otlp_fixture_files(const std::filesystem::path& folder,
                                                      std::string_view signal) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".json" && name.find(signal) != std::string::npos)
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // folder, then arrival order
  return files;
}

nlohmann::json base_attributes(const std::string& event_name, const std::string& session,
                               const std::string& email) {
  return {{"event.timestamp", "2026-01-02T02:41:00.685Z"},
          {"organization.id", "org-1"},
          {"session.id", session},
          {"terminal.type", "vscode"},
          {"user.account_uuid", "acc-1"},
          {"user.email", email},
          {"user.id", "uid-" + email},
          {"event.name", event_name}};
}

nlohmann::json message(const nlohmann::json& attributes) {
  return {{"body", "claude_code." + attributes.value("event.name", std::string("x"))},
          {"attributes", attributes},
          {"scope", {{"name", "com.anthropic.claude_code.events"}, {"version", "2.1.39"}}},
          {"resource",
           {{"host.arch", "x86_64"},
            {"os.type", "linux"},
            {"service.version", "2.1.39"},
            {"user.practice", "ML Engineering"}}}};
}

nlohmann::json log_event(const std::string& id, int64_t timestamp_ms, const nlohmann::json& msg) {
  return {{"id", id}, {"timestamp", timestamp_ms}, {"message", msg.dump()}};
}

std::string batch_line(const std::vector<nlohmann::json>& log_events) {
  nlohmann::json batch = {{"messageType", "DATA_MESSAGE"},
                          {"owner", "123456789012"},
                          {"logGroup", "/claude-code/telemetry"},
                          {"logStream", "otel-collector"},
                          {"subscriptionFilters", {"logs-to-s3"}},
                          {"logEvents", log_events}};
  return batch.dump();
}

namespace {

template <typename T, typename Read>
T sql_value(const std::string& db_path, const std::string& sql, Read read) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    throw std::runtime_error("cannot open " + db_path);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    const std::string error = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error(sql + ": " + error);
  }
  T value{};
  if (sqlite3_step(statement) == SQLITE_ROW) value = read(statement);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

}  // namespace

int64_t sql_int(const std::string& db_path, const std::string& sql) {
  return sql_value<int64_t>(db_path, sql, [](sqlite3_stmt* s) { return sqlite3_column_int64(s, 0); });
}

double sql_double(const std::string& db_path, const std::string& sql) {
  return sql_value<double>(db_path, sql, [](sqlite3_stmt* s) { return sqlite3_column_double(s, 0); });
}

std::string sql_text(const std::string& db_path, const std::string& sql) {
  return sql_value<std::string>(db_path, sql, [](sqlite3_stmt* s) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    return text ? std::string(text) : std::string();
  });
}

std::pair<int, std::string> run_command(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, ""};
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace cca::test
