#include "store/event_writer.h"

#include <string>

namespace cca::store {
namespace {

constexpr int kColumns = 47;
constexpr int kRowsPerInsert = 32;

std::string insert_sql(int rows) {
  std::string sql = R"sql(
INSERT INTO events (
  key_hi, key_lo, log_event_id, ingest_id, time_ms, event_name_id, session_id, user_id,
  user_email_id, user_uid_id, account_uuid_id, organization_id, terminal_id, model_id, tool_id,
  decision_id, decision_source_id, decision_type_id, success, error_id, status_code_id, attempt,
  input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd, duration_ms,
  prompt_length, tool_result_size_bytes, practice_hint_id, os_type_id, os_version_id,
  host_arch_id, host_name_id, version_id, resource_id, scope_id, envelope_id, extra,
  query_source_id, speed_id, ttft_ms, cache_creation_5m_tokens, cache_creation_1h_tokens,
  cost_estimated, attributes_id)
VALUES )sql";
  for (int row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ",(";
    for (int column = 0; column < kColumns; ++column) sql += column == 0 ? "?" : ",?";
    sql += ')';
  }
  return sql;
}

void bind_id(Statement& s, int index, int64_t id) {
  if (id == 0) {  // SQLite's rowids start at 1: 0 is "no string"
    s.bind_null(index);
  } else {
    s.bind_int(index, id);
  }
}

void bind_number(Statement& s, int index, const OptionalNumber& number) {
  if (number.present) {
    s.bind_double(index, number.value);
  } else {
    s.bind_null(index);
  }
}

void bind_text_or_null(Statement& s, int index, std::string_view text) {
  if (text.empty()) {
    s.bind_null(index);
  } else {
    s.bind_text(index, text);
  }
}

}  // namespace

EventWriter::EventWriter(Database& db)
    : db_(db),
      strings_(db),
      insert_many_(db, insert_sql(kRowsPerInsert)),
      insert_one_(db, insert_sql(1)),
      insert_quarantine_(
          db,
          "INSERT OR IGNORE INTO quarantine (key_hi, key_lo, ingest_id, source, line, "
          "kind, reason, field, detail, raw, received_ms) "
          "VALUES (?,?,?,?,?,?,?,?,?,?,?)"),
      keys_since_(db, "SELECT seq, key_hi, key_lo FROM events WHERE seq > ?"),
      retention_version_(
          db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'retention_version'") {
  pending_.reserve(kRowsPerInsert);
  catch_up();
}

void EventWriter::catch_up() {
  strings_.catch_up();
  // Deleted rows' keys would keep their events out if they came again, and SQLite may have given
  // their seqs to new rows, which reading on from max_seq_ would miss.
  const int64_t retention_version =
      retention_version_.step() ? retention_version_.column_int(0) : 0;
  retention_version_.reset();
  if (retention_version != seen_retention_version_) {
    keys_ = Hash128Set();
    max_seq_ = 0;
    seen_retention_version_ = retention_version;
  }
  keys_since_.bind_int(1, max_seq_);
  while (keys_since_.step()) {
    max_seq_ = std::max(max_seq_, keys_since_.column_int(0));
    keys_.insert({static_cast<uint64_t>(keys_since_.column_int(1)),
                  static_cast<uint64_t>(keys_since_.column_int(2))});
  }
  keys_since_.reset();
}

int64_t EventWriter::id_or_null(std::string_view value) {
  return value.empty() ? 0 : strings_.id_of(value);
}

const EventWriter::ClientIds& EventWriter::client_ids(const EventRecord& e) {
  auto found = clients_.find(e.client_key);
  if (found != clients_.end()) return found->second;
  const ClientIds ids{id_or_null(e.user_email),      id_or_null(e.user_uid),
                      id_or_null(e.account_uuid),    id_or_null(e.organization_id),
                      id_or_null(e.terminal),        id_or_null(e.practice_hint),
                      id_or_null(e.os_type),         id_or_null(e.os_version),
                      id_or_null(e.host_arch),       id_or_null(e.host_name),
                      id_or_null(e.service_version), id_or_null(e.resource_json),
                      id_or_null(e.scope_json),      id_or_null(e.envelope_json)};
  return clients_.emplace(e.client_key, ids).first->second;
}

bool EventWriter::insert(const EventRecord& event, int64_t ingest_id) {
  if (!keys_.insert(event.key)) return false;
  pending_.emplace_back(&event, ingest_id);
  if (pending_.size() == kRowsPerInsert) flush();
  return true;
}

void EventWriter::flush() {
  if (pending_.size() == kRowsPerInsert) {
    for (int row = 0; row < kRowsPerInsert; ++row)
      bind_event(insert_many_, row * kColumns, *pending_[row].first, pending_[row].second);
    insert_many_.step();
    sqlite3_reset(insert_many_.get());
  } else {
    for (const auto& [event, ingest_id] : pending_) {
      bind_event(insert_one_, 0, *event, ingest_id);
      insert_one_.step();
      sqlite3_reset(insert_one_.get());
    }
  }
  if (!pending_.empty()) max_seq_ = std::max<int64_t>(max_seq_, sqlite3_last_insert_rowid(db_.handle()));
  pending_.clear();
}

// Binds one event's columns as parameters first + 1 .. first + kColumns.
void EventWriter::bind_event(Statement& s, int first, const EventRecord& e, int64_t ingest_id) {
  const ClientIds& client = client_ids(e);
  int i = first;
  s.bind_int(++i, static_cast<int64_t>(e.key.hi));
  s.bind_int(++i, static_cast<int64_t>(e.key.lo));
  bind_text_or_null(s, ++i, e.log_event_id);
  s.bind_int(++i, ingest_id);
  s.bind_int(++i, e.time_ms);
  bind_id(s, ++i, id_or_null(e.event_name));
  s.bind_int(++i, id_or_null(e.session_id));  // 0: in no session (the column predates that)
  bind_id(s, ++i, id_or_null(e.user));
  bind_id(s, ++i, client.user_email);
  bind_id(s, ++i, client.user_uid);
  bind_id(s, ++i, client.account_uuid);
  bind_id(s, ++i, client.organization);
  bind_id(s, ++i, client.terminal);
  bind_id(s, ++i, id_or_null(e.model));
  bind_id(s, ++i, id_or_null(e.tool_name));
  bind_id(s, ++i, id_or_null(e.decision));
  bind_id(s, ++i, id_or_null(e.decision_source));
  bind_id(s, ++i, id_or_null(e.decision_type));
  if (e.success < 0) {
    s.bind_null(++i);
  } else {
    s.bind_int(++i, e.success);
  }
  bind_id(s, ++i, id_or_null(e.error));
  bind_id(s, ++i, id_or_null(e.status_code));
  bind_number(s, ++i, e.attempt);
  bind_number(s, ++i, e.input_tokens);
  bind_number(s, ++i, e.output_tokens);
  bind_number(s, ++i, e.cache_read_tokens);
  bind_number(s, ++i, e.cache_creation_tokens);
  bind_number(s, ++i, e.cost_usd);
  bind_number(s, ++i, e.duration_ms);
  bind_number(s, ++i, e.prompt_length);
  bind_number(s, ++i, e.tool_result_size_bytes);
  bind_id(s, ++i, client.practice_hint);
  bind_id(s, ++i, client.os_type);
  bind_id(s, ++i, client.os_version);
  bind_id(s, ++i, client.host_arch);
  bind_id(s, ++i, client.host_name);
  bind_id(s, ++i, client.version);
  bind_id(s, ++i, client.resource);
  bind_id(s, ++i, client.scope);
  bind_id(s, ++i, client.envelope);
  bind_text_or_null(s, ++i, e.extra_json);
  bind_id(s, ++i, id_or_null(e.query_source));
  bind_id(s, ++i, id_or_null(e.speed));
  bind_number(s, ++i, e.ttft_ms);
  bind_number(s, ++i, e.cache_creation_5m_tokens);
  bind_number(s, ++i, e.cache_creation_1h_tokens);
  s.bind_int(++i, e.cost_estimated ? 1 : 0);
  bind_id(s, ++i, id_or_null(e.attributes_json));
}

bool EventWriter::quarantine(const QuarantineEntry& q, int64_t ingest_id, int64_t received_ms) {
  // Identity of a quarantined record: what it was and why, so a re-ingest adds no copies.
  std::string identity(q.reason);
  identity += '\n';
  identity += q.raw;
  const Hash128 key = hash128(identity);
  Statement& s = insert_quarantine_;
  s.bind_int(1, static_cast<int64_t>(key.hi));
  s.bind_int(2, static_cast<int64_t>(key.lo));
  s.bind_int(3, ingest_id);
  s.bind_text(4, q.source);
  if (q.line > 0) {
    s.bind_int(5, static_cast<int64_t>(q.line));
  } else {
    s.bind_null(5);
  }
  s.bind_text(6, q.kind);
  s.bind_text(7, q.reason);
  bind_text_or_null(s, 8, q.field);
  s.bind_text(9, q.detail);
  s.bind_text(10, q.raw);
  s.bind_int(11, received_ms);
  s.step();
  s.reset();
  return sqlite3_changes(db_.handle()) > 0;
}

}  // namespace cca::store
