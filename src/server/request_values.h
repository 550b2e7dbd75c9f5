#pragma once

#include <string_view>

#include "engine/dimension.h"
#include "engine/metric_set.h"
#include "engine/query_error.h"
#include "engine/timeseries.h"
#include "server/api_error.h"
#include "server/query_params.h"

namespace cca::server {

// Readers of the query parameters several endpoints share. Each refuses a bad value with an
// ApiError 400 that names the parameter and what it takes.

[[noreturn]] void invalid_param(std::string_view name, std::string_view message);

// Required: one of the dimensions, or attr.<key>.
engine::Dimension dimension_param(const QueryParams& params, std::string_view name);
// A metric name; fallback when absent.
engine::Metric metric_param(const QueryParams& params, std::string_view name,
                            engine::Metric fallback);
// `bucket`: hour, day or week; day when absent.
engine::Bucket bucket_param(const QueryParams& params);

// Runs an engine query, answering a range that needs more than engine::kMaxBuckets buckets
// (engine::QueryError) with a 400 range_too_long.
template <typename Query>
auto bounded_query(Query&& query) {
  try {
    return query();
  } catch (const engine::QueryError& error) {
    throw ApiError(400, "range_too_long", error.what());
  }
}

}  // namespace cca::server
