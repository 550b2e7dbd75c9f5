#include "store/backup.h"

#include <sys/stat.h>

#include <chrono>

#include "store/database.h"
#include "store/store_copy.h"

namespace cca::store {

bool same_file(const std::string& a, const std::string& b) {
  struct stat first {
  }, second{};
  return ::stat(a.c_str(), &first) == 0 && ::stat(b.c_str(), &second) == 0 &&
         first.st_dev == second.st_dev && first.st_ino == second.st_ino;
}

BackupReport backup_store(const std::string& db_path, const std::string& destination) {
  const auto started = std::chrono::steady_clock::now();
  if (same_file(db_path, destination))
    throw StoreError("the backup " + destination + " would overwrite the store itself");
  Database source(db_path, Database::Access::kReadOnly);
  StoreCopy copy(source, destination);
  copy.move_into_place();
  return {destination, copy.contents(),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()};
}

}  // namespace cca::store
