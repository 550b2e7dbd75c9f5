#include "ingest/metric_point.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "ingest/rejection.h"

namespace cca::ingest {
namespace {

// Content that must never reach the store, whatever carries it (events apply the same rule).
constexpr std::string_view kPrivateAttributes[] = {"prompt", "prompt_text", "response",
                                                   "tool_input", "tool_parameters"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The text of a string attribute; numbers and booleans as their JSON text; "" when absent.
std::string text_of(const nlohmann::json& attributes, const char* key) {
  const auto found = attributes.find(key);
  if (found == attributes.end() || found->is_null()) return {};
  return found->is_string() ? found->get<std::string>() : found->dump();
}

void drop_private(nlohmann::json& attributes) {
  for (const std::string_view key : kPrivateAttributes) attributes.erase(std::string(key));
}

std::string redacted_raw(const MetricPoint& point) {
  nlohmann::json raw = nlohmann::json::parse(point.raw, nullptr, false);
  if (raw.is_discarded()) return "{}";
  if (raw.contains("attributes") && raw["attributes"].is_array()) {
    auto& list = raw["attributes"];
    for (auto it = list.begin(); it != list.end();) {
      const bool secret =
          it->is_object() && it->contains("key") && (*it)["key"].is_string() &&
          std::find(std::begin(kPrivateAttributes), std::end(kPrivateAttributes),
                    (*it)["key"].get<std::string>()) != std::end(kPrivateAttributes);
      it = secret ? list.erase(it) : it + 1;
    }
  }
  return raw.dump();
}

void reject(const MetricPoint& point, std::string_view why, std::string_view field,
            std::string detail, MetricBatch& batch) {
  batch.rejected.push_back({std::string(why), std::string(field),
                            point.name + ": " + std::move(detail), redacted_raw(point),
                            point.number});
}

}  // namespace

std::string_view metric_kind_name(MetricKind kind) {
  switch (kind) {
    case MetricKind::kGauge:
      return "gauge";
    case MetricKind::kSum:
      return "sum";
    case MetricKind::kHistogram:
      return "histogram";
    case MetricKind::kExponentialHistogram:
      return "exponential_histogram";
    case MetricKind::kSummary:
      return "summary";
  }
  return "unknown";
}

Hash128 series_key(std::string_view resource_json, std::string_view name,
                   std::string_view attributes_json) {
  std::string identity(resource_json);
  identity += '\n';
  identity += name;
  identity += '\n';
  identity += attributes_json;
  return hash128(identity);
}

void add_point(MetricPoint&& point, MetricBatch& batch) {
  drop_private(point.attributes);
  drop_private(point.resource);
  // The point's own attributes win over the resource's of the same key.
  const auto attribute = [&](const char* key) {
    std::string text = text_of(point.attributes, key);
    return text.empty() ? text_of(point.resource, key) : text;
  };

  const std::string email(trim(attribute("user.email")));
  if (!email.empty()) {
    point.user = email;
    for (char& c : point.user) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  } else {
    point.user = std::string(trim(attribute("user.id")));
  }
  if (point.user.empty())
    return reject(point, reason::kNoUser, "user.email", "neither user.email nor user.id", batch);
  if (point.time_ns <= 0)
    return reject(point, reason::kNoTimestamp, "timeUnixNano", "no timeUnixNano", batch);
  const bool has_sum_value = point.kind == MetricKind::kGauge || point.kind == MetricKind::kSum;
  if (has_sum_value && !point.value)
    return reject(point, reason::kMissingValue, "asDouble", "neither asDouble nor asInt", batch);
  if (point.value && !std::isfinite(*point.value))
    return reject(point, reason::kInvalidNumber, has_sum_value ? "asDouble" : "sum",
                  "the value is not a finite number", batch);
  if (point.kind == MetricKind::kSum && point.monotonic && *point.value < 0)
    return reject(point, reason::kNegativeCounter, "asDouble", "a monotonic sum cannot be negative",
                  batch);

  point.session = attribute("session.id");
  point.terminal = attribute("terminal.type");
  point.model = attribute("model");
  point.type = attribute("type");
  point.language = attribute("language");
  point.tool = attribute("tool_name");
  point.decision = attribute("decision");
  point.source = attribute("source");
  point.query_source = attribute("query_source");
  point.practice_hint = text_of(point.resource, "user.practice");
  batch.points.push_back(std::move(point));
}

}  // namespace cca::ingest
