#include "store/retention.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "common/time_util.h"

namespace cca::store {
namespace {

using Clock = std::chrono::steady_clock;

// A table retention deletes from: its row id column, and what makes a row old (?3 is the cutoff,
// in the table's time unit).
struct Target {
  const char* table;
  const char* id;
  const char* old_row;
  bool nanoseconds;
  uint64_t RetentionReport::*count;
};

// Series go last: their points must be gone first.
constexpr Target kTargets[] = {
    {"events", "seq", "time_ms < ?3", false, &RetentionReport::events},
    {"metric_points", "seq", "time_ns < ?3", true, &RetentionReport::metric_points},
    {"quarantine", "id", "received_ms < ?3", false, &RetentionReport::quarantined},
    {"metric_series", "id",
     "ifnull(last_time_ns, 0) < ?3 AND NOT EXISTS "
     "(SELECT 1 FROM metric_points p WHERE p.series_id = metric_series.id)",
     true, &RetentionReport::metric_series},
};

void bump_retention_version(Database& db) {
  db.exec(
      "INSERT INTO meta (key, value) VALUES ('retention_version', '1') "
      "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
}

int64_t max_id(Database& db, const Target& target) {
  return db.query_int(std::string("SELECT max(") + target.id + ") FROM " + target.table);
}

// Deletes target's old rows range by range; returns whether any was deleted.
bool delete_old_rows(Database& db, const Target& target, int64_t cutoff,
                     const RetentionOptions& options, RetentionReport& report) {
  const std::string table = target.table, id = target.id;
  Statement remove(db, "DELETE FROM " + table + " WHERE " + id + " > ?1 AND " + id + " <= ?2 AND " +
                           target.old_row);
  const int64_t first = db.query_int("SELECT min(" + id + ") FROM " + table);
  const int64_t last = max_id(db, target);  // rows added meanwhile are new; the next run sees them
  if (last <= 0) return false;              // empty
  const int64_t step = std::max<int64_t>(options.rows_per_transaction, 1);
  bool deleted_any = false;
  for (int64_t low = first - 1; low < last; low += step) {
    if (options.stop && options.stop->load()) break;
    const auto started = Clock::now();
    {
      Transaction transaction(db);
      const int64_t largest_before = max_id(db, target);
      remove.bind_int(1, low);
      remove.bind_int(2, std::min(low + step, last));
      remove.bind_int(3, cutoff);
      remove.step();
      remove.reset();
      const auto deleted = static_cast<uint64_t>(sqlite3_changes(db.handle()));
      if (deleted > 0) {
        report.*target.count += deleted;
        deleted_any = true;
        // The next row would reuse a deleted id: readers must reload before they see one.
        if (max_id(db, target) < largest_before) bump_retention_version(db);
      }
      transaction.commit();
    }
    ++report.transactions;
    report.longest_transaction_seconds =
        std::max(report.longest_transaction_seconds,
                 std::chrono::duration<double>(Clock::now() - started).count());
    std::this_thread::sleep_for(options.pause);
  }
  return deleted_any;
}

}  // namespace

std::string RetentionReport::summary() const {
  char text[320];
  std::snprintf(
      text, sizeof text,
      "retention: deleted %llu events, %llu metric points, %llu metric series and %llu "
      "quarantined records older than %s in %.2f s (%llu transactions, the longest "
      "%.0f ms)",
      static_cast<unsigned long long>(events), static_cast<unsigned long long>(metric_points),
      static_cast<unsigned long long>(metric_series), static_cast<unsigned long long>(quarantined),
      format_rfc3339_s(cutoff_ms).c_str(), seconds, static_cast<unsigned long long>(transactions),
      longest_transaction_seconds * 1000);
  return text;
}

RetentionReport apply_retention(Database& db, int64_t cutoff_ms, const RetentionOptions& options) {
  const auto started = Clock::now();
  RetentionReport report;
  report.cutoff_ms = cutoff_ms;
  bool deleted_any = false;
  for (const Target& target : kTargets) {
    const int64_t cutoff = target.nanoseconds ? cutoff_ms * 1'000'000 : cutoff_ms;
    deleted_any |= delete_old_rows(db, target, cutoff, options, report);
  }
  if (deleted_any) {
    Transaction transaction(db);
    bump_retention_version(db);
    transaction.commit();
  }
  report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return report;
}

int64_t retention_version(Database& db) {
  return db.query_int("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'retention_version'");
}

}  // namespace cca::store
