#pragma once

#include <cstdint>

#include "engine/analytics.h"
#include "server/analytics_endpoints.h"
#include "server/query_params.h"

namespace cca::server {

// GET /api/v1/forecast and GET /api/v1/anomalies (docs/api.md, "Insights"). now_ms ends the
// history where no `to` does (insights/metric_series.h). Throw ApiError for refused requests.
Answer answer_forecast(const engine::Analytics& analytics, const QueryParams& params,
                       int64_t now_ms);
Answer answer_anomalies(const engine::Analytics& analytics, const QueryParams& params,
                        int64_t now_ms);

}  // namespace cca::server
