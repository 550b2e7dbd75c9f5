#include "store/database.h"

#include <sys/stat.h>

#include <cstdio>

#include "store/schema.h"

namespace cca::store {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  throw store_error(db, file ? file : "", what);
}

// A file: URI for a path, with the characters URIs give a meaning escaped.
std::string file_uri(const std::string& path) {
  std::string uri = "file:";
  for (const char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
      uri += escaped;
    } else {
      uri += c;
    }
  }
  return uri;
}

bool non_empty_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && info.st_size > 0;
}

}  // namespace

Database::Database(const std::string& path, Access access) : path_(path) {
  lock_.emplace(StoreLock::shared(path, /*create=*/access != Access::kReadOnly));
  try {
    if (access == Access::kReadOnly) {
      open_read_only(/*current_schema_only=*/false);
      return;
    }
    try {
      open_writable();
    } catch (const StoreError& error) {
      close();
      if (access == Access::kWrite || error.failure() != StoreFailure::kReadOnly) throw;
      open_read_only(/*current_schema_only=*/true);
    }
  } catch (...) {
    close();
    throw;
  }
}

Database::~Database() {
  close();
}

void Database::close() noexcept {
  sqlite3_close(db_);
  db_ = nullptr;
}

void Database::open_writable() {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr) != SQLITE_OK)
    throw store_error(db_, path_, "cannot open it");
  // SQLite opens a file it may not write read-only, silently.
  if (sqlite3_db_readonly(db_, "main") == 1)
    throw StoreError(read_only_message(path_), StoreFailure::kReadOnly);
  sqlite3_busy_timeout(db_, 30'000);
  exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;");
  migrate();
}

// A store that cannot be written. Reading a WAL-mode store needs its shared-memory index
// (-shm), which a read-only folder or mount cannot hold: then the store is read as immutable,
// which is exact only when the write-ahead log holds nothing, so a store with a log left behind
// is refused rather than shown without it.
void Database::open_read_only(bool current_schema_only) {
  read_only_ = true;
  const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr) != SQLITE_OK)
    throw store_error(db_, path_, "cannot open it read-only");
  sqlite3_busy_timeout(db_, 30'000);
  if (sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    close();
    if (non_empty_file(path_ + "-wal"))
      throw StoreError(read_only_message(path_) + "; its write-ahead log " + path_ +
                           "-wal holds data not yet in the store file, which only a writable "
                           "store can take in: make it writable once, then read it",
                       StoreFailure::kReadOnly);
    if (sqlite3_open_v2((file_uri(path_) + "?immutable=1").c_str(), &db_, flags | SQLITE_OPEN_URI,
                        nullptr) != SQLITE_OK)
      throw store_error(db_, path_, "cannot open it read-only");
  }
  if (!current_schema_only) return;
  const int64_t version = query_int("PRAGMA user_version");
  if (version != kSchemaVersion)
    throw StoreError(
        "store " + path_ + " is read-only and has schema version " + std::to_string(version) +
            "; this binary reads version " + std::to_string(kSchemaVersion) +
            (version < kSchemaVersion ? " and can upgrade it only when it is writable" : ""),
        StoreFailure::kReadOnly);
}

void Database::exec(std::string_view sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    sqlite3_free(error);
    throw store_error(db_, path_, {});
  }
}

int64_t Database::query_int(std::string_view sql, int64_t fallback) {
  Statement statement(*this, sql);
  return statement.step() && !statement.column_is_null(0) ? statement.column_int(0) : fallback;
}

void Database::rollback() noexcept {
  if (db_ && !sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Database::migrate() {
  Transaction transaction(*this);
  const int64_t current = query_int("PRAGMA user_version");
  if (current > kSchemaVersion)
    throw StoreError("store " + path_ + " has schema version " + std::to_string(current) +
                     ", newer than this binary's " + std::to_string(kSchemaVersion));
  for (const Migration& migration : migrations()) {
    if (migration.to_version <= current) continue;
    exec(migration.sql);
    exec("PRAGMA user_version = " + std::to_string(migration.to_version));
  }
  transaction.commit();
}

Statement::Statement(const Database& db, std::string_view sql) : db_(db.handle()) {
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt_, nullptr) != SQLITE_OK)
    fail(db_, "prepare " + std::string(sql.substr(0, 60)));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "step");
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::bind_int(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
void Statement::bind_double(int index, double value) { sqlite3_bind_double(stmt_, index, value); }
void Statement::bind_text(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
}
void Statement::bind_null(int index) { sqlite3_bind_null(stmt_, index); }

std::string_view Statement::column_text(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  return text ? std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, index)))
              : std::string_view();
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (open_) db_.rollback();
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace cca::store
