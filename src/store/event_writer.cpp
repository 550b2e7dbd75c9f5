#include "store/event_writer.h"

#include <string>

namespace cca::store {
namespace {

constexpr std::string_view kInsertEvent = R"sql(
INSERT INTO events (
  key_hi, key_lo, log_event_id, ingest_id, time_ms, event_name_id, session_id, user_id,
  user_email_id, user_uid_id, account_uuid_id, organization_id, terminal_id, model_id, tool_id,
  decision_id, decision_source_id, decision_type_id, success, error_id, status_code_id, attempt,
  input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd, duration_ms,
  prompt_length, tool_result_size_bytes, practice_hint_id, os_type_id, os_version_id,
  host_arch_id, host_name_id, version_id, resource_id, scope_id, envelope_id, extra)
VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?))sql";

}  // namespace

EventWriter::EventWriter(Database& db)
    : db_(db),
      strings_(db),
      insert_event_(db, kInsertEvent),
      insert_quarantine_(db,
                         "INSERT OR IGNORE INTO quarantine (key_hi, key_lo, ingest_id, source, line, "
                         "kind, reason, field, detail, raw, received_ms) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?)"),
      keys_since_(db, "SELECT seq, key_hi, key_lo FROM events WHERE seq > ?") {
  catch_up();
}

void EventWriter::catch_up() {
  strings_.catch_up();
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

void EventWriter::bind_string(int index, std::string_view value) { bind_id(index, id_or_null(value)); }

// 0 is no id: SQLite's rowids start at 1.
void EventWriter::bind_id(int index, int64_t id) {
  if (id == 0) {
    insert_event_.bind_null(index);
  } else {
    insert_event_.bind_int(index, id);
  }
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

void EventWriter::bind_number(int index, const OptionalNumber& number) {
  if (number.present) {
    insert_event_.bind_double(index, number.value);
  } else {
    insert_event_.bind_null(index);
  }
}

bool EventWriter::insert(const EventRecord& e, int64_t ingest_id) {
  if (!keys_.insert(e.key)) return false;
  Statement& s = insert_event_;
  s.bind_int(1, static_cast<int64_t>(e.key.hi));
  s.bind_int(2, static_cast<int64_t>(e.key.lo));
  if (e.log_event_id.empty()) {
    s.bind_null(3);
  } else {
    s.bind_text(3, e.log_event_id);
  }
  s.bind_int(4, ingest_id);
  s.bind_int(5, e.time_ms);
  s.bind_int(6, id_or_null(e.event_name));
  s.bind_int(7, id_or_null(e.session_id));
  s.bind_int(8, id_or_null(e.user));
  const ClientIds& client = client_ids(e);
  bind_id(9, client.user_email);
  bind_id(10, client.user_uid);
  bind_id(11, client.account_uuid);
  bind_id(12, client.organization);
  bind_id(13, client.terminal);
  bind_string(14, e.model);
  bind_string(15, e.tool_name);
  bind_string(16, e.decision);
  bind_string(17, e.decision_source);
  bind_string(18, e.decision_type);
  if (e.success < 0) {
    s.bind_null(19);
  } else {
    s.bind_int(19, e.success);
  }
  bind_string(20, e.error);
  bind_string(21, e.status_code);
  bind_number(22, e.attempt);
  bind_number(23, e.input_tokens);
  bind_number(24, e.output_tokens);
  bind_number(25, e.cache_read_tokens);
  bind_number(26, e.cache_creation_tokens);
  bind_number(27, e.cost_usd);
  bind_number(28, e.duration_ms);
  bind_number(29, e.prompt_length);
  bind_number(30, e.tool_result_size_bytes);
  bind_id(31, client.practice_hint);
  bind_id(32, client.os_type);
  bind_id(33, client.os_version);
  bind_id(34, client.host_arch);
  bind_id(35, client.host_name);
  bind_id(36, client.version);
  bind_id(37, client.resource);
  bind_id(38, client.scope);
  bind_id(39, client.envelope);
  if (e.extra_json.empty()) {
    s.bind_null(40);
  } else {
    s.bind_text(40, e.extra_json);
  }
  s.step();
  sqlite3_reset(s.get());
  max_seq_ = std::max<int64_t>(max_seq_, sqlite3_last_insert_rowid(db_.handle()));
  return true;
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
  if (q.field.empty()) {
    s.bind_null(8);
  } else {
    s.bind_text(8, q.field);
  }
  s.bind_text(9, q.detail);
  s.bind_text(10, q.raw);
  s.bind_int(11, received_ms);
  s.step();
  s.reset();
  return sqlite3_changes(db_.handle()) > 0;
}

}  // namespace cca::store
