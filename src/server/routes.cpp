#include "server/routes.h"

#include <iterator>

namespace cca::server {
namespace {

constexpr std::string_view kFilterParams[] = {
    "from",  "to",       "practice", "level",       "location", "model",
    "email", "terminal", "tool",     "status_code", "error",    kAttributeParam};

const RouteSpec kRoutes[] = {
    {RouteId::kHealth, "GET", "/health", false, "", false, Access::kPublic},
    {RouteId::kSummary, "GET", "/api/v1/summary", true, "metrics compare", true, Access::kRead},
    {RouteId::kBreakdown, "GET", "/api/v1/breakdown", true, "by sort limit metrics compare", true,
     Access::kRead},
    {RouteId::kTimeseries, "GET", "/api/v1/timeseries", true,
     "bucket split split_limit metrics compare", true, Access::kRead},
    {RouteId::kHeatmap, "GET", "/api/v1/heatmap", true, "metrics", true, Access::kRead},
    {RouteId::kSessions, "GET", "/api/v1/sessions", true, "limit offset sort order", true,
     Access::kRead},
    {RouteId::kSessionDetail, "GET", "/api/v1/sessions/{id}", true, "", true, Access::kRead},
    {RouteId::kLatency, "GET", "/api/v1/latency", true, "by measure", true, Access::kRead},
    {RouteId::kLatencyTimeseries, "GET", "/api/v1/latency/timeseries", true, "of bucket measure",
     true, Access::kRead},
    {RouteId::kUsers, "GET", "/api/v1/users", true, "limit offset sort order", true, Access::kRead},
    {RouteId::kUserProfile, "GET", "/api/v1/users/{email}", true, "", true, Access::kRead},
    {RouteId::kDistribution, "GET", "/api/v1/distribution", true, "of bins", true, Access::kRead},
    {RouteId::kFacets, "GET", "/api/v1/facets", true, "", true, Access::kRead},
    {RouteId::kQuality, "GET", "/api/v1/quality", false, "sample", false, Access::kReadAll},
    {RouteId::kEmployeesGet, "GET", "/api/v1/employees", false, "", true, Access::kRead},
    {RouteId::kEmployeesPut, "PUT", "/api/v1/employees", false, "", false, Access::kIngest},
    {RouteId::kIngest, "POST", "/api/v1/ingest", false, "", false, Access::kIngest},
    {RouteId::kOtlpLogs, "POST", "/v1/logs", false, "", false, Access::kIngest},
    {RouteId::kOtlpMetrics, "POST", "/v1/metrics", false, "", false, Access::kIngest},
    {RouteId::kCode, "GET", "/api/v1/code", true, "", true, Access::kRead},
    {RouteId::kCodeBreakdown, "GET", "/api/v1/code/breakdown", true, "by", true, Access::kRead},
    {RouteId::kCodeTimeseries, "GET", "/api/v1/code/timeseries", true, "bucket", true,
     Access::kRead},
    {RouteId::kCodeMetrics, "GET", "/api/v1/code/metrics", false, "", true, Access::kRead},
    {RouteId::kStream, "GET", "/api/v1/stream", false, "", false, Access::kRead},
    {RouteId::kExportCsv, "GET", "/api/v1/export.csv", true, "view by sort order limit offset",
     true, Access::kRead},
    {RouteId::kOpenApi, "GET", "/api/v1/openapi.json", false, "", false, Access::kRead},
    {RouteId::kMetrics, "GET", "/metrics", false, "", false, Access::kMetrics},
    {RouteId::kSessionState, "GET", "/api/v1/session", false, "", false, Access::kPublic},
    {RouteId::kSignIn, "POST", "/api/v1/session", false, "", false, Access::kPublic},
    {RouteId::kSignOut, "DELETE", "/api/v1/session", false, "", false, Access::kPublic},
    {RouteId::kAudit, "GET", "/api/v1/audit", false, "limit offset", false, Access::kAdmin},
    // Insights read the clock ("now" ends the history), so they are not cached by data version.
    {RouteId::kForecast, "GET", "/api/v1/forecast", true, "metric bucket horizon", false,
     Access::kRead},
    {RouteId::kAnomalies, "GET", "/api/v1/anomalies", true, "metric bucket by", false,
     Access::kRead},
    {RouteId::kReport, "GET", "/api/v1/report", true, "format", false, Access::kRead},
    // A budget's filters may reach beyond a scoped viewer's practices.
    {RouteId::kBudgets, "GET", "/api/v1/budgets", false, "", false, Access::kReadAll},
    {RouteId::kBudgetCreate, "POST", "/api/v1/budgets", false, "", false, Access::kAdmin},
    {RouteId::kBudgetUpdate, "PUT", "/api/v1/budgets/{id}", false, "", false, Access::kAdmin},
    {RouteId::kBudgetDelete, "DELETE", "/api/v1/budgets/{id}", false, "", false, Access::kAdmin},
    {RouteId::kAlerts, "GET", "/api/v1/alerts", false, "limit offset", false, Access::kReadAll},
};

}  // namespace

std::span<const RouteSpec> route_specs() {
  return kRoutes;
}

std::span<const std::string_view> filter_params() {
  return kFilterParams;
}

std::vector<std::string_view> accepted_params(const RouteSpec& route) {
  std::vector<std::string_view> params;
  if (route.takes_filters) params.assign(std::begin(kFilterParams), std::end(kFilterParams));
  std::string_view rest = route.params;
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    params.push_back(rest.substr(0, space));
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  return params;
}

const RouteSpec& route_spec(RouteId id) {
  for (const RouteSpec& route : kRoutes)
    if (route.id == id) return route;
  return kRoutes[0];
}

std::string_view route_label(RouteId id) {
  if (id == RouteId::kDashboard) return "dashboard";
  if (id == RouteId::kUnknown) return "unknown";
  return route_spec(id).path;
}

}  // namespace cca::server
