#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace cca::store {

// What a token may do (docs/api.md, "Access control"): viewers read, ingest tokens write
// telemetry, admins do both and read the audit log.
enum class Role { kViewer, kIngest, kAdmin };

std::string_view role_name(Role role);
// Throws std::invalid_argument naming the accepted roles.
Role parse_role(std::string_view name);

// SHA-256 of a token: what the store keeps instead of the token itself.
using TokenHash = std::array<uint8_t, 32>;
TokenHash hash_token(std::string_view token);

// `bytes` bytes from the system's cryptographic random source, as lowercase hex.
std::string random_hex(size_t bytes);

struct TokenRecord {
  std::string name;
  Role role = Role::kViewer;
  std::vector<std::string> practices;  // empty: every practice
  TokenHash hash{};
  int64_t created_ms = 0;
};

// The tokens table. Tokens are 256 random bits, shown once by create() and kept only as hashes.
class TokenStore {
 public:
  explicit TokenStore(Database& db) : db_(db) {}

  // Creates a token and returns it (`cca_` and 64 hex digits). Throws StoreError when the name
  // is taken, std::invalid_argument when the name or a practice is empty.
  std::string create(std::string_view name, Role role, const std::vector<std::string>& practices,
                     int64_t now_ms);
  // Whether a token of that name existed (and is now gone).
  bool revoke(std::string_view name);
  std::vector<TokenRecord> list() const;
  // How many tokens there are; cheap enough to ask on every poll.
  int64_t count() const;

 private:
  Database& db_;
};

}  // namespace cca::store
