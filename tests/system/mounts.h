#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace cca::system_test {

// A file system mounted for a test and unmounted when destroyed. Mounting needs root (CI runs
// as root on a fresh machine); where it is refused, the factories return null and say why, and
// the test skips with that reason.
class Mount {
 public:
  // A tmpfs of `bytes` at `folder` (created when missing).
  static std::unique_ptr<Mount> tmpfs(const std::string& folder, uint64_t bytes, std::string& why);
  // `source` seen again at `folder`, read-only.
  static std::unique_ptr<Mount> read_only_view(const std::string& source, const std::string& folder,
                                               std::string& why);
  ~Mount();

  const std::string& folder() const { return folder_; }

 private:
  explicit Mount(std::string folder) : folder_(std::move(folder)) {}
  std::string folder_;
};

// Takes every byte left on the file system holding `folder` but `leave` bytes, in a file there;
// gives them back when released or destroyed.
class DiskFiller {
 public:
  explicit DiskFiller(const std::string& folder, uint64_t leave = 0);
  ~DiskFiller() { release(); }
  void release();

 private:
  std::string path_;
};

}  // namespace cca::system_test
