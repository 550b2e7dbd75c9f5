#include "store/store_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include "store/store_error.h"

namespace cca::store {
namespace {

// The process's descriptors of store files, by file, with the number of connections using each.
struct Held {
  int fd = -1;
  int references = 0;
};
using FileId = std::pair<dev_t, ino_t>;

std::mutex& registry_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::map<FileId, Held>& registry() {
  static std::map<FileId, Held> held;
  return held;
}

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

// Whether fd is still the file the path names (a restore renames a new file over the path), and
// which file that is.
bool still_named(int fd, const std::string& path, FileId& id) {
  struct stat held {
  }, named{};
  if (::fstat(fd, &held) != 0 || ::stat(path.c_str(), &named) != 0 || held.st_dev != named.st_dev ||
      held.st_ino != named.st_ino)
    return false;
  id = {held.st_dev, held.st_ino};
  return true;
}

bool held_by_this_process(const std::string& path, FileId& id) {
  struct stat named {};
  if (::stat(path.c_str(), &named) != 0) return false;
  id = {named.st_dev, named.st_ino};
  return registry().count(id) > 0;
}

}  // namespace

StoreLock StoreLock::shared(const std::string& path, bool create, std::chrono::milliseconds wait) {
  // Held while waiting for a restore too: a second descriptor of the same file, opened by another
  // thread meanwhile and closed again, would drop this process's SQLite locks on it.
  std::lock_guard guard(registry_mutex());
  // Marked shared only once it holds a reference: its destructor takes the registry's mutex.
  const auto referencing = [](const FileId& id) {
    StoreLock lock;
    lock.shared_ = true;
    std::tie(lock.device_, lock.inode_) = id;
    return lock;
  };
  FileId id;
  if (held_by_this_process(path, id)) {
    ++registry()[id].references;
    return referencing(id);
  }
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    const int fd = open_store_file(path, create);
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
      const int error = errno;
      if (error == EWOULDBLOCK || error == EINTR) {
        ::close(fd);
        if (std::chrono::steady_clock::now() >= deadline)
          throw StoreError("store " + path +
                           " is being replaced by `ccanalytics restore` (it holds the store's "
                           "lock); try again once it has finished");
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      // No flock on this file system: go on without the restore guard.
    }
    if (!still_named(fd, path, id)) {
      ::close(fd);  // swapped while we waited: lock the file that is there now
      continue;
    }
    registry()[id] = {fd, 1};
    return referencing(id);
  }
}

StoreLock StoreLock::exclusive(const std::string& path) {
  std::lock_guard guard(registry_mutex());
  FileId id;
  if (held_by_this_process(path, id))
    throw StoreError("store " + path + " is in use: this process holds it open");
  const int fd = open_store_file(path, true);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK)
      throw StoreError("store " + path +
                       " is in use: a running server or ingest holds it open. Stop it first");
    throw StoreError("cannot lock store " + path + ": " + std::strerror(error));
  }
  if (!still_named(fd, path, id)) {
    ::close(fd);
    throw StoreError("store " + path + " was replaced meanwhile; try again");
  }
  StoreLock lock;
  lock.exclusive_fd_ = fd;
  return lock;
}

StoreLock::~StoreLock() {
  if (exclusive_fd_ >= 0) ::close(exclusive_fd_);  // closing releases the lock
  if (!shared_) return;
  std::lock_guard guard(registry_mutex());
  const auto found = registry().find({device_, inode_});
  if (found == registry().end() || --found->second.references > 0) return;
  // The process's last connection to the file has closed: nothing of SQLite's is left to drop.
  ::close(found->second.fd);
  registry().erase(found);
}

}  // namespace cca::store
