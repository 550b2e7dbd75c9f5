#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "store/database.h"

namespace cca::store {

// What one retention run removed, and what it cost the store's writers.
struct RetentionReport {
  int64_t cutoff_ms = 0;  // rows older than this instant were deleted
  uint64_t events = 0;
  uint64_t metric_points = 0;
  uint64_t metric_series = 0;  // series left without points
  uint64_t quarantined = 0;
  uint64_t transactions = 0;
  double seconds = 0;
  // The longest time the run held the store's write lock at once: how long an ingest waited
  // for it at most.
  double longest_transaction_seconds = 0;

  uint64_t deleted() const { return events + metric_points + metric_series + quarantined; }
  // One line for logs: what was deleted, older than when, in how long.
  std::string summary() const;
};

struct RetentionOptions {
  // Rows of a table one transaction looks at, at most (a range of its row ids): the bound on how
  // long an ingest waits for the write lock.
  int64_t rows_per_transaction = 10'000;
  // Between transactions, so that writers waiting on SQLite's busy timeout get the lock.
  std::chrono::milliseconds pause{5};
  // When set and true, the run ends after its current transaction (a server shutting down); the
  // rest is deleted by the next run.
  const std::atomic<bool>* stop = nullptr;
};

// The instant `days` days before now_ms: what is older goes.
inline int64_t retention_cutoff_ms(int days, int64_t now_ms) {
  return now_ms - static_cast<int64_t>(days) * 86'400'000;
}

// Deletes what is older than cutoff_ms: events by their time, metric points by their time
// (timeUnixNano), quarantined records by when they were rejected, and metric series left without
// points whose newest point is older too. The ingest log, the employee directory and the strings
// dictionary are kept.
//
// Each table is worked through in ranges of row ids, one short transaction per range, so that
// ingests are never blocked for long. Readers that load rows by id (the engine, the writers'
// in-memory key sets) learn of deletions from meta.retention_version, bumped at the end of a run
// that deleted anything, and at once when a deletion lowered a table's largest id (SQLite would
// then hand the same ids to new rows).
RetentionReport apply_retention(Database& db, int64_t cutoff_ms,
                                const RetentionOptions& options = {});

// meta.retention_version: 0 until a retention run first deletes something.
int64_t retention_version(Database& db);

}  // namespace cca::store
