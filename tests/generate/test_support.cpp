#include "generate/test_support.h"

#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cca::generate::testing {

std::filesystem::path datasets_dir() {
  if (const char* env = std::getenv("CCANALYTICS_DATASETS"); env != nullptr && *env != '\0') {
    return env;
  }
  return CCANALYTICS_DEFAULT_DATASETS;
}

void for_each_line(const std::filesystem::path& path,
                   const std::function<bool(const std::string&)>& on_line) {
  // gzopen reads uncompressed files as they are, so one reader serves both.
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) throw std::runtime_error("cannot open " + path.string());
  gzbuffer(file, 1 << 20);
  std::string line;
  char chunk[1 << 16];
  bool more = true;
  while (more) {
    const char* got = gzgets(file, chunk, sizeof chunk);
    if (got == nullptr) {
      more = false;
    } else {
      line.append(got);
      if (line.back() != '\n') continue;
      line.pop_back();
    }
    if (!line.empty() && !on_line(line)) break;
    line.clear();
  }
  gzclose(file);
}

std::optional<int64_t> parse_utc_ms(std::string_view text) {
  using namespace std::chrono;
  int y, mo, d, h, mi, s, ms;
  char z;
  const std::string copy(text);
  if (text.size() != 24 ||
      std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &y, &mo, &d, &h, &mi, &s, &ms,
                  &z) != 8 ||
      z != 'Z') {
    return std::nullopt;
  }
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  const auto instant = sys_days{date} + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
  return duration_cast<milliseconds>(instant.time_since_epoch()).count();
}

TempDir::TempDir(std::string_view name) {
  path_ = std::filesystem::temp_directory_path() /
          ("cca_generate_" + std::string(name) + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace cca::generate::testing
