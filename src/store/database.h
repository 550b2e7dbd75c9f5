#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/store_error.h"
#include "store/store_lock.h"

namespace cca::store {

// One connection to the SQLite store at a path. Opening creates the file when missing and
// brings the schema to kSchemaVersion. WAL mode lets the server read while an ingest writes.
// Each connection holds the store's shared StoreLock while it is open.
class Database {
 public:
  enum class Access {
    kWrite,  // the store must be writable: StoreError (kReadOnly) when it is not
    // Readers (the engine, reports): as kWrite when the store can be written, else read-only,
    // provided it is at this binary's schema version (a read-only store cannot be migrated).
    kReadEvenIfReadOnly,
    // Never writes, never migrates, never creates: backups and the checks of a backup file. The
    // caller judges the schema version.
    kReadOnly,
  };

  explicit Database(const std::string& path, Access access = Access::kWrite);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

  // Runs statements that return no rows; throws StoreError with SQLite's message.
  void exec(std::string_view sql);
  // First column of the first row as an integer, or fallback when there is no row.
  int64_t query_int(std::string_view sql, int64_t fallback = 0);
  // Whether this connection was opened read-only (Access::kReadEvenIfReadOnly on a store that
  // cannot be written).
  bool read_only() const { return read_only_; }
  // Rolls back the open transaction, if any: SQLite rolls some failed ones back itself (a full
  // disk), after which an explicit ROLLBACK would be an error of its own. Never throws.
  void rollback() noexcept;

 private:
  void open_writable();
  void open_read_only(bool current_schema_only);
  void migrate();
  void close() noexcept;

  std::optional<StoreLock> lock_;
  sqlite3* db_ = nullptr;
  std::string path_;
  bool read_only_ = false;
};

// A prepared statement, finalised on destruction.
class Statement {
 public:
  Statement(const Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sqlite3_stmt* get() const { return stmt_; }
  // sqlite3_step; throws on errors. True when a row is available.
  bool step();
  void reset();

  void bind_int(int index, int64_t value);
  void bind_double(int index, double value);
  void bind_text(int index, std::string_view value);  // SQLITE_TRANSIENT is not used: the
                                                      // caller keeps value alive until step()
  void bind_null(int index);

  int64_t column_int(int index) const { return sqlite3_column_int64(stmt_, index); }
  double column_double(int index) const { return sqlite3_column_double(stmt_, index); }
  bool column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }
  std::string_view column_text(int index) const;
  // None for NULL.
  std::optional<std::string> column_optional_text(int index) const {
    if (column_is_null(index)) return std::nullopt;
    return std::string(column_text(index));
  }
  std::optional<int64_t> column_optional_int(int index) const {
    if (column_is_null(index)) return std::nullopt;
    return column_int(index);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE on construction; rolls back unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace cca::store
