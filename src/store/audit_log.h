#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace cca::store {

// One recorded change or sign-in: who (a token's name, or "cli" for the command line), when,
// what was done to which target, from which client address, and details as a JSON object.
struct AuditEntry {
  int64_t id = 0;
  int64_t time_ms = 0;
  std::string actor;
  std::string action;  // e.g. token.create, token.revoke, session.sign_in, employees.upload
  std::string target;
  std::string client;
  std::string detail_json;
};

// The audit table: appended to by whatever changes access or reference data, read by admins.
class AuditLog {
 public:
  explicit AuditLog(Database& db) : db_(db) {}

  void record(const AuditEntry& entry);
  // Newest first.
  std::vector<AuditEntry> read(size_t limit, size_t offset) const;
  int64_t count() const;

 private:
  Database& db_;
};

}  // namespace cca::store
