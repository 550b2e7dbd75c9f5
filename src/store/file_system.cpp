#include "store/file_system.h"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <cstdio>
#include <filesystem>
#include <system_error>

namespace cca::store {

std::optional<FileSystemInfo> file_system_of(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path current = fs::absolute(path, error);
  if (error) return std::nullopt;
  // The file may not exist yet (a store being created, a backup being written): its folder's
  // file system is the one that matters.
  while (!fs::exists(current, error)) {
    if (!current.has_relative_path()) return std::nullopt;
    current = current.parent_path();
  }
  current = fs::canonical(current, error);
  if (error) return std::nullopt;
  struct stat at {};
  if (::stat(current.c_str(), &at) != 0) return std::nullopt;
  while (current.has_relative_path()) {
    const fs::path parent = current.parent_path();
    struct stat above {};
    if (::stat(parent.c_str(), &above) != 0 || above.st_dev != at.st_dev) break;
    current = parent;
  }
  struct statvfs space {};
  if (::statvfs(current.c_str(), &space) != 0) return std::nullopt;
  return FileSystemInfo{current.string(), static_cast<uint64_t>(space.f_bavail) * space.f_frsize,
                        (space.f_flag & ST_RDONLY) != 0};
}

std::string human_bytes(uint64_t bytes) {
  char text[32];
  if (bytes >= 1'000'000'000) {
    std::snprintf(text, sizeof text, "%.1f GB", bytes / 1e9);
  } else if (bytes >= 1'000'000) {
    std::snprintf(text, sizeof text, "%.1f MB", bytes / 1e6);
  } else if (bytes >= 1'000) {
    std::snprintf(text, sizeof text, "%.0f kB", bytes / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  }
  return text;
}

}  // namespace cca::store
