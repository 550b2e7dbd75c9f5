#include "server/metric_json.h"

#include <array>
#include <string>

namespace cca::server {
namespace {

constexpr size_t kFields = 20;

// "\"events\":" and so on, in the order of engine::all_metrics(), built once: answers write these
// keys tens of thousands of times.
const std::array<std::string, kFields>& encoded_keys() {
  static const std::array<std::string, kFields> keys = [] {
    std::array<std::string, kFields> built;
    size_t i = 0;
    for (const engine::Metric metric : engine::all_metrics()) {
      const std::string_view name = engine::metric_name(metric);
      std::string key(name.size() + 3, '"');
      name.copy(key.data() + 1, name.size());
      key[name.size() + 2] = ':';
      built[i++] = std::move(key);
    }
    return built;
  }();
  return keys;
}

}  // namespace

void write_metrics(JsonWriter& json, const engine::MetricSet& m) {
  // Field by field rather than through engine::metric_value(): this runs for every point of a
  // timeseries. The values are the same; the API tests compare them with SQL.
  using engine::EventKind;
  const auto& keys = encoded_keys();
  size_t i = 0;
  const auto count = [&](uint64_t value) { json.encoded_key(keys[i++]).value(value); };
  const auto number = [&](double value) { json.encoded_key(keys[i++]).value(value); };
  const auto ratio = [&](double numerator, double denominator) {
    json.encoded_key(keys[i++]);
    if (denominator == 0) {
      json.null();
    } else {
      json.value(numerator / denominator);
    }
  };
  const auto decisions = static_cast<double>(m.count(EventKind::kToolDecision));
  const auto results = static_cast<double>(m.count(EventKind::kToolResult));
  const auto requests = static_cast<double>(m.count(EventKind::kApiRequest));
  const auto errors = static_cast<double>(m.count(EventKind::kApiError));
  count(m.events);
  count(m.sessions);
  count(m.users);
  count(m.count(EventKind::kUserPrompt));
  count(m.count(EventKind::kApiRequest));
  count(m.count(EventKind::kApiError));
  count(m.count(EventKind::kToolDecision));
  count(m.count(EventKind::kToolResult));
  number(m.input_tokens);
  number(m.output_tokens);
  number(m.cache_read_tokens);
  number(m.cache_creation_tokens);
  number(m.cost_usd);
  ratio(static_cast<double>(m.accepted_decisions), decisions);
  ratio(static_cast<double>(m.successful_results), results);
  ratio(errors, requests + errors);
  ratio(m.cost_usd, static_cast<double>(m.sessions));
  json.encoded_key(keys[i++]);
  if (m.output_tokens == 0) {
    json.null();
  } else {
    json.value(m.cost_usd / m.output_tokens * 1000);
  }
  ratio(m.cache_read_tokens, m.cache_read_tokens + m.cache_creation_tokens + m.input_tokens);
  ratio(m.input_tokens + m.output_tokens + m.cache_read_tokens + m.cache_creation_tokens,
        static_cast<double>(m.count(EventKind::kUserPrompt)));
}

}  // namespace cca::server
