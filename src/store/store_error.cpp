#include "store/store_error.h"

#include <cerrno>

#include "store/file_system.h"

namespace cca::store {

StoreFailure failure_of(sqlite3* db) {
  if (!db) return StoreFailure::kOther;
  const int code = sqlite3_extended_errcode(db);
  const int system = sqlite3_system_errno(db);
  // SQLite reports ENOSPC as SQLITE_FULL from plain writes, but as an I/O error from some calls
  // (growing the shared-memory index, truncating the log): the errno tells those apart.
  if ((code & 0xff) == SQLITE_FULL || system == ENOSPC || system == EDQUOT)
    return StoreFailure::kDiskFull;
  if ((code & 0xff) == SQLITE_READONLY || system == EROFS) return StoreFailure::kReadOnly;
  // A writable store file in a folder that cannot hold its write-ahead log.
  if ((code & 0xff) == SQLITE_CANTOPEN && (system == EACCES || system == EPERM))
    return StoreFailure::kReadOnly;
  return StoreFailure::kOther;
}

std::string disk_full_message(const std::string& path) {
  const std::optional<FileSystemInfo> fs = file_system_of(path);
  std::string where = fs ? "the file system mounted at " + fs->mount_point + " (" +
                               human_bytes(fs->free_bytes) + " free)"
                         : "its file system";
  return "the disk holding the store " + path + " is full: " + where +
         " has no room for this write. Nothing of it was stored and everything committed before "
         "is intact; free space there, then try again";
}

std::string read_only_message(const std::string& path) {
  const std::optional<FileSystemInfo> fs = file_system_of(path);
  const std::string why =
      fs && fs->read_only
          ? "its file system (mounted at " + fs->mount_point + ") is mounted read-only"
          : "the file or its folder is not writable by this process";
  return "the store " + path + " is read-only: " + why +
         ". It can be read but nothing can be ingested into it";
}

StoreError store_error(sqlite3* db, const std::string& path, std::string_view what) {
  const StoreFailure failure = failure_of(db);
  std::string sqlite_message = db ? sqlite3_errmsg(db) : "out of memory";
  if (!what.empty()) sqlite_message = std::string(what) + ": " + sqlite_message;
  switch (failure) {
    case StoreFailure::kDiskFull:
      return StoreError(disk_full_message(path) + " (" + sqlite_message + ")", failure);
    case StoreFailure::kReadOnly:
      return StoreError(read_only_message(path) + " (" + sqlite_message + ")", failure);
    case StoreFailure::kOther:
      break;
  }
  return StoreError("store " + path + ": " + sqlite_message, failure);
}

}  // namespace cca::store
