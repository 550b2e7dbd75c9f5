#pragma once

#include <array>
#include <cstdint>
#include <future>
#include <string>
#include <vector>

#include "clickhouse/client.h"
#include "common/event_record.h"
#include "common/hash128_set.h"

namespace cca::clickhouse {

// A record that broke a rule, as the quarantine table keeps it.
struct QuarantineRow {
  std::string_view source, kind, reason, field, detail, raw;
  uint64_t line = 0;
};

struct FlushCounts {
  uint64_t inserted = 0;
  uint64_t duplicates = 0;  // already in ClickHouse (events pending together count in add())

  FlushCounts& operator+=(const FlushCounts& other) {
    inserted += other.inserted;
    duplicates += other.duplicates;
    return *this;
  }
};

// Writes events and quarantined records to ClickHouse in large blocks, exactly once per identity.
//
// Deduplication: add() drops an event whose identity is already pending; flush() asks ClickHouse
// which pending identities the events' days already hold (one query, the identities sent as
// external data, never answered by a lagging replica) and inserts only the others. Reads therefore
// never need FINAL. Two processes flushing the same new events at the same instant could both
// insert them; the table's ReplacingMergeTree key (which ends with the identity) collapses such
// twins when parts merge.
//
// Session marks: flush() also asks which rollup cells the fresh events' sessions have already and
// marks the events that open the others (session_opens.h), in the same insert. Like the
// deduplication, this holds for one writer at a time (the ingestor's lock); two processes writing
// the same session at the same instant could both mark a cell.
//
// Rows are copied when added: the caller's event views may be reused at once. A failed flush
// throws ClickHouseError and keeps nothing pending; whatever of it ClickHouse had taken is found
// as already stored when the same input comes again.
//
// A large ingest hands each full block to flush_in_background(), so that ClickHouse writes one
// block (and fills the rollups) while the next is parsed; one block at a time is in flight, and
// it is written before the next one's identities are asked, so deduplication sees it.
class EventWriter {
 public:
  explicit EventWriter(const ClickHouseClient& client);

  // False when an event with the same identity is already pending.
  bool add(const EventRecord& event, uint64_t ingest_id);
  void quarantine(const QuarantineRow& row, uint64_t ingest_id, int64_t received_ms);
  // Events added and not yet handed to a flush, and those of the block in flight.
  size_t pending_events() const { return rows_.size(); }
  size_t events_in_flight() const { return in_flight_events_; }
  // Writes everything pending, after the block in flight; the counts of both.
  FlushCounts flush();
  // Starts writing what is pending on another thread, after the block in flight is written;
  // returns that block's counts (zero when there was none). Throws its error, if it failed.
  FlushCounts flush_in_background();
  // Drops what is pending, after a failure: the next ingest starts clean.
  void flush_discard();

 private:
  struct PendingRow {
    Hash128 key;
    int32_t day;  // UTC days since the epoch
    int64_t time_ms;
    size_t begin, end;  // the row's text in the block's events, up to its session marks
    // What the session marks are made of, from cells_begin in the block's cells: session, person,
    // practice hint and the rolled-up columns' values, one after another.
    size_t cells_begin;
    std::array<uint32_t, 13> cell_sizes;
  };
  struct Block {
    std::string events;  // TabSeparated rows without their session marks and line ends
    std::string cells;
    std::vector<PendingRow> rows;
    std::string quarantine;
  };
  Block take();
  FlushCounts write(Block block) const;
  FlushCounts wait_in_flight();

  const ClickHouseClient& client_;
  // The identities query: on a cluster it must not read a replica that is behind (one just back
  // from a failure), which could miss events it has not fetched yet and let them in twice.
  ClickHouseClient identities_;
  std::string block_;  // TabSeparated rows of the pending events
  std::string cell_text_;
  std::vector<PendingRow> rows_;
  Hash128Set pending_keys_;
  std::string quarantine_block_;
  std::future<FlushCounts> in_flight_;
  size_t in_flight_events_ = 0;
  std::vector<std::string_view> attribute_keys_, attribute_values_;  // reused per event
  std::string attributes_text_;
};

}  // namespace cca::clickhouse
