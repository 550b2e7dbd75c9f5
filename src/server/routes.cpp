#include "server/routes.h"

#include <iterator>

namespace cca::server {
namespace {

constexpr std::string_view kFilterParams[] = {
    "from", "to", "practice", "level", "location", "model", "email", "terminal", kAttributeParam};

const RouteSpec kRoutes[] = {
    {RouteId::kHealth, "GET", "/health", false, "", false, false},
    {RouteId::kSummary, "GET", "/api/v1/summary", true, "metrics", true, false},
    {RouteId::kBreakdown, "GET", "/api/v1/breakdown", true, "by sort limit metrics", true, false},
    {RouteId::kTimeseries, "GET", "/api/v1/timeseries", true, "bucket split split_limit metrics",
     true, false},
    {RouteId::kHeatmap, "GET", "/api/v1/heatmap", true, "metrics", true, false},
    {RouteId::kSessions, "GET", "/api/v1/sessions", true, "limit offset sort order", true, false},
    {RouteId::kSessionDetail, "GET", "/api/v1/sessions/{id}", true, "", true, false},
    {RouteId::kLatency, "GET", "/api/v1/latency", true, "by measure", true, false},
    {RouteId::kUsers, "GET", "/api/v1/users", true, "limit offset sort order", true, false},
    {RouteId::kUserProfile, "GET", "/api/v1/users/{email}", true, "", true, false},
    {RouteId::kDistribution, "GET", "/api/v1/distribution", true, "of bins", true, false},
    {RouteId::kFacets, "GET", "/api/v1/facets", true, "", true, false},
    {RouteId::kQuality, "GET", "/api/v1/quality", false, "sample", false, false},
    {RouteId::kEmployeesGet, "GET", "/api/v1/employees", false, "", true, false},
    {RouteId::kEmployeesPut, "PUT", "/api/v1/employees", false, "", false, true},
    {RouteId::kIngest, "POST", "/api/v1/ingest", false, "", false, true},
    {RouteId::kOtlpLogs, "POST", "/v1/logs", false, "", false, true},
    {RouteId::kOtlpMetrics, "POST", "/v1/metrics", false, "", false, true},
    {RouteId::kCode, "GET", "/api/v1/code", true, "", true, false},
    {RouteId::kCodeBreakdown, "GET", "/api/v1/code/breakdown", true, "by", true, false},
    {RouteId::kCodeTimeseries, "GET", "/api/v1/code/timeseries", true, "bucket", true, false},
    {RouteId::kCodeMetrics, "GET", "/api/v1/code/metrics", false, "", true, false},
    {RouteId::kStream, "GET", "/api/v1/stream", false, "", false, false},
    {RouteId::kExportCsv, "GET", "/api/v1/export.csv", true, "view by sort order limit offset",
     true, false},
    {RouteId::kOpenApi, "GET", "/api/v1/openapi.json", false, "", false, false},
    {RouteId::kMetrics, "GET", "/metrics", false, "", false, false},
};

}  // namespace

std::span<const RouteSpec> route_specs() {
  return kRoutes;
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
