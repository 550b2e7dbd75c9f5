#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/event_record.h"
#include "common/hash128_set.h"
#include "store/database.h"
#include "store/string_dictionary.h"

namespace cca::store {

// A record that broke a rule, as the quarantine table keeps it.
struct QuarantineEntry {
  std::string_view source;  // file path, "http", "otlp"
  std::string_view kind;    // "line", "event", "employee_row"
  std::string_view reason;
  std::string_view field;
  std::string_view detail;
  std::string_view raw;
  uint64_t line = 0;
};

// Appends events and quarantined records to the store, deduplicating by event key.
// Use inside a write Transaction; call catch_up() first in every transaction, so that rows other
// processes committed meanwhile count as already stored (and rows a retention run deleted no
// longer do), and flush() before it commits.
class EventWriter {
 public:
  explicit EventWriter(Database& db);

  void catch_up();
  // False when an event with the same key is already stored (or pending). Accepted events are
  // written in groups: `event` must stay valid until the next flush().
  bool insert(const EventRecord& event, int64_t ingest_id);
  // Writes the pending events.
  void flush();
  // False when the same record (same raw text and reason) is already quarantined.
  bool quarantine(const QuarantineEntry& entry, int64_t ingest_id, int64_t received_ms);
  // The store's dictionary as this writer knows it, for other writers in the same transactions.
  StringDictionary& strings() { return strings_; }

 private:
  // Dictionary ids of the per-client fields, by EventRecord::client_key.
  struct ClientIds {
    int64_t user_email, user_uid, account_uuid, organization, terminal, practice_hint, os_type,
        os_version, host_arch, host_name, version, resource, scope, envelope;
  };
  const ClientIds& client_ids(const EventRecord& event);
  int64_t id_or_null(std::string_view value);
  void bind_event(Statement& statement, int first, const EventRecord& event, int64_t ingest_id);

  Database& db_;
  StringDictionary strings_;
  // One INSERT of kRowsPerInsert rows, and one of a single row for the remainder: a statement
  // per row spends a sixth of its time starting and finishing the statement.
  Statement insert_many_;
  Statement insert_one_;
  Statement insert_quarantine_;
  Statement keys_since_;
  Statement retention_version_;
  std::vector<std::pair<const EventRecord*, int64_t>> pending_;
  std::unordered_map<Hash128, ClientIds, Hash128Hasher> clients_;
  Hash128Set keys_;
  int64_t max_seq_ = 0;
  // meta.retention_version when keys_ was filled: a retention run since then deleted rows, whose
  // keys are dropped by reading them all again.
  int64_t seen_retention_version_ = 0;
};

}  // namespace cca::store
