#include "store/store_check.h"

#include <filesystem>

#include "store/database.h"
#include "store/schema.h"

namespace cca::store {

StoreContents check_store_file(const std::string& path) {
  Database db(path, Database::Access::kReadOnly);
  std::string integrity;
  try {
    Statement check(db, "PRAGMA integrity_check(20)");
    while (check.step()) {
      if (!integrity.empty()) integrity += "; ";
      integrity += check.column_text(0);
    }
  } catch (const StoreError& error) {
    throw StoreError(path + " is damaged or not a store: SQLite cannot check it (" + error.what() +
                     ")");
  }
  if (integrity != "ok")
    throw StoreError(path + " is damaged: SQLite's integrity check reports: " + integrity);

  StoreContents contents;
  contents.schema_version = db.query_int("PRAGMA user_version");
  if (contents.schema_version > kSchemaVersion)
    throw StoreError(path + " has schema version " + std::to_string(contents.schema_version) +
                     ", newer than this binary's " + std::to_string(kSchemaVersion) +
                     ": use the release that wrote it");
  for (const char* table : {"strings", "events", "ingests", "quarantine", "meta", "employees"}) {
    const std::string sql =
        std::string("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '") +
        table + "'";
    if (contents.schema_version < 1 || db.query_int(sql) != 1)
      throw StoreError(path + " is not a ccanalytics store (it has no table " + table +
                       " at schema version " + std::to_string(contents.schema_version) + ")");
  }
  contents.events = static_cast<uint64_t>(db.query_int("SELECT count(*) FROM events"));
  contents.quarantined = static_cast<uint64_t>(db.query_int("SELECT count(*) FROM quarantine"));
  contents.ingests = static_cast<uint64_t>(db.query_int("SELECT count(*) FROM ingests"));
  if (contents.schema_version >= 3)
    contents.metric_points =
        static_cast<uint64_t>(db.query_int("SELECT count(*) FROM metric_points"));
  std::error_code error;
  const auto bytes = std::filesystem::file_size(path, error);
  contents.bytes = error ? 0 : static_cast<uint64_t>(bytes);
  return contents;
}

}  // namespace cca::store
