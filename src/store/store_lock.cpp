#include "store/store_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "store/store_error.h"

namespace cca::store {
namespace {

int open_store_file(const std::string& path, bool create) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT && create)
    fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int error = errno;
    const StoreFailure failure = error == EROFS    ? StoreFailure::kReadOnly
                                 : error == ENOSPC ? StoreFailure::kDiskFull
                                                   : StoreFailure::kOther;
    throw StoreError("cannot open store " + path + ": " + std::strerror(error), failure);
  }
  return fd;
}

// Whether fd is still the file the path names: a restore renames a new file over the path.
bool still_named(int fd, const std::string& path) {
  struct stat held {
  }, named{};
  return ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 &&
         held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

}  // namespace

StoreLock StoreLock::shared(const std::string& path, bool create, std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    const int fd = open_store_file(path, create);
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
      const int error = errno;
      if (error != EWOULDBLOCK && error != EINTR) return StoreLock(fd);  // no flock here: go on
      ::close(fd);
      if (std::chrono::steady_clock::now() >= deadline)
        throw StoreError("store " + path +
                         " is being replaced by `ccanalytics restore` (it holds the store's lock); "
                         "try again once it has finished");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    if (still_named(fd, path)) return StoreLock(fd);
    ::close(fd);  // swapped while we waited: lock the file that is there now
  }
}

StoreLock StoreLock::exclusive(const std::string& path) {
  const int fd = open_store_file(path, true);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK)
      throw StoreError("store " + path +
                       " is in use: a running server or ingest holds it open. Stop it first");
    throw StoreError("cannot lock store " + path + ": " + std::strerror(error));
  }
  if (!still_named(fd, path)) {
    ::close(fd);
    throw StoreError("store " + path + " was replaced meanwhile; try again");
  }
  return StoreLock(fd);
}

StoreLock& StoreLock::operator=(StoreLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

StoreLock::~StoreLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

}  // namespace cca::store
