#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace cca::server {

enum class RouteId {
  kHealth,
  kSummary,
  kBreakdown,
  kTimeseries,
  kHeatmap,
  kSessions,
  kSessionDetail,
  kLatency,
  kLatencyTimeseries,
  kUsers,
  kUserProfile,
  kDistribution,
  kFacets,
  kQuality,
  kEmployeesGet,
  kEmployeesPut,
  kIngest,
  kOtlpLogs,
  kOtlpMetrics,
  kCode,
  kCodeBreakdown,
  kCodeMetrics,
  kCodeTimeseries,
  kStream,
  kExportCsv,
  kOpenApi,
  kMetrics,
  kSessionState,  // GET /api/v1/session
  kSignIn,        // POST /api/v1/session
  kSignOut,       // DELETE /api/v1/session
  kAudit,
  kForecast,
  kAnomalies,
  kBudgets,       // GET /api/v1/budgets
  kBudgetCreate,  // POST /api/v1/budgets
  kBudgetUpdate,  // PUT /api/v1/budgets/{id}
  kBudgetDelete,  // DELETE /api/v1/budgets/{id}
  kAlerts,
  kReport,
  kDashboard,  // the embedded web app and its client-side routes
  kUnknown,    // anything else: 404 or 405
};
inline constexpr size_t kRouteCount = static_cast<size_t>(RouteId::kUnknown) + 1;

// Who may call a route once the store holds tokens (docs/api.md, "Access control"). Without
// tokens every route is open, but for the ingest routes when CCANALYTICS_INGEST_TOKEN is set.
enum class Access {
  kPublic,   // anyone: /health and the session endpoints
  kRead,     // viewers and admins; a scoped viewer's answers cover their practices only
  kReadAll,  // viewers and admins whose tokens see every practice: answers that cannot be scoped
  kIngest,   // ingest tokens and admins
  kAdmin,    // admins
  kMetrics,  // /metrics: kReadAll, or kPublic with --metrics-public
};

// One endpoint as the router serves it. The OpenAPI document is written separately, and a test
// holds the two to the same paths, methods and parameters.
struct RouteSpec {
  RouteId id;
  std::string_view method;
  std::string_view path;    // OpenAPI template, e.g. "/api/v1/sessions/{id}"
  bool takes_filters;       // from, to, practice, level, location, model, email, terminal, tool,
                            // status_code, error, attr.*
  std::string_view params;  // its own query parameters, separated by spaces
  bool cached;              // answers depend only on the query, the data version and the scope
  Access access;
};

// The custom attribute filters' parameters, `attr.<key>`, as the route table and OpenAPI name them.
inline constexpr std::string_view kAttributeParam = "attr.{key}";

// The filter parameters, in the order the API documents them.
std::span<const std::string_view> filter_params();
// Every query parameter a route accepts: its own and, when it takes them, the filters.
std::vector<std::string_view> accepted_params(const RouteSpec& route);

// Every API route, dashboard excluded.
std::span<const RouteSpec> route_specs();
const RouteSpec& route_spec(RouteId id);
// Label for metrics: the path template, or "dashboard" / "unknown".
std::string_view route_label(RouteId id);

}  // namespace cca::server
