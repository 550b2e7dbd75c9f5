#include "engine/metric_set.h"

#include <tuple>

namespace cca::engine {
namespace {

constexpr Metric kAllMetrics[] = {
    Metric::kEvents,
    Metric::kSessions,
    Metric::kUsers,
    Metric::kUserPrompts,
    Metric::kApiRequests,
    Metric::kApiErrors,
    Metric::kToolDecisions,
    Metric::kToolResults,
    Metric::kApiAborts,
    Metric::kInputTokens,
    Metric::kOutputTokens,
    Metric::kCacheReadTokens,
    Metric::kCacheCreationTokens,
    Metric::kCostUsd,
    Metric::kToolAcceptRate,
    Metric::kToolSuccessRate,
    Metric::kApiErrorRate,
    Metric::kApiFailureRate,
    Metric::kCostPerSession,
    Metric::kCostPer1kOutputTokens,
    Metric::kCacheHitRatio,
    Metric::kTokensPerPrompt,
};

constexpr std::string_view kNames[] = {
    "events",
    "sessions",
    "users",
    "user_prompts",
    "api_requests",
    "api_errors",
    "tool_decisions",
    "tool_results",
    "api_aborts",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_creation_tokens",
    "cost_usd",
    "tool_accept_rate",
    "tool_success_rate",
    "api_error_rate",
    "api_failure_rate",
    "cost_per_session",
    "cost_per_1k_output_tokens",
    "cache_hit_ratio",
    "tokens_per_prompt",
};
static_assert(std::size(kNames) == std::size(kAllMetrics));
static_assert(std::size(kAllMetrics) == kMetricCount);

std::optional<double> ratio(double numerator, double denominator) {
  if (denominator == 0) return std::nullopt;
  return numerator / denominator;
}

}  // namespace

std::span<const Metric> all_metrics() {
  return kAllMetrics;
}

std::string_view metric_name(Metric metric) {
  return kNames[static_cast<size_t>(metric)];
}

std::optional<Metric> parse_metric(std::string_view name) {
  for (size_t i = 0; i < std::size(kNames); ++i)
    if (kNames[i] == name) return kAllMetrics[i];
  return std::nullopt;
}

bool metric_is_count(Metric metric) {
  return metric <= Metric::kApiAborts;
}

bool metric_counts_distinct(Metric metric) {
  // Found by changing the distinct counts and watching the metric's value and ratio parts, so
  // that a metric added later cannot be left off a list: ClickHouse answers a metric without one
  // from its sums alone, reading no sessions or people (clickhouse/event_sql.h, metric_sums).
  const auto parts = [&](const MetricSet& m) {
    const RatioParts ratio = ratio_parts(m, metric);
    return std::tuple(metric_value(m, metric), ratio.numerator, ratio.denominator);
  };
  MetricSet some;
  some.events = some.sessions = some.users = 1;
  some.by_kind.fill(1);
  some.accepted_decisions = some.successful_results = some.api_aborts = 1;
  some.input_tokens = some.output_tokens = some.cache_read_tokens = some.cache_creation_tokens =
      some.cost_usd = some.cost_estimated_usd = 1;
  MetricSet more = some;
  more.sessions = more.users = 2;
  return parts(more) != parts(some);
}

bool metric_is_ratio(Metric metric) {
  return metric >= Metric::kToolAcceptRate;
}

std::optional<double> metric_value(const MetricSet& m, Metric metric) {
  const auto count = [&](EventKind kind) { return static_cast<double>(m.count(kind)); };
  switch (metric) {
    case Metric::kEvents:
      return static_cast<double>(m.events);
    case Metric::kSessions:
      return static_cast<double>(m.sessions);
    case Metric::kUsers:
      return static_cast<double>(m.users);
    case Metric::kUserPrompts:
      return count(EventKind::kUserPrompt);
    case Metric::kApiRequests:
      return count(EventKind::kApiRequest);
    case Metric::kApiErrors:
      return count(EventKind::kApiError);
    case Metric::kToolDecisions:
      return count(EventKind::kToolDecision);
    case Metric::kToolResults:
      return count(EventKind::kToolResult);
    case Metric::kApiAborts:
      return static_cast<double>(m.api_aborts);
    case Metric::kInputTokens:
      return m.input_tokens;
    case Metric::kOutputTokens:
      return m.output_tokens;
    case Metric::kCacheReadTokens:
      return m.cache_read_tokens;
    case Metric::kCacheCreationTokens:
      return m.cache_creation_tokens;
    case Metric::kCostUsd:
      return m.cost_usd;
    case Metric::kToolAcceptRate:
    case Metric::kToolSuccessRate:
    case Metric::kApiErrorRate:
    case Metric::kApiFailureRate:
    case Metric::kCostPerSession:
    case Metric::kCacheHitRatio:
    case Metric::kTokensPerPrompt: {
      const RatioParts parts = ratio_parts(m, metric);
      return ratio(parts.numerator, parts.denominator);
    }
    case Metric::kCostPer1kOutputTokens:
      return m.output_tokens == 0 ? std::nullopt
                                  : std::optional<double>(m.cost_usd / m.output_tokens * 1000);
  }
  return std::nullopt;
}

RatioParts ratio_parts(const MetricSet& m, Metric metric) {
  const auto count = [&](EventKind kind) { return static_cast<double>(m.count(kind)); };
  switch (metric) {
    case Metric::kToolAcceptRate:
      return {static_cast<double>(m.accepted_decisions), count(EventKind::kToolDecision)};
    case Metric::kToolSuccessRate:
      return {static_cast<double>(m.successful_results), count(EventKind::kToolResult)};
    case Metric::kApiErrorRate:
      return {count(EventKind::kApiError),
              count(EventKind::kApiRequest) + count(EventKind::kApiError)};
    case Metric::kApiFailureRate: {
      // Aborted requests are neither answered nor failed: out of both sides.
      const double errors = count(EventKind::kApiError) - static_cast<double>(m.api_aborts);
      return {errors, count(EventKind::kApiRequest) + errors};
    }
    case Metric::kCostPerSession:
      return {m.cost_usd, static_cast<double>(m.sessions)};
    case Metric::kCostPer1kOutputTokens:  // metric_value() divides first, then scales
      return {m.cost_usd * 1000, m.output_tokens};
    case Metric::kCacheHitRatio:
      return {m.cache_read_tokens, m.cache_read_tokens + m.cache_creation_tokens + m.input_tokens};
    case Metric::kTokensPerPrompt:
      return {m.input_tokens + m.output_tokens + m.cache_read_tokens + m.cache_creation_tokens,
              count(EventKind::kUserPrompt)};
    default:
      return {};
  }
}

}  // namespace cca::engine
