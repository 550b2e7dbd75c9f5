#include "store/ingest_log.h"

#include <chrono>
#include <string>

#include "common/clock.h"
#include "common/time_util.h"

namespace cca::store {

namespace {

// Binds the six counts, in IngestCounts' order, from parameter `first` on.
void bind_counts(Statement& statement, int first, const IngestCounts& c) {
  for (const uint64_t count :
       {c.lines, c.accepted, c.duplicates, c.rejected_events, c.rejected_lines, c.employees})
    statement.bind_int(first++, static_cast<int64_t>(count));
}

}  // namespace

int64_t IngestLog::begin(std::string_view source, std::string_view path, int64_t size_bytes) {
  Transaction transaction(db_);
  // Another live process may be ingesting too; only rows of dead processes are stale, and
  // SQLite cannot tell them apart, so a 'running' row older than a day is called interrupted.
  Statement stale(db_, "UPDATE ingests SET status = 'interrupted' WHERE status = 'running' AND "
                       "started_ms < ?");
  stale.bind_int(1, system_time_ms() - 86'400'000);
  stale.step();
  Statement insert(db_, "INSERT INTO ingests (source, path, size_bytes, started_ms, status) "
                        "VALUES (?, ?, ?, ?, 'running')");
  insert.bind_text(1, source);
  if (path.empty()) {
    insert.bind_null(2);
  } else {
    insert.bind_text(2, path);
  }
  if (size_bytes < 0) {
    insert.bind_null(3);
  } else {
    insert.bind_int(3, size_bytes);
  }
  insert.bind_int(4, system_time_ms());
  insert.step();
  const int64_t id = sqlite3_last_insert_rowid(db_.handle());
  transaction.commit();
  return id;
}

void IngestLog::complete(int64_t ingest_id, const IngestCounts& c, std::string_view checksum) {
  Statement update(db_,
                   "UPDATE ingests SET status = 'complete', finished_ms = ?, checksum = ?, "
                   "lines = ?, accepted = ?, duplicates = ?, rejected_events = ?, "
                   "rejected_lines = ?, employees = ? WHERE id = ?");
  update.bind_int(1, system_time_ms());
  if (checksum.empty()) {
    update.bind_null(2);
  } else {
    update.bind_text(2, checksum);
  }
  bind_counts(update, 3, c);
  update.bind_int(9, ingest_id);
  update.step();
}

void IngestLog::fail(int64_t ingest_id, std::string_view message) {
  Transaction transaction(db_);
  Statement update(db_, "UPDATE ingests SET status = 'failed', finished_ms = ?, message = ? "
                        "WHERE id = ?");
  update.bind_int(1, system_time_ms());
  update.bind_text(2, message);
  update.bind_int(3, ingest_id);
  update.step();
  transaction.commit();
}

int64_t IngestLog::live_row(std::string_view source, int64_t hour_ms) {
  const std::string path = "exports of the hour from " + format_rfc3339_s(hour_ms);
  Statement find(db_, "SELECT id FROM ingests WHERE source = ? AND path = ? LIMIT 1");
  find.bind_text(1, source);
  find.bind_text(2, path);
  if (find.step()) return find.column_int(0);
  Statement insert(db_,
                   "INSERT INTO ingests (source, path, size_bytes, started_ms, finished_ms, "
                   "status) VALUES (?, ?, 0, ?, ?, 'complete')");
  const int64_t now = system_time_ms();
  insert.bind_text(1, source);
  insert.bind_text(2, path);
  insert.bind_int(3, now);
  insert.bind_int(4, now);
  insert.step();
  return sqlite3_last_insert_rowid(db_.handle());
}

void IngestLog::add_live(int64_t ingest_id, const IngestCounts& c, int64_t size_bytes) {
  Statement update(db_,
                   "UPDATE ingests SET finished_ms = ?, size_bytes = size_bytes + ?, "
                   "lines = lines + ?, accepted = accepted + ?, duplicates = duplicates + ?, "
                   "rejected_events = rejected_events + ?, rejected_lines = rejected_lines + ?, "
                   "employees = employees + ? WHERE id = ?");
  update.bind_int(1, system_time_ms());
  update.bind_int(2, size_bytes);
  bind_counts(update, 3, c);
  update.bind_int(9, ingest_id);
  update.step();
}

}  // namespace cca::store
