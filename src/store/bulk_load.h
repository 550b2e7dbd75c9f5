#pragma once

#include "store/database.h"

namespace cca::store {

// Loading into an empty store writes every page once instead of twice: while it lives, the
// store uses a rollback journal (SQLite journals no page of a fresh file, so data goes straight
// to the database) instead of WAL (which writes each page to the log, then again at the
// checkpoint). Commits stay atomic and durable either way. Only when the store holds no events
// and no other connection is open, since leaving WAL needs exclusive access; otherwise nothing
// changes. WAL is back when the object dies, for readers alongside writers.
class BulkLoadScope {
 public:
  explicit BulkLoadScope(Database& db);
  ~BulkLoadScope();
  BulkLoadScope(const BulkLoadScope&) = delete;
  BulkLoadScope& operator=(const BulkLoadScope&) = delete;

  bool active() const { return active_; }

 private:
  Database& db_;
  bool active_ = false;
};

}  // namespace cca::store
