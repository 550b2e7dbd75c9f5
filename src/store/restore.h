#pragma once

#include <string>

#include "store/store_check.h"

namespace cca::store {

struct RestoreReport {
  std::string path;
  StoreContents contents;  // of the backup, as checked before it was restored
  bool replaced = false;   // a store was there before (--force)
  double seconds = 0;
};

// `ccanalytics restore`: checks the backup (check_store_file: integrity, schema version), then
// puts a copy of it at db_path. A store already there is replaced only with `force`, and never
// while a process uses it: restore holds the store's exclusive StoreLock, which every running
// server and ingest holds shared, so it refuses while one runs and processes starting meanwhile
// wait for it. The old store's write-ahead log and index go with it (left beside the new file
// they would be applied to it). The new file takes the old one's mode and owner. Throws
// StoreError saying why it refused or failed; the store is then untouched.
RestoreReport restore_store(const std::string& backup_path, const std::string& db_path, bool force);

}  // namespace cca::store
