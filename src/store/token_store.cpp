#include "store/token_store.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/hex.h"

namespace cca::store {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kIngest:
      return "ingest";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

Role parse_role(std::string_view name) {
  for (Role role : {Role::kViewer, Role::kIngest, Role::kAdmin})
    if (role_name(role) == name) return role;
  throw std::invalid_argument("unknown role '" + std::string(name) +
                              "': expected viewer, ingest or admin");
}

TokenHash hash_token(std::string_view token) {
  TokenHash hash{};
  unsigned int length = 0;
  if (EVP_Digest(token.data(), token.size(), hash.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != hash.size())
    throw std::runtime_error("SHA-256 is not available");
  return hash;
}

std::string random_hex(size_t bytes) {
  std::string secret(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()), static_cast<int>(bytes)) != 1)
    throw std::runtime_error("the system's random source failed");
  std::string hex;
  hex.reserve(bytes * 2);
  append_hex(hex, secret);
  return hex;
}

std::string TokenStore::create(std::string_view name, Role role,
                               const std::vector<std::string>& practices, int64_t now_ms) {
  if (name.empty()) throw std::invalid_argument("a token needs a name");
  for (const std::string& practice : practices)
    if (practice.empty()) throw std::invalid_argument("a practice name is empty");

  const std::string token = "cca_" + random_hex(32);  // 256 bits
  const TokenHash hash = hash_token(token);
  const std::string practices_json = nlohmann::json(practices).dump();

  Statement insert(db_,
                   "INSERT INTO tokens (name, role, practices, hash, created_ms) "
                   "VALUES (?, ?, ?, ?, ?)");
  insert.bind_text(1, name);
  insert.bind_text(2, role_name(role));
  insert.bind_text(3, practices_json);
  sqlite3_bind_blob(insert.get(), 4, hash.data(), static_cast<int>(hash.size()), SQLITE_STATIC);
  insert.bind_int(5, now_ms);
  try {
    insert.step();
  } catch (const StoreError&) {
    if (sqlite3_extended_errcode(db_.handle()) == SQLITE_CONSTRAINT_UNIQUE)
      throw StoreError("a token named '" + std::string(name) + "' exists already");
    throw;
  }
  return token;
}

bool TokenStore::revoke(std::string_view name) {
  Statement remove(db_, "DELETE FROM tokens WHERE name = ?");
  remove.bind_text(1, name);
  remove.step();
  return sqlite3_changes(db_.handle()) > 0;
}

std::vector<TokenRecord> TokenStore::list() const {
  std::vector<TokenRecord> tokens;
  Statement select(db_, "SELECT name, role, practices, hash, created_ms FROM tokens ORDER BY name");
  while (select.step()) {
    TokenRecord token;
    token.name = select.column_text(0);
    token.role = parse_role(select.column_text(1));
    token.practices = nlohmann::json::parse(select.column_text(2)).get<std::vector<std::string>>();
    const void* hash = sqlite3_column_blob(select.get(), 3);
    if (hash != nullptr && sqlite3_column_bytes(select.get(), 3) == int(token.hash.size()))
      std::memcpy(token.hash.data(), hash, token.hash.size());
    token.created_ms = select.column_int(4);
    tokens.push_back(std::move(token));
  }
  return tokens;
}

int64_t TokenStore::count() const {
  return db_.query_int("SELECT count(*) FROM tokens");
}

}  // namespace cca::store
