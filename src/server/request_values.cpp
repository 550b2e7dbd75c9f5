#include "server/request_values.h"

#include <string>
#include <vector>

#include "server/api_error.h"

namespace cca::server {
namespace {

std::string dimension_names() {
  std::string text;
  for (const engine::Dimension d : engine::all_dimensions()) {
    if (!text.empty()) text += ", ";
    text += engine::dimension_name(d);
  }
  return text + ", or attr.<key> for a custom attribute";
}

}  // namespace

void invalid_param(std::string_view name, std::string_view message) {
  throw ApiError(400, "invalid_parameter",
                 "query parameter '" + std::string(name) + "' " + std::string(message));
}

engine::Dimension dimension_param(const QueryParams& params, std::string_view name) {
  const auto text = params.get(name);
  if (!text) invalid_param(name, "is required: one of " + dimension_names());
  const auto dimension = engine::parse_dimension(*text);
  if (!dimension) invalid_param(name, "must be one of " + dimension_names());
  return *dimension;
}

engine::Metric metric_param(const QueryParams& params, std::string_view name,
                            engine::Metric fallback) {
  const auto text = params.get(name);
  if (!text) return fallback;
  const auto metric = engine::parse_metric(*text);
  if (!metric) invalid_param(name, "must be a metric name, such as events or cost_usd");
  return *metric;
}

engine::Bucket bucket_param(const QueryParams& params) {
  const auto bucket = engine::parse_bucket(params.get_or("bucket", "day"));
  if (!bucket) invalid_param("bucket", "must be hour, day or week");
  return *bucket;
}

}  // namespace cca::server
