#include "store/audit_log.h"

namespace cca::store {

void AuditLog::record(const AuditEntry& entry) {
  Statement insert(db_,
                   "INSERT INTO audit (time_ms, actor, action, target, client, detail) "
                   "VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind_int(1, entry.time_ms);
  insert.bind_text(2, entry.actor);
  insert.bind_text(3, entry.action);
  insert.bind_text(4, entry.target);
  insert.bind_text(5, entry.client);
  insert.bind_text(6, entry.detail_json.empty() ? std::string_view("{}") : entry.detail_json);
  insert.step();
}

std::vector<AuditEntry> AuditLog::read(size_t limit, size_t offset) const {
  std::vector<AuditEntry> entries;
  Statement select(db_,
                   "SELECT id, time_ms, actor, action, target, client, detail FROM audit "
                   "ORDER BY id DESC LIMIT ? OFFSET ?");
  select.bind_int(1, static_cast<int64_t>(limit));
  select.bind_int(2, static_cast<int64_t>(offset));
  while (select.step()) {
    entries.push_back({select.column_int(0), select.column_int(1),
                       std::string(select.column_text(2)), std::string(select.column_text(3)),
                       std::string(select.column_text(4)), std::string(select.column_text(5)),
                       std::string(select.column_text(6))});
  }
  return entries;
}

int64_t AuditLog::count() const {
  return db_.query_int("SELECT count(*) FROM audit");
}

}  // namespace cca::store
