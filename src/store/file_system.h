#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cca::store {

// Where a file lives, for messages that must name the disk: the mount point of the file system
// holding `path` (or its folder when the file does not exist yet), found by walking up the
// folders until the device changes; and the bytes free there for an unprivileged writer.
struct FileSystemInfo {
  std::string mount_point;
  uint64_t free_bytes = 0;
  bool read_only = false;  // mounted read-only
};
std::optional<FileSystemInfo> file_system_of(const std::string& path);

// "1.5 MB", "812 kB", "0 bytes": sizes in messages.
std::string human_bytes(uint64_t bytes);

}  // namespace cca::store
