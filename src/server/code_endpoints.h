#pragma once

#include "engine/analytics.h"
#include "server/analytics_endpoints.h"
#include "server/query_params.h"

namespace cca::server {

// GET /api/v1/code: the code-activity figures over the matching metric points.
Answer code_summary(const engine::Analytics& analytics, const QueryParams& params);
// GET /api/v1/code/breakdown?by=D: the same figures per value of D.
Answer code_breakdown(const engine::Analytics& analytics, const QueryParams& params);
// GET /api/v1/code/timeseries?bucket=B: the same figures per time bucket, dense.
Answer code_timeseries(const engine::Analytics& analytics, const QueryParams& params);
// GET /api/v1/code/metrics: every stored metric name with its kind, unit, series and points.
Answer metric_names(const engine::Analytics& analytics);

}  // namespace cca::server
