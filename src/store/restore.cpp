#include "store/restore.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "store/backup.h"
#include "store/database.h"
#include "store/store_copy.h"
#include "store/store_lock.h"

namespace cca::store {
namespace {

bool exists(const std::string& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0;
}

// SQLite's files beside a store, which belong to the store they were written for.
constexpr const char* kCompanions[] = {"-wal", "-shm", "-journal"};

}  // namespace

RestoreReport restore_store(const std::string& backup_path, const std::string& db_path,
                            bool force) {
  const auto started = std::chrono::steady_clock::now();
  RestoreReport report;
  report.path = db_path;
  report.contents = check_store_file(backup_path);
  if (same_file(backup_path, db_path))
    throw StoreError("the backup " + backup_path + " is the store " + db_path + " itself");

  bool present = exists(db_path);
  for (const char* suffix : kCompanions) present = present || exists(db_path + suffix);
  if (present && !force)
    throw StoreError(db_path +
                     " already holds a store: restore replaces it only with --force "
                     "(stop the server that serves it first)");
  const bool created = !exists(db_path);
  try {
    // Held until the new file is in place: servers and ingests neither run nor start meanwhile.
    const StoreLock lock = StoreLock::exclusive(db_path);
    Database backup(backup_path, Database::Access::kReadOnly);
    StoreCopy copy(backup, db_path);
    struct stat old {};
    if (::stat(db_path.c_str(), &old) == 0) {
      ::chmod(copy.temporary_path().c_str(), old.st_mode & 07777);
      if (::chown(copy.temporary_path().c_str(), old.st_uid, old.st_gid) != 0) {
        // Only root may give a file away; the copy then stays the caller's.
      }
    }
    for (const char* suffix : kCompanions) {
      const std::string companion = db_path + suffix;
      if (::unlink(companion.c_str()) != 0 && errno != ENOENT)
        throw StoreError("cannot remove " + companion + ": " + std::strerror(errno));
    }
    copy.move_into_place();
  } catch (...) {
    struct stat placeholder {};
    // The empty file the lock was taken on, unless the restored store is there already.
    if (created && ::stat(db_path.c_str(), &placeholder) == 0 && placeholder.st_size == 0)
      ::unlink(db_path.c_str());
    throw;
  }
  report.replaced = present;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace cca::store
