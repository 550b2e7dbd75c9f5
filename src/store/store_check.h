#pragma once

#include <cstdint>
#include <string>

namespace cca::store {

// What a store file holds, read from the file itself.
struct StoreContents {
  int64_t schema_version = 0;
  uint64_t events = 0;
  uint64_t metric_points = 0;
  uint64_t quarantined = 0;
  uint64_t ingests = 0;
  uint64_t bytes = 0;  // the file's size
};

// Opens the file read-only and checks that it is a whole ccanalytics store that this binary can
// use: SQLite's integrity_check answers ok, the store's tables are there, and its schema version
// is not newer than this binary's (an older one is upgraded when first opened for writing).
// Throws StoreError saying what is wrong.
StoreContents check_store_file(const std::string& path);

}  // namespace cca::store
