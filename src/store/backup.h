#pragma once

#include <string>

#include "store/store_check.h"

namespace cca::store {

struct BackupReport {
  std::string path;
  StoreContents contents;  // counted in the backup file itself
  double seconds = 0;
};

// `ccanalytics backup`: a consistent copy of the store at db_path, taken while servers and
// ingests go on writing (SQLite's online backup in one read transaction: the copy is one
// committed state), checked, then renamed to `destination` (replacing a file there). A failure
// leaves nothing under that name. The store is only read: never created, upgraded or locked
// against writers. Throws StoreError.
BackupReport backup_store(const std::string& db_path, const std::string& destination);

// Whether two paths name one existing file.
bool same_file(const std::string& a, const std::string& b);

}  // namespace cca::store
