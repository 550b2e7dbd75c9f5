#include "store/store_copy.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "store/file_system.h"

namespace cca::store {
namespace {

struct CloseConnection {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Connection = std::unique_ptr<sqlite3, CloseConnection>;

std::string folder_of(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

void sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw StoreError("cannot open " + path + " to flush it: " + std::strerror(errno));
  const int failed = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (failed != 0)
    throw StoreError("cannot flush " + path + " to disk: " + std::strerror(error),
                     error == ENOSPC ? StoreFailure::kDiskFull : StoreFailure::kOther);
}

// Why writing the copy failed, in words: a full disk names the file system and the room needed.
[[noreturn]] void copy_failed(sqlite3* copy, const std::string& destination, uint64_t needed) {
  const StoreFailure failure = failure_of(copy);
  if (failure == StoreFailure::kDiskFull) {
    const std::optional<FileSystemInfo> fs = file_system_of(destination);
    throw StoreError("cannot write " + destination + ": the disk is full" +
                         (fs ? " (the file system mounted at " + fs->mount_point + " has " +
                                   human_bytes(fs->free_bytes) + " free"
                             : std::string(" (")) +
                         "; the copy needs about " + human_bytes(needed) +
                         "). The partial copy was removed",
                     failure);
  }
  throw StoreError("cannot write " + destination + ": " + sqlite3_errmsg(copy) +
                       ". The partial copy was removed",
                   failure);
}

}  // namespace

StoreCopy::StoreCopy(Database& source, const std::string& destination) : destination_(destination) {
  std::string pattern = destination + ".partial-XXXXXX";
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    const int error = errno;
    throw StoreError("cannot create a file beside " + destination + ": " + std::strerror(error),
                     error == ENOSPC  ? StoreFailure::kDiskFull
                     : error == EROFS ? StoreFailure::kReadOnly
                                      : StoreFailure::kOther);
  }
  ::close(fd);
  temporary_ = pattern;
  try {
    const uint64_t needed = static_cast<uint64_t>(source.query_int("PRAGMA page_count")) *
                            static_cast<uint64_t>(source.query_int("PRAGMA page_size"));
    sqlite3* raw = nullptr;
    const int opened = sqlite3_open_v2(temporary_.c_str(), &raw,
                                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    Connection copy(raw);
    if (opened != SQLITE_OK) copy_failed(copy.get(), destination_, needed);
    sqlite3_backup* backup = sqlite3_backup_init(copy.get(), "main", source.handle(), "main");
    if (!backup) copy_failed(copy.get(), destination_, needed);
    // One step copies every page under one read transaction of the source: a consistent state
    // however many commits land meanwhile (a copy in several steps restarts after each).
    const int stepped = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (stepped != SQLITE_DONE) {
      if (failure_of(copy.get()) == StoreFailure::kOther && stepped != SQLITE_FULL)
        throw store_error(source.handle(), source.path(), "reading it for the copy");
      copy_failed(copy.get(), destination_, needed);
    }
    // The pages say WAL mode, as the store's do; a backup is one file, without a log beside it.
    if (sqlite3_exec(copy.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) !=
        SQLITE_OK)
      copy_failed(copy.get(), destination_, needed);
    copy.reset();
    contents_ = check_store_file(temporary_);
  } catch (...) {
    remove_temporary();
    throw;
  }
}

StoreCopy::~StoreCopy() {
  if (!placed_) remove_temporary();
}

void StoreCopy::remove_temporary() noexcept {
  for (const char* suffix : {"", "-journal", "-wal", "-shm"})
    ::unlink((temporary_ + suffix).c_str());
}

void StoreCopy::move_into_place() {
  sync_path(temporary_, O_RDONLY);
  if (::rename(temporary_.c_str(), destination_.c_str()) != 0)
    throw StoreError("cannot rename " + temporary_ + " to " + destination_ + ": " +
                     std::strerror(errno));
  placed_ = true;
  sync_path(folder_of(destination_), O_RDONLY | O_DIRECTORY);  // the rename itself is durable
}

}  // namespace cca::store
