#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cca::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One connection to the SQLite store at a path. Opening creates the file when missing and
// brings the schema to kSchemaVersion. WAL mode lets the server read while an ingest writes.
class Database {
 public:
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

  // Runs statements that return no rows; throws StoreError with SQLite's message.
  void exec(std::string_view sql);
  // First column of the first row as an integer, or fallback when there is no row.
  int64_t query_int(std::string_view sql, int64_t fallback = 0);

 private:
  void migrate();

  sqlite3* db_ = nullptr;
  std::string path_;
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
