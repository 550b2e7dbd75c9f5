#include "server/access_control.h"

#include <openssl/crypto.h>

#include "common/clock.h"
#include "server/api_error.h"
#include "store/ingest_log.h"

namespace cca::server {
namespace {

bool same_hash(const store::TokenHash& a, const store::TokenHash& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string_view> bearer_of(std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size() || authorization.substr(0, kScheme.size()) != kScheme)
    return std::nullopt;
  return authorization.substr(kScheme.size());
}

// The value of one cookie in a Cookie header ("a=1; b=2").
std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=')
      return pair.substr(name.size() + 1);
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return std::nullopt;
}

[[noreturn]] void unauthorized(std::string message) {
  throw ApiError(401, "unauthorized", std::move(message));
}

[[noreturn]] void forbidden(std::string message) {
  throw ApiError(403, "forbidden", std::move(message));
}

[[noreturn]] void rate_limited(int seconds) {
  throw ApiError(
      429, "rate_limited",
      "too many wrong tokens from this address; retry in " + std::to_string(seconds) + " s",
      seconds);
}

}  // namespace

AccessControl::AccessControl(const std::string& db_path, std::string_view ingest_token,
                             bool metrics_public, bool secure_cookies, int max_auth_failures)
    : metrics_public_(metrics_public),
      secure_cookies_(secure_cookies),
      failed_(max_auth_failures),
      // A read-only store is still served; then nothing is audited (record() says why).
      db_(db_path, store::Database::Access::kReadEvenIfReadOnly) {
  if (!ingest_token.empty()) ingest_token_hash_ = store::hash_token(ingest_token);
  reload();
}

void AccessControl::reload() {
  std::lock_guard lock(mutex_);
  tokens_ = store::TokenStore(db_).list();
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(sessions_, [&](const auto& entry) {
    const Session& session = entry.second;
    if (session.expires <= now) return true;
    for (const store::TokenRecord& token : tokens_)
      if (same_hash(token.hash, session.token)) return false;
    return true;
  });
}

bool AccessControl::tokens_exist() const {
  std::lock_guard lock(mutex_);
  return !tokens_.empty();
}

std::optional<Principal> AccessControl::token_principal(std::string_view token) const {
  const store::TokenHash hash = store::hash_token(token);
  // Every token is compared, each in constant time, whichever matches.
  const store::TokenRecord* match = nullptr;
  for (const store::TokenRecord& record : tokens_)
    if (same_hash(record.hash, hash)) match = &record;
  if (match != nullptr) return Principal{match->name, match->role, match->practices, false, {}};
  if (ingest_token_hash_ && same_hash(*ingest_token_hash_, hash))
    return Principal{"CCANALYTICS_INGEST_TOKEN", store::Role::kIngest, {}, false, {}};
  return std::nullopt;
}

std::optional<Principal> AccessControl::session_principal(const store::TokenHash& session) {
  const auto it = sessions_.find(session);
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires <= std::chrono::steady_clock::now()) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return it->second.principal;
}

Caller AccessControl::identify(const Credentials& credentials) {
  Caller caller;
  caller.client = std::string(credentials.client);
  if (const auto id = cookie_value(credentials.cookie, kSessionCookie))
    caller.session = store::hash_token(*id);
  const auto bearer = bearer_of(credentials.authorization);
  if (!bearer && !caller.session) return caller;
  if (bearer) {
    caller.blocked_for_s = failed_.blocked_for(credentials.client);
    if (caller.blocked_for_s > 0) return caller;
    std::lock_guard lock(mutex_);
    caller.principal = token_principal(*bearer);
    caller.rejected = !caller.principal;
    return caller;
  }
  std::lock_guard lock(mutex_);
  caller.principal = session_principal(*caller.session);
  return caller;
}

void AccessControl::authorize(Access access, const Caller& caller) {
  if (access == Access::kPublic || (access == Access::kMetrics && metrics_public_)) return;
  if (access == Access::kMetrics) access = Access::kReadAll;
  const bool tokens = tokens_exist();
  if (!tokens && !(access == Access::kIngest && ingest_token_set())) return;
  if (caller.blocked_for_s > 0) rate_limited(caller.blocked_for_s);
  if (caller.rejected) {
    failed_.record_failure(caller.client);
    unauthorized("the bearer token is not valid (mistyped, or revoked)");
  }
  if (!caller.principal)
    unauthorized(tokens
                     ? "this endpoint needs 'Authorization: Bearer <token>' or a dashboard session"
                     : "this endpoint needs 'Authorization: Bearer <CCANALYTICS_INGEST_TOKEN>'");
  const Principal& who = *caller.principal;
  const auto role_text = std::string(store::role_name(who.role));
  switch (access) {
    case Access::kRead:
    case Access::kReadAll:
      if (who.role == store::Role::kIngest)
        forbidden("token '" + who.name + "' has role ingest, which cannot read");
      if (access == Access::kReadAll && !who.practices.empty())
        forbidden("token '" + who.name +
                  "' sees some practices only; this answer covers every practice");
      return;
    case Access::kIngest:
      if (who.role == store::Role::kViewer)
        forbidden("token '" + who.name + "' has role viewer, which cannot ingest");
      return;
    case Access::kAdmin:
      if (who.role != store::Role::kAdmin)
        forbidden("token '" + who.name + "' has role " + role_text + "; this needs admin");
      return;
    default:
      return;
  }
}

AccessControl::SignIn AccessControl::sign_in(std::string_view token, std::string_view client) {
  if (const int seconds = failed_.blocked_for(client); seconds > 0) rate_limited(seconds);
  std::optional<Principal> principal;
  {
    std::lock_guard lock(mutex_);
    if (tokens_.empty())
      throw ApiError(409, "no_tokens",
                     "the store holds no tokens, so the server is open and there is nothing to "
                     "sign in to; create one with `ccanalytics token create`");
    principal = token_principal(token);
    // The ingest token outside the store writes telemetry only; it opens no dashboard session.
    if (principal && principal->name == "CCANALYTICS_INGEST_TOKEN") principal.reset();
  }
  if (!principal) {
    failed_.record_failure(client);
    record("", "session.sign_in_failed", "", client);
    unauthorized("the token is not valid (mistyped, or revoked)");
  }
  const std::string id = store::random_hex(32);
  principal->by_session = true;
  principal->csrf_token = store::random_hex(32);
  {
    std::lock_guard lock(mutex_);
    sessions_[store::hash_token(id)] = Session{*principal, store::hash_token(token),
                                               std::chrono::steady_clock::now() + kSessionLifetime};
  }
  record(principal->name, "session.sign_in", principal->name, client);
  const auto max_age = std::chrono::duration_cast<std::chrono::seconds>(kSessionLifetime).count();
  std::string cookie = std::string(kSessionCookie) + "=" + id +
                       "; Path=/; Max-Age=" + std::to_string(max_age) +
                       "; HttpOnly; SameSite=Strict";
  if (secure_cookies_) cookie += "; Secure";
  return {std::move(*principal), std::move(cookie)};
}

std::string AccessControl::sign_out(const Caller& caller) {
  if (caller.session) {
    std::lock_guard lock(mutex_);
    sessions_.erase(*caller.session);
  }
  if (caller.principal && caller.principal->by_session)
    record(caller.principal->name, "session.sign_out", caller.principal->name, caller.client);
  std::string cookie =
      std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
  if (secure_cookies_) cookie += "; Secure";
  return cookie;
}

void AccessControl::record(std::string_view actor, std::string_view action, std::string_view target,
                           std::string_view client, std::string_view detail_json) {
  std::lock_guard lock(mutex_);
  if (db_.read_only()) return;
  store::AuditLog(db_).record(
      {0, system_time_ms(), std::string(actor.empty() ? "anonymous" : actor), std::string(action),
       std::string(target), std::string(client), std::string(detail_json)});
}

std::vector<store::AuditEntry> AccessControl::audit(size_t limit, size_t offset) {
  std::lock_guard lock(mutex_);
  return store::AuditLog(db_).read(limit, offset);
}

int64_t AccessControl::audit_count() {
  std::lock_guard lock(mutex_);
  return store::AuditLog(db_).count();
}

}  // namespace cca::server
