#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/failed_attempts.h"
#include "server/routes.h"
#include "store/audit_log.h"
#include "store/database.h"
#include "store/token_store.h"

namespace cca::server {

// Who a request comes from.
struct Principal {
  std::string name;  // the token's name
  store::Role role = store::Role::kViewer;
  std::vector<std::string> practices;  // empty: every practice
  bool by_session = false;             // signed in through the dashboard's session cookie
  std::string csrf_token;              // the session's, when by_session
};

// What a request presents: its Authorization and Cookie headers and its client address.
struct Credentials {
  std::string_view authorization;
  std::string_view cookie;
  std::string_view client;
};

// The outcome of looking at a request's credentials; authorize() decides what it may do.
struct Caller {
  std::optional<Principal> principal;
  bool rejected = false;  // presented a bearer token that matches nothing
  int blocked_for_s = 0;  // its address is blocked after too many wrong tokens (FailedAttempts)
  std::string client;
  // The SHA-256 of the session id its cookie names, whether or not that session is live.
  std::optional<store::TokenHash> session;
};

// Tokens, dashboard sessions and the audit log, for every door of the server: REST, OTLP over
// HTTP and gRPC, the update stream and /metrics. The rules are in docs/api.md ("Access control").
class AccessControl {
 public:
  static constexpr std::string_view kSessionCookie = "ccanalytics_session";
  static constexpr std::chrono::hours kSessionLifetime{12};

  // ingest_token: CCANALYTICS_INGEST_TOKEN, an ingest token outside the store; empty for none.
  // secure_cookies: the server speaks TLS, so the session cookie is marked Secure.
  // max_auth_failures: wrong tokens an address may send a minute before it is blocked (0: any).
  AccessControl(const std::string& db_path, std::string_view ingest_token, bool metrics_public,
                bool secure_cookies, int max_auth_failures);

  // Re-reads the tokens, which `ccanalytics token` changes from another process; sessions of
  // revoked tokens end here.
  void reload();
  // Whether the store holds a token: from then on every door but the public ones needs one.
  bool tokens_exist() const;
  bool ingest_token_set() const { return ingest_token_hash_.has_value(); }

  Caller identify(const Credentials& credentials);
  // Throws ApiError 401 (no valid credentials), 403 (the role does not allow it, or a scoped
  // token asks for what it cannot be scoped to) or 429 (the address is blocked).
  void authorize(Access access, const Caller& caller);

  // POST /api/v1/session: a new server-side session for a valid token. Throws ApiError 401 or 429,
  // or 409 when the store holds no tokens (nothing to sign in to).
  struct SignIn {
    Principal principal;
    std::string set_cookie;  // the Set-Cookie header value
  };
  SignIn sign_in(std::string_view token, std::string_view client);
  // DELETE /api/v1/session: ends the caller's session; returns the Set-Cookie value that clears it.
  std::string sign_out(const Caller& caller);

  void record(std::string_view actor, std::string_view action, std::string_view target,
              std::string_view client, std::string_view detail_json = "{}");
  std::vector<store::AuditEntry> audit(size_t limit, size_t offset);
  int64_t audit_count();

 private:
  struct Session {
    Principal principal;
    store::TokenHash token;
    std::chrono::steady_clock::time_point expires;
  };
  std::optional<Principal> token_principal(std::string_view token) const;      // mutex_ held
  std::optional<Principal> session_principal(const store::TokenHash& session);  // mutex_ held

  const bool metrics_public_;
  const bool secure_cookies_;
  std::optional<store::TokenHash> ingest_token_hash_;
  FailedAttempts failed_;

  mutable std::mutex mutex_;
  store::Database db_;
  std::vector<store::TokenRecord> tokens_;
  // By the SHA-256 of the session id, so that a lookup's timing says nothing about ids.
  std::map<store::TokenHash, Session> sessions_;
};

}  // namespace cca::server
