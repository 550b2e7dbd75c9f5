#include "store/database.h"

#include "store/schema.h"

namespace cca::store {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw StoreError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Database::Database(const std::string& path) : path_(path) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = "cannot open store " + path + ": " +
                          (db_ ? sqlite3_errmsg(db_) : "out of memory");
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(message);
  }
  sqlite3_busy_timeout(db_, 30'000);
  try {
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;");
    migrate();
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

Database::~Database() { sqlite3_close(db_); }

void Database::exec(std::string_view sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw StoreError("store " + path_ + ": " + message);
  }
}

int64_t Database::query_int(std::string_view sql, int64_t fallback) {
  Statement statement(*this, sql);
  return statement.step() && !statement.column_is_null(0) ? statement.column_int(0) : fallback;
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
  if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace cca::store
