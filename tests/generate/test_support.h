#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cca::generate::testing {

// The reference datasets folder: $CCANALYTICS_DATASETS, else the one CMake points at.
std::filesystem::path datasets_dir();

// Calls on_line for each line of a plain or gzip-compressed text file; stops early when it
// returns false. Throws std::runtime_error when the file cannot be read.
void for_each_line(const std::filesystem::path& path,
                   const std::function<bool(const std::string&)>& on_line);

// "2026-01-02T02:41:00.685Z" to epoch milliseconds, with <chrono> rather than the project's
// own time code so tests do not check the code with itself.
std::optional<int64_t> parse_utc_ms(std::string_view text);

// A fresh empty directory under the system temp folder, removed on destruction.
class TempDir {
 public:
  explicit TempDir(std::string_view name);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Whole file contents, for byte comparisons.
std::string read_file(const std::filesystem::path& path);

}  // namespace cca::generate::testing
