#include "system/store_census.h"

#include <sqlite3.h>

#include <functional>
#include <memory>
#include <stdexcept>

namespace cca::system_test {
namespace {

std::string column_text(sqlite3_stmt* statement, int column) {
  const auto* text = sqlite3_column_text(statement, column);
  return text ? reinterpret_cast<const char*>(text) : "";
}

void each_row(sqlite3* db, const std::string& sql, const std::function<void(sqlite3_stmt*)>& row) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
    throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
  int status;
  while ((status = sqlite3_step(statement)) == SQLITE_ROW) row(statement);
  sqlite3_finalize(statement);
  if (status != SQLITE_DONE) throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
}

// Opened read-write: the first connection after a crash replays the write-ahead log.
std::unique_ptr<sqlite3, decltype(&sqlite3_close)> open_store(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, 10000);
  return {db, sqlite3_close};
}

}  // namespace

StoreCensus take_census(const std::string& db_path, const char* identity_sql) {
  const auto db = open_store(db_path);
  StoreCensus census;
  each_row(db.get(), "PRAGMA integrity_check", [&](sqlite3_stmt* row) {
    census.integrity += (census.integrity.empty() ? "" : "; ") + column_text(row, 0);
  });
  each_row(db.get(), "SELECT count(*) FROM events",
           [&](sqlite3_stmt* row) { census.rows = sqlite3_column_int64(row, 0); });
  each_row(db.get(), "SELECT count(*) FROM (SELECT DISTINCT key_hi, key_lo FROM events)",
           [&](sqlite3_stmt* row) { census.distinct_identities = sqlite3_column_int64(row, 0); });
  each_row(db.get(), std::string("SELECT ") + identity_sql + " FROM events",
           [&](sqlite3_stmt* row) { ++census.identities[column_text(row, 0)]; });
  return census;
}

std::unordered_set<std::string> identities_in(const std::string& db_path,
                                              const char* identity_sql) {
  std::unordered_set<std::string> identities;
  for (const auto& [identity, rows] : take_census(db_path, identity_sql).identities)
    identities.insert(identity);
  return identities;
}

std::vector<std::pair<std::string, std::string>> ingest_log(const std::string& db_path) {
  const auto db = open_store(db_path);
  std::vector<std::pair<std::string, std::string>> rows;
  each_row(db.get(), "SELECT path, status FROM ingests ORDER BY id",
           [&](sqlite3_stmt* row) { rows.emplace_back(column_text(row, 0), column_text(row, 1)); });
  return rows;
}

}  // namespace cca::system_test
