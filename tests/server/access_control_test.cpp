// Access control over HTTP: every endpoint under every role, scoped answers against the unscoped
// answer filtered to the same practices, dashboard sessions and CSRF, throttled guessing,
// revocation, the audit log, secure defaults and HTTPS.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "engine/random_store.h"
#include "engine/temp_store.h"
#include "server/running_server.h"
#include "server/tls_files.h"
#include "store/ingest_log.h"
#include "store/token_store.h"
#include "support/test_support.h"

namespace cca::server {
namespace {

using nlohmann::json;

constexpr const char* kPractice = "Platform Engineering";
constexpr const char* kPracticeParam = "Platform%20Engineering";
constexpr const char* kOtherPracticeParam = "Data%20Engineering";

// Who may call what, written out here rather than read from the server's route table.
enum class Rule { kPublic, kRead, kReadAll, kIngest, kAdmin };
const std::map<std::string, Rule> kRules = {
    {"GET /health", Rule::kPublic},
    {"GET /api/v1/session", Rule::kPublic},
    {"POST /api/v1/session", Rule::kPublic},
    {"DELETE /api/v1/session", Rule::kPublic},
    {"POST /api/v1/ingest", Rule::kIngest},
    {"POST /v1/logs", Rule::kIngest},
    {"POST /v1/metrics", Rule::kIngest},
    {"PUT /api/v1/employees", Rule::kIngest},
    {"GET /api/v1/audit", Rule::kAdmin},
    {"GET /api/v1/quality", Rule::kReadAll},
    {"GET /metrics", Rule::kReadAll},
    // Budgets may cover any practice: a scoped viewer sees none of them.
    {"GET /api/v1/budgets", Rule::kReadAll},
    {"GET /api/v1/alerts", Rule::kReadAll},
    {"POST /api/v1/budgets", Rule::kAdmin},
    {"PUT /api/v1/budgets/{id}", Rule::kAdmin},
    {"DELETE /api/v1/budgets/{id}", Rule::kAdmin},
};

Rule rule_of(const RouteSpec& route) {
  const auto it = kRules.find(std::string(route.method) + " " + std::string(route.path));
  return it == kRules.end() ? Rule::kRead : it->second;
}

enum class Who { kNobody, kWrongToken, kViewer, kScopedViewer, kIngest, kAdmin };
const Who kEveryone[] = {Who::kNobody,       Who::kWrongToken, Who::kViewer,
                         Who::kScopedViewer, Who::kIngest,     Who::kAdmin};

const char* name_of(Who who) {
  switch (who) {
    case Who::kNobody:
      return "nobody";
    case Who::kWrongToken:
      return "wrong token";
    case Who::kViewer:
      return "viewer";
    case Who::kScopedViewer:
      return "scoped viewer";
    case Who::kIngest:
      return "ingest";
    case Who::kAdmin:
      return "admin";
  }
  return "";
}

// The status the contract gives `who` on a route of `rule` (2xx written as 200).
int expected_status(Rule rule, Who who) {
  if (rule == Rule::kPublic) return 200;
  if (who == Who::kNobody || who == Who::kWrongToken) return 401;
  switch (rule) {
    case Rule::kRead:
      return who == Who::kIngest ? 403 : 200;
    case Rule::kReadAll:
      return who == Who::kViewer || who == Who::kAdmin ? 200 : 403;
    case Rule::kIngest:
      return who == Who::kIngest || who == Who::kAdmin ? 200 : 403;
    case Rule::kAdmin:
      return who == Who::kAdmin ? 200 : 403;
    case Rule::kPublic:
      break;
  }
  return 200;
}

class AccessControlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = std::make_unique<testing::TempStore>();
    {
      store::Database db(store_->path());
      history_ = testing::make_random_history(11, 60);
      testing::StoreWriter writer(db);
      writer.replace_directory(history_.directory);
      writer.insert(history_.events);
      store::TokenStore tokens(db);
      tokens_[Who::kViewer] = tokens.create("viewer", store::Role::kViewer, {}, system_time_ms());
      tokens_[Who::kScopedViewer] =
          tokens.create("platform-lead", store::Role::kViewer, {kPractice}, system_time_ms());
      tokens_[Who::kIngest] = tokens.create("fleet", store::Role::kIngest, {}, system_time_ms());
      tokens_[Who::kAdmin] = tokens.create("admin", store::Role::kAdmin, {}, system_time_ms());
      tokens_[Who::kWrongToken] = "cca_" + std::string(64, '0');
    }
    ServeOptions options = testing::test_options(store_->path());
    options.max_auth_failures = 0;  // the matrix sends many wrong tokens
    server_ = std::make_unique<testing::RunningServer>(options);
  }
  static void TearDownTestSuite() {
    server_.reset();
    store_.reset();
  }

  static httplib::Headers headers_for(Who who) {
    if (who == Who::kNobody) return {};
    return {{"Authorization", "Bearer " + tokens_[who]}};
  }

  static httplib::Result get(const std::string& target, Who who) {
    return server_->client()->Get(target, headers_for(who));
  }

  static json get_json(const std::string& target, Who who, int status = 200) {
    const auto response = get(target, who);
    EXPECT_TRUE(response) << target;
    if (!response) return json();
    EXPECT_EQ(status, response->status)
        << name_of(who) << " " << target << " -> " << response->body;
    return json::parse(response->body, nullptr, false);
  }

  // A session id and a user email of `practice`, as the admin sees them.
  static std::string session_in(const std::string& practice_param) {
    const json page = get_json("/api/v1/sessions?limit=1&practice=" + practice_param, Who::kAdmin);
    return page["rows"].at(0)["session_id"];
  }
  static std::string user_in(const std::string& practice_param) {
    const json page = get_json("/api/v1/users?limit=1&practice=" + practice_param, Who::kAdmin);
    return page["rows"].at(0)["email"];
  }

  static constexpr const char* kBudget =
      R"({"name": "Matrix", "amount_usd": 10, "period": "week", "filters": {"model": "m"}})";

  // A request that succeeds for whoever may make it.
  static int status_of(const RouteSpec& route, Who who) {
    auto client = server_->client();
    const httplib::Headers headers = headers_for(who);
    const std::string path(route.path);
    if (route.method == "GET") {
      std::string target = path;
      if (route.id == RouteId::kSessionDetail)
        target = "/api/v1/sessions/" + session_in(kPracticeParam);
      if (route.id == RouteId::kUserProfile) target = "/api/v1/users/" + user_in(kPracticeParam);
      if (route.id == RouteId::kBreakdown || route.id == RouteId::kCodeBreakdown)
        target += "?by=model";
      if (route.id == RouteId::kExportCsv) target += "?view=breakdown&by=model";
      if (route.id == RouteId::kStream) {
        // The stream stays open: its status is all that is read.
        int status = 0;
        client->Get(
            target, headers,
            [&](const httplib::Response& response) {
              status = response.status;
              return true;
            },
            [](const char*, size_t) { return false; });
        return status;
      }
      const auto response = client->Get(target, headers);
      return response ? response->status : 0;
    }
    if (route.id == RouteId::kSignIn) {
      const auto response = client->Post(
          path, headers, R"({"token":")" + tokens_[Who::kViewer] + "\"}", "application/json");
      return response ? response->status : 0;
    }
    if (route.id == RouteId::kSignOut) {
      const auto response = client->Delete(path, headers);
      return response ? response->status : 0;
    }
    if (route.id == RouteId::kEmployeesPut) {
      const auto response = client->Put(path, headers,
                                        "email,full_name,practice,level,location\nnew@example.com,"
                                        "New,Platform Engineering,L3,Remote\n",
                                        "text/csv");
      return response ? response->status : 0;
    }
    if (route.id == RouteId::kIngest) {
      const auto response = client->Post(path, headers, "", "application/x-ndjson");
      return response ? response->status : 0;
    }
    if (route.id == RouteId::kBudgetCreate) {
      const auto response = client->Post(path, headers, kBudget, "application/json");
      return response ? response->status : 0;
    }
    if (route.id == RouteId::kBudgetUpdate || route.id == RouteId::kBudgetDelete) {
      // A budget of the admin's, which whoever asks then tries to change.
      const auto created =
          client->Post("/api/v1/budgets", headers_for(Who::kAdmin), kBudget, "application/json");
      const std::string target =
          "/api/v1/budgets/" + std::to_string(json::parse(created->body)["id"].get<int64_t>());
      const auto response = route.id == RouteId::kBudgetUpdate
                                ? client->Put(target, headers, kBudget, "application/json")
                                : client->Delete(target, headers);
      return response ? response->status : 0;
    }
    const auto response = client->Post(path, headers, "{}", "application/json");
    return response ? response->status : 0;
  }

  static std::unique_ptr<testing::TempStore> store_;
  static testing::RandomHistory history_;
  static std::map<Who, std::string> tokens_;
  static std::unique_ptr<testing::RunningServer> server_;
};

std::unique_ptr<testing::TempStore> AccessControlTest::store_;
testing::RandomHistory AccessControlTest::history_;
std::map<Who, std::string> AccessControlTest::tokens_;
std::unique_ptr<testing::RunningServer> AccessControlTest::server_;

TEST_F(AccessControlTest, EveryEndpointUnderEveryRole) {
  for (const RouteSpec& route : route_specs()) {
    for (const Who who : kEveryone) {
      SCOPED_TRACE(std::string(route.method) + " " + std::string(route.path) + " as " +
                   name_of(who));
      const int expected = expected_status(rule_of(route), who);
      const int status = status_of(route, who);
      if (expected == 200) {
        EXPECT_GE(status, 200);
        EXPECT_LT(status, 300);
      } else {
        EXPECT_EQ(expected, status);
      }
    }
  }
}

TEST_F(AccessControlTest, TheDashboardFilesAndHealthNeedNoToken) {
  EXPECT_EQ(200, get("/health", Who::kNobody)->status);
  const auto page = get("/", Who::kNobody);
  EXPECT_TRUE(page->status == 200 || page->status == 404) << page->status;  // 404: no dashboard
  EXPECT_NE(401, page->status);
}

TEST_F(AccessControlTest, ScopedAnswersEqualTheUnscopedAnswerFilteredToTheScope) {
  const std::string targets[] = {
      "/api/v1/summary",
      "/api/v1/summary?from=2026-01-01",
      "/api/v1/breakdown?by=model",
      "/api/v1/breakdown?by=practice",
      "/api/v1/breakdown?by=email&sort=cost_usd",
      "/api/v1/breakdown?by=tool",
      "/api/v1/timeseries?bucket=day",
      "/api/v1/timeseries?bucket=hour&split=model",
      "/api/v1/heatmap",
      "/api/v1/sessions?limit=500",
      "/api/v1/latency?by=model",
      "/api/v1/latency?by=tool",
      "/api/v1/users?limit=500",
      "/api/v1/distribution",
      "/api/v1/code",
      "/api/v1/code/breakdown?by=model",
      "/api/v1/code/timeseries?bucket=day",
      "/api/v1/export.csv?view=breakdown&by=model",
      "/api/v1/export.csv?view=sessions",
      "/api/v1/export.csv?view=users",
      "/api/v1/forecast?bucket=day",
      "/api/v1/anomalies?metric=events",
  };
  for (const std::string& target : targets) {
    SCOPED_TRACE(target);
    const char separator = target.find('?') == std::string::npos ? '?' : '&';
    const auto scoped = get(target, Who::kScopedViewer);
    const auto filtered = get(target + separator + "practice=" + kPracticeParam, Who::kAdmin);
    const auto everything = get(target, Who::kAdmin);
    ASSERT_TRUE(scoped && filtered && everything);
    EXPECT_EQ(200, scoped->status) << scoped->body;
    EXPECT_EQ(filtered->body, scoped->body);
    // Asking for the own practice gives the same; another practice is refused.
    EXPECT_EQ(filtered->body,
              get(target + separator + "practice=" + kPracticeParam, Who::kScopedViewer)->body);
    EXPECT_EQ(
        403,
        get(target + separator + "practice=" + kOtherPracticeParam, Who::kScopedViewer)->status);
    if (target == "/api/v1/summary") {
      EXPECT_NE(everything->body, scoped->body);
    }
  }
}

TEST_F(AccessControlTest, ScopedFacetsListOnlyTheScope) {
  const json scoped = get_json("/api/v1/facets", Who::kScopedViewer);
  const json filtered =
      get_json(std::string("/api/v1/facets?practice=") + kPracticeParam, Who::kAdmin);
  EXPECT_EQ(json::array({kPractice}), scoped["practice"]);
  EXPECT_EQ(json::array({kPractice}),
            scoped["counts"]["practice"].is_object()
                ? json::array({scoped["counts"]["practice"].begin().key()})
                : json());
  EXPECT_EQ(1u, scoped["counts"]["practice"].size());
  // The practice facet leaves its own filter out, the scope never: only it differs.
  for (const auto& [facet, values] : filtered.items())
    if (facet != "practice" && facet != "counts") {
      EXPECT_EQ(values, scoped[facet]) << facet;
    }
  for (const auto& [facet, counts] : filtered["counts"].items())
    if (facet != "practice") {
      EXPECT_EQ(counts, scoped["counts"][facet]) << facet;
    }
  EXPECT_GT(get_json("/api/v1/facets", Who::kAdmin)["practice"].size(), 1u);
}

TEST_F(AccessControlTest, ScopedViewersSeeNoOtherPracticesPeopleOrSessions) {
  const json employees = get_json("/api/v1/employees", Who::kScopedViewer);
  json expected = json::array();
  const json everyone = get_json("/api/v1/employees", Who::kAdmin);
  for (const json& row : everyone["rows"])
    if (row["practice"] == kPractice) expected.push_back(row);
  EXPECT_EQ(expected, employees["rows"]);
  EXPECT_EQ(expected.size(), employees["total"].get<size_t>());

  // Sessions and people are seen through their events: a scoped viewer sees those with events
  // in the scope, as the unscoped filtered answer does, and nothing of the others.
  const auto ids = [&](const std::string& target, const char* field) {
    std::set<std::string> found;
    const json page = get_json(target, Who::kAdmin);
    for (const json& row : page["rows"]) found.insert(row[field]);
    return found;
  };
  const std::set<std::string> own_sessions =
      ids(std::string("/api/v1/sessions?limit=500&practice=") + kPracticeParam, "session_id");
  const std::set<std::string> own_users =
      ids(std::string("/api/v1/users?limit=500&practice=") + kPracticeParam, "email");
  size_t checked_other = 0;
  for (const std::string& session : ids("/api/v1/sessions?limit=500", "session_id")) {
    const std::string target = "/api/v1/sessions/" + session;
    if (own_sessions.count(session)) {
      EXPECT_EQ(get_json(target + "?practice=" + kPracticeParam, Who::kAdmin),
                get_json(target, Who::kScopedViewer));
    } else {
      get_json(target, Who::kScopedViewer, 404);
      ++checked_other;
    }
  }
  for (const std::string& email : ids("/api/v1/users?limit=500", "email")) {
    const std::string target = "/api/v1/users/" + email;
    if (own_users.count(email)) {
      EXPECT_EQ(get_json(target + "?practice=" + kPracticeParam, Who::kAdmin),
                get_json(target, Who::kScopedViewer));
    } else {
      get_json(target, Who::kScopedViewer, 404);
      ++checked_other;
    }
  }
  EXPECT_GT(checked_other, 0u);
  EXPECT_FALSE(own_sessions.empty());
}

TEST_F(AccessControlTest, ErrorsSayWhy) {
  const json missing = get_json("/api/v1/summary", Who::kNobody, 401);
  EXPECT_EQ("unauthorized", missing["error"]["code"]);
  const json ingest = get_json("/api/v1/summary", Who::kIngest, 403);
  EXPECT_EQ("forbidden", ingest["error"]["code"]);
  EXPECT_NE(std::string::npos, ingest["error"]["message"].get<std::string>().find("ingest"));
}

TEST_F(AccessControlTest, EveryAnswerCarriesTheSecurityHeaders) {
  for (const std::string target : {"/health", "/api/v1/summary", "/", "/api/v1/nothing"}) {
    const auto response = get(target, Who::kViewer);
    ASSERT_TRUE(response) << target;
    EXPECT_EQ("nosniff", response->get_header_value("X-Content-Type-Options")) << target;
    EXPECT_EQ("no-referrer", response->get_header_value("Referrer-Policy")) << target;
    const std::string policy = response->get_header_value("Content-Security-Policy");
    EXPECT_NE(std::string::npos, policy.find("script-src 'self';")) << target;  // nothing inline
    EXPECT_NE(std::string::npos, policy.find("frame-ancestors 'none'")) << target;
    EXPECT_FALSE(response->has_header("Access-Control-Allow-Origin")) << target;
  }
}

TEST_F(AccessControlTest, TheDashboardSignsInWithACookieAndChangesNeedTheCsrfToken) {
  auto client = server_->client();
  const json state = json::parse(client->Get("/api/v1/session")->body);
  EXPECT_TRUE(state["auth_required"]);
  EXPECT_FALSE(state["signed_in"]);

  const auto wrong = client->Post("/api/v1/session", R"({"token":"cca_nope"})", "application/json");
  EXPECT_EQ(401, wrong->status);
  const auto signed_in = client->Post(
      "/api/v1/session", json{{"token", tokens_[Who::kAdmin]}}.dump(), "application/json");
  ASSERT_EQ(200, signed_in->status) << signed_in->body;
  const std::string set_cookie = signed_in->get_header_value("Set-Cookie");
  EXPECT_NE(std::string::npos, set_cookie.find("HttpOnly"));
  EXPECT_NE(std::string::npos, set_cookie.find("SameSite=Strict"));
  EXPECT_EQ(std::string::npos, set_cookie.find("Secure"));  // plain HTTP here
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const json session = json::parse(signed_in->body);
  EXPECT_EQ("admin", session["name"]);
  EXPECT_EQ("admin", session["role"]);
  const std::string csrf = session["csrf_token"];
  EXPECT_EQ(64u, csrf.size());

  const httplib::Headers with_cookie = {{"Cookie", cookie}};
  EXPECT_EQ(200, client->Get("/api/v1/summary", with_cookie)->status);
  const json who = json::parse(client->Get("/api/v1/session", with_cookie)->body);
  EXPECT_TRUE(who["signed_in"]);
  EXPECT_EQ(csrf, who["csrf_token"]);

  const std::string csv =
      "email,full_name,practice,level,location\nx@example.com,X,Platform Engineering,L1,Remote\n";
  const auto forged = client->Put("/api/v1/employees", with_cookie, csv, "text/csv");
  EXPECT_EQ(403, forged->status);
  EXPECT_EQ("csrf", json::parse(forged->body)["error"]["code"]);
  httplib::Headers with_csrf = with_cookie;
  with_csrf.emplace("X-CSRF-Token", csrf);
  EXPECT_EQ(200, client->Put("/api/v1/employees", with_csrf, csv, "text/csv")->status);

  EXPECT_EQ(403, client->Delete("/api/v1/session", with_cookie)->status);
  const auto signed_out = client->Delete("/api/v1/session", with_csrf);
  EXPECT_EQ(200, signed_out->status);
  EXPECT_NE(std::string::npos, signed_out->get_header_value("Set-Cookie").find("Max-Age=0"));
  EXPECT_EQ(401, client->Get("/api/v1/summary", with_cookie)->status);

  // The audit log has the sign-in, the upload and the sign-out, newest first, for admins only.
  const json audit = get_json("/api/v1/audit?limit=50", Who::kAdmin);
  std::vector<std::string> actions;
  for (const json& row : audit["rows"]) actions.push_back(row["action"]);  // audit outlives it
  const auto position = [&](const std::string& action) {
    return std::find(actions.begin(), actions.end(), action) - actions.begin();
  };
  EXPECT_LT(position("session.sign_out"), position("employees.upload"));
  EXPECT_LT(position("employees.upload"), position("session.sign_in"));
  EXPECT_LT(position("session.sign_in"), static_cast<std::ptrdiff_t>(actions.size()));
  EXPECT_LT(position("session.sign_in_failed"), static_cast<std::ptrdiff_t>(actions.size()));
  get_json("/api/v1/audit", Who::kViewer, 403);
}

// Servers of their own: these tests change tokens or block the test client's address.
class AccessControlAlone : public ::testing::Test {
 protected:
  testing::TempStore store_;
  std::string create(const std::string& name, store::Role role,
                     std::vector<std::string> practices = {}) {
    store::Database db(store_.path());
    return store::TokenStore(db).create(name, role, practices, system_time_ms());
  }
};

TEST_F(AccessControlAlone, WithoutTokensTheServerIsOpenAsBefore) {
  testing::RunningServer server(testing::test_options(store_.path()));
  auto client = server.client();
  EXPECT_EQ(200, client->Get("/api/v1/summary")->status);
  EXPECT_EQ(200, client->Get("/metrics")->status);
  EXPECT_EQ(200, client->Post("/v1/logs", "{}", "application/json")->status);
  const json state = json::parse(client->Get("/api/v1/session")->body);
  EXPECT_FALSE(state["auth_required"]);
  EXPECT_EQ(409, client->Post("/api/v1/session", R"({"token":"x"})", "application/json")->status);
}

TEST_F(AccessControlAlone, RepeatedWrongTokensBlockTheAddressWhateverItSendsNext) {
  const std::string viewer = create("viewer", store::Role::kViewer);
  testing::RunningServer server(testing::test_options(store_.path()));
  auto client = server.client();
  const httplib::Headers right = {{"Authorization", "Bearer " + viewer}};
  const httplib::Headers wrong = {{"Authorization", "Bearer cca_guess"}};
  EXPECT_EQ(200, client->Get("/api/v1/summary", right)->status);
  int refused = 0;
  for (int attempt = 0; attempt < 10; ++attempt)
    refused += client->Get("/api/v1/summary", wrong)->status == 401;
  EXPECT_EQ(10, refused);
  const auto blocked = client->Get("/api/v1/summary", wrong);
  EXPECT_EQ(429, blocked->status);
  EXPECT_GT(std::stoi(blocked->get_header_value("Retry-After")), 0);
  // A right token gets no different answer while the address is blocked.
  EXPECT_EQ(429, client->Get("/api/v1/summary", right)->status);
  EXPECT_EQ(
      429,
      client->Post("/api/v1/session", json{{"token", viewer}}.dump(), "application/json")->status);
  // Requests without credentials are answered as before: the dashboard's files, /health.
  EXPECT_EQ(200, client->Get("/health")->status);
}

TEST_F(AccessControlAlone, RevokedTokensAndTheirSessionsStopWorking) {
  const std::string viewer = create("viewer", store::Role::kViewer);
  create("admin", store::Role::kAdmin);
  testing::RunningServer server(testing::test_options(store_.path()));
  auto client = server.client();
  const httplib::Headers bearer = {{"Authorization", "Bearer " + viewer}};
  EXPECT_EQ(200, client->Get("/api/v1/summary", bearer)->status);
  const auto signed_in =
      client->Post("/api/v1/session", json{{"token", viewer}}.dump(), "application/json");
  const std::string set_cookie = signed_in->get_header_value("Set-Cookie");
  const httplib::Headers cookie = {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}};
  EXPECT_EQ(200, client->Get("/api/v1/summary", cookie)->status);
  {
    store::Database db(store_.path());
    ASSERT_TRUE(store::TokenStore(db).revoke("viewer"));
  }
  // The server reads the tokens again at its next poll (100 ms in tests).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (client->Get("/api/v1/summary", bearer)->status == 200 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(401, client->Get("/api/v1/summary", bearer)->status);
  EXPECT_EQ(401, client->Get("/api/v1/summary", cookie)->status);
}

TEST_F(AccessControlAlone, MetricsCanBeMadePublic) {
  create("viewer", store::Role::kViewer);
  ServeOptions options = testing::test_options(store_.path());
  options.metrics_public = true;
  testing::RunningServer server(options);
  auto client = server.client();
  EXPECT_EQ(200, client->Get("/metrics")->status);
  EXPECT_EQ(401, client->Get("/api/v1/summary")->status);
}

TEST_F(AccessControlAlone, TheIngestTokenVariableKeepsWorkingBesideStoreTokens) {
  create("admin", store::Role::kAdmin);
  ServeOptions options = testing::test_options(store_.path());
  options.ingest_token = "fleet-secret";
  testing::RunningServer server(options);
  auto client = server.client();
  const httplib::Headers fleet = {{"Authorization", "Bearer fleet-secret"}};
  EXPECT_EQ(200, client->Post("/v1/logs", fleet, "{}", "application/json")->status);
  EXPECT_EQ(403, client->Get("/api/v1/summary", fleet)->status);
  EXPECT_EQ(
      401,
      client->Post("/api/v1/session", json{{"token", "fleet-secret"}}.dump(), "application/json")
          ->status);
}

TEST_F(AccessControlAlone, ServingBeyondLoopbackNeedsATokenOrInsecure) {
  ServeOptions options = testing::test_options(store_.path());
  options.host = "0.0.0.0";
  {
    Server server(options);
    server.bind();
    try {
      server.load();
      ADD_FAILURE() << "served beyond loopback with no token";
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string::npos, std::string(error.what()).find("--insecure")) << error.what();
    }
  }
  options.insecure = true;
  {
    Server server(options);
    server.bind();
    EXPECT_NO_THROW(server.load());
  }
  options.insecure = false;
  create("admin", store::Role::kAdmin);
  {
    Server server(options);
    server.bind();
    EXPECT_NO_THROW(server.load());
  }
}

TEST_F(AccessControlAlone, ServesHttpsWithTheGivenCertificate) {
  const std::string admin = create("admin", store::Role::kAdmin);
  const testing::TlsFiles tls = testing::make_self_signed_certificate(store_.folder().string());
  ServeOptions options = testing::test_options(store_.path());
  options.tls_cert_path = tls.certificate_path;
  options.tls_key_path = tls.key_path;
  testing::RunningServer server(options);

  httplib::SSLClient client("127.0.0.1", server.port());
  client.set_ca_cert_path(tls.certificate_path.c_str());
  client.enable_server_certificate_verification(true);
  const auto response = client.Get("/api/v1/summary", {{"Authorization", "Bearer " + admin}});
  ASSERT_TRUE(response) << httplib::to_string(response.error());
  EXPECT_EQ(200, response->status);
  EXPECT_EQ("max-age=31536000", response->get_header_value("Strict-Transport-Security"));
  const auto signed_in =
      client.Post("/api/v1/session", json{{"token", admin}}.dump(), "application/json");
  EXPECT_NE(std::string::npos, signed_in->get_header_value("Set-Cookie").find("; Secure"));
  // Plain HTTP to the TLS port gets no answer.
  EXPECT_FALSE(server.client()->Get("/health"));
}

TEST_F(AccessControlAlone, AWrongCertificateStopsTheServerFromStarting) {
  ServeOptions options = testing::test_options(store_.path());
  const std::string junk = store_.folder().string() + "/junk.pem";
  test::write_file(junk, "not a certificate");
  options.tls_cert_path = junk;
  options.tls_key_path = junk;
  Server server(options);
  EXPECT_THROW(server.bind(), std::runtime_error);
}

TEST_F(AccessControlAlone, TheStoreKeepsOnlyHashes) {
  const std::string token = create("viewer", store::Role::kViewer, {"A", "B"});
  EXPECT_EQ(68u, token.size());
  EXPECT_EQ(0u, token.find("cca_"));
  EXPECT_EQ(std::string::npos, token.find_first_not_of("0123456789abcdef", 4));
  const std::string second = create("viewer-2", store::Role::kViewer);
  EXPECT_NE(token, second);
  for (const std::string& path : {store_.path(), store_.path() + "-wal"}) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << file.rdbuf();
    EXPECT_EQ(std::string::npos, bytes.str().find(token.substr(4))) << path;
  }
  store::Database db(store_.path());
  const auto tokens = store::TokenStore(db).list();
  ASSERT_EQ(2u, tokens.size());
  EXPECT_EQ(store::hash_token(token), tokens[0].hash);
  EXPECT_EQ((std::vector<std::string>{"A", "B"}), tokens[0].practices);
  EXPECT_THROW(store::TokenStore(db).create("viewer", store::Role::kAdmin, {}, 0),
               store::StoreError);
}

// Runs the binary; returns its exit status and stdout.
std::pair<int, std::string> run_binary(const std::string& arguments) {
  const std::string command = std::string(CCANALYTICS_BINARY) + " " + arguments + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST_F(AccessControlAlone, TheTokenCommandCreatesListsAndRevokes) {
  const std::string db = "--db '" + store_.path() + "'";
  const auto [created, token_line] =
      run_binary("token create " + db + " --name lead --role viewer --practice 'A,B'");
  ASSERT_EQ(0, created);
  const std::string token = token_line.substr(0, token_line.find('\n'));
  EXPECT_EQ(68u, token.size());
  EXPECT_EQ(1, run_binary("token create " + db + " --name lead --role admin").first);  // taken
  EXPECT_NE(0, run_binary("token create " + db + " --name x --role owner").first);
  const auto [listed, table] = run_binary("token list " + db);
  EXPECT_EQ(0, listed);
  EXPECT_NE(std::string::npos, table.find("lead"));
  EXPECT_NE(std::string::npos, table.find("A,B"));
  EXPECT_EQ(std::string::npos, table.find(token.substr(4, 16)));
  {
    testing::RunningServer server(testing::test_options(store_.path()));
    const auto state = server.client()->Get(
        "/api/v1/session", {{"Authorization", "Bearer " + token}});
    const json who = json::parse(state->body);
    EXPECT_EQ("lead", who["name"]);
    EXPECT_EQ(json::array({"A", "B"}), who["practices"]);
  }
  EXPECT_EQ(1, run_binary("token revoke " + db + " --name nobody").first);
  EXPECT_EQ(0, run_binary("token revoke " + db + " --name lead").first);
  const std::string after = run_binary("token list " + db).second;
  EXPECT_EQ(1, std::count(after.begin(), after.end(), '\n')) << after;  // the header alone
  // Both changes are in the audit log, by the command line.
  const int64_t entries = test::sql_int(
      store_.path(),
      "SELECT count(*) FROM audit WHERE actor LIKE 'cli:%' AND target = 'lead' AND action IN "
      "('token.create', 'token.revoke')");
  EXPECT_EQ(2, entries);
}

}  // namespace
}  // namespace cca::server
