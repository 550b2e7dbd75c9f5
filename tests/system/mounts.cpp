#include "system/mounts.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace cca::system_test {

std::unique_ptr<Mount> Mount::tmpfs(const std::string& folder, uint64_t bytes, std::string& why) {
  std::filesystem::create_directories(folder);
  const std::string options = "size=" + std::to_string(bytes) + ",mode=0777";
  if (::mount("tmpfs", folder.c_str(), "tmpfs", 0, options.c_str()) != 0) {
    why = std::string("mount -t tmpfs: ") + std::strerror(errno) +
          (::geteuid() != 0 ? " (not root)" : "");
    return nullptr;
  }
  return std::unique_ptr<Mount>(new Mount(folder));
}

std::unique_ptr<Mount> Mount::read_only_view(const std::string& source, const std::string& folder,
                                             std::string& why) {
  std::filesystem::create_directories(folder);
  if (::mount(source.c_str(), folder.c_str(), nullptr, MS_BIND, nullptr) != 0) {
    why = std::string("mount --bind: ") + std::strerror(errno) +
          (::geteuid() != 0 ? " (not root)" : "");
    return nullptr;
  }
  auto mount = std::unique_ptr<Mount>(new Mount(folder));
  if (::mount(nullptr, folder.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0) {
    why = std::string("mount -o remount,bind,ro: ") + std::strerror(errno);
    return nullptr;  // unmounts the writable view
  }
  return mount;
}

Mount::~Mount() {
  ::umount2(folder_.c_str(), MNT_DETACH);
}

DiskFiller::DiskFiller(const std::string& folder, uint64_t leave) : path_(folder + "/filler") {
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + path_ + ": " + std::strerror(errno));
  // Large writes first, then ever smaller ones until not one byte more fits.
  std::vector<char> block(1 << 20, 'f');
  for (size_t size = block.size(); size > 0; size /= 2) {
    while (::write(fd, block.data(), size) == static_cast<ssize_t>(size)) {
    }
  }
  const off_t filled = ::lseek(fd, 0, SEEK_END);
  if (leave > 0 && ::ftruncate(fd, filled > static_cast<off_t>(leave) ? filled - leave : 0) != 0)
    throw std::runtime_error("cannot shorten " + path_ + ": " + std::strerror(errno));
  ::fsync(fd);
  ::close(fd);
}

void DiskFiller::release() {
  if (!path_.empty()) ::unlink(path_.c_str());
  path_.clear();
}

}  // namespace cca::system_test
