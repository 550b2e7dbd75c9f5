#include <cstdio>
#include <cstdlib>
#include <exception>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "common/clock.h"
#include "common/time_util.h"
#include "store/audit_log.h"
#include "store/ingest_log.h"
#include "store/token_store.h"

namespace cca::cli {
namespace {

// The audit log names the operating-system account that ran the command.
std::string cli_actor() {
  const char* user = std::getenv("USER");
  return std::string("cli:") + (user != nullptr && *user != '\0' ? user : "unknown");
}

template <typename Command>
int guarded(const char* what, Command&& command) {
  try {
    return command();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "ccanalytics token %s: %s\n", what, error.what());
    return 1;
  }
}

}  // namespace

int run_token_create(const TokenCommandOptions& options) {
  return guarded("create", [&] {
    store::Database db(options.db_path);
    const store::Role role = store::parse_role(options.role);
    store::Transaction transaction(db);
    const int64_t now = system_time_ms();
    const std::string token =
        store::TokenStore(db).create(options.name, role, options.practices, now);
    const nlohmann::json detail = {{"role", options.role}, {"practices", options.practices}};
    store::AuditLog(db).record(
        {0, now, cli_actor(), "token.create", options.name, "cli", detail.dump()});
    transaction.commit();
    std::printf("%s\n", token.c_str());
    std::fprintf(stderr,
                 "token '%s' (%s%s) created; it is shown only now: keep it in a secret store\n",
                 options.name.c_str(), options.role.c_str(),
                 options.practices.empty() ? ", every practice" : ", some practices");
    return 0;
  });
}

int run_token_list(const TokenCommandOptions& options) {
  return guarded("list", [&] {
    store::Database db(options.db_path);
    std::printf("%-24s %-7s %-20s %s\n", "NAME", "ROLE", "CREATED", "PRACTICES");
    for (const store::TokenRecord& token : store::TokenStore(db).list()) {
      std::string practices;
      for (const std::string& practice : token.practices)
        practices += (practices.empty() ? "" : ",") + practice;
      std::printf("%-24s %-7s %-20s %s\n", token.name.c_str(),
                  std::string(store::role_name(token.role)).c_str(),
                  format_rfc3339_s(token.created_ms).c_str(),
                  practices.empty() ? "(all)" : practices.c_str());
    }
    return 0;
  });
}

int run_token_revoke(const TokenCommandOptions& options) {
  return guarded("revoke", [&] {
    store::Database db(options.db_path);
    store::Transaction transaction(db);
    if (!store::TokenStore(db).revoke(options.name)) {
      std::fprintf(stderr, "ccanalytics token revoke: no token named '%s'\n", options.name.c_str());
      return 1;
    }
    store::AuditLog(db).record(
        {0, system_time_ms(), cli_actor(), "token.revoke", options.name, "cli", "{}"});
    transaction.commit();
    std::fprintf(stderr, "token '%s' revoked; servers on this store refuse it within --poll-ms\n",
                 options.name.c_str());
    return 0;
  });
}

}  // namespace cca::cli
