#include "fuzz/otlp_json_shape.h"

#include <set>
#include <string>
#include <vector>

namespace cca::fuzz {
namespace {

// The elements of an optional array of objects, or nullopt when it is something else.
std::optional<std::vector<const nlohmann::json*>> objects_in(const nlohmann::json& parent,
                                                             const char* key) {
  std::vector<const nlohmann::json*> result;
  const auto found = parent.find(key);
  if (found == parent.end() || found->is_null()) return result;
  if (!found->is_array()) return std::nullopt;
  for (const nlohmann::json& element : *found) {
    if (!element.is_object()) return std::nullopt;
    result.push_back(&element);
  }
  return result;
}

}  // namespace

std::optional<nlohmann::json> parse_without_repeated_keys(std::string_view body) {
  std::vector<std::set<std::string>> keys_by_depth;
  bool repeated = false;
  auto watch = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) keys_by_depth.emplace_back();
    if (event == Event::object_end) keys_by_depth.pop_back();
    if (event == Event::key && !keys_by_depth.back().insert(parsed.get<std::string>()).second)
      repeated = true;
    return true;
  };
  nlohmann::json document = nlohmann::json::parse(body, watch, /*allow_exceptions=*/false);
  if (document.is_discarded() || repeated) return std::nullopt;
  return document;
}

std::optional<size_t> count_log_records(const nlohmann::json& request) {
  if (!request.is_object()) return std::nullopt;
  size_t count = 0;
  const auto resources = objects_in(request, "resourceLogs");
  if (!resources) return std::nullopt;
  for (const nlohmann::json* resource : *resources) {
    const auto scopes = objects_in(*resource, "scopeLogs");
    if (!scopes) return std::nullopt;
    for (const nlohmann::json* scope : *scopes) {
      const auto records = objects_in(*scope, "logRecords");
      if (!records) return std::nullopt;
      count += records->size();
    }
  }
  return count;
}

std::optional<size_t> count_data_points(const nlohmann::json& request) {
  if (!request.is_object()) return std::nullopt;
  size_t count = 0;
  const auto resources = objects_in(request, "resourceMetrics");
  if (!resources) return std::nullopt;
  for (const nlohmann::json* resource : *resources) {
    const auto scopes = objects_in(*resource, "scopeMetrics");
    if (!scopes) return std::nullopt;
    for (const nlohmann::json* scope : *scopes) {
      const auto metrics = objects_in(*scope, "metrics");
      if (!metrics) return std::nullopt;
      for (const nlohmann::json* metric : *metrics) {
        for (const char* kind : {"gauge", "sum", "histogram", "exponentialHistogram", "summary"}) {
          const auto data = metric->find(kind);
          if (data == metric->end() || data->is_null()) continue;
          if (!data->is_object()) return std::nullopt;
          const auto points = objects_in(*data, "dataPoints");
          if (!points) return std::nullopt;
          count += points->size();
        }
      }
    }
  }
  return count;
}

}  // namespace cca::fuzz
