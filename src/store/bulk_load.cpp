#include "store/bulk_load.h"

namespace cca::store {
namespace {

std::string journal_mode(Database& db, const char* pragma) {
  Statement statement(db, pragma);
  return statement.step() ? std::string(statement.column_text(0)) : std::string();
}

}  // namespace

BulkLoadScope::BulkLoadScope(Database& db) : db_(db) {
  if (db_.query_int("SELECT EXISTS (SELECT 1 FROM events)") != 0) return;
  // Fails quietly (the mode stays "wal") while another connection has the store open.
  active_ = journal_mode(db_, "PRAGMA journal_mode=DELETE") == "delete";
  // In rollback mode NORMAL skips the sync that makes a commit survive power loss; FULL costs
  // two fsyncs per commit here.
  if (active_) db_.exec("PRAGMA synchronous=FULL");
}

BulkLoadScope::~BulkLoadScope() {
  if (!active_) return;
  try {
    journal_mode(db_, "PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=NORMAL");
  } catch (const StoreError&) {
    // The store stays consistent in rollback-journal mode; the next open switches to WAL.
  }
}

}  // namespace cca::store
