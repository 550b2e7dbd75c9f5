#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "engine/cell.h"

namespace cca::engine {

// The contract's metric set over the events of one group (summary, breakdown row, time bucket,
// heatmap cell, session, user), plus the derived ratios.
struct MetricSet {
  uint64_t events = 0;
  uint64_t sessions = 0, users = 0;  // distinct
  std::array<uint64_t, kEventKinds> by_kind{};
  uint64_t accepted_decisions = 0, successful_results = 0;
  uint64_t api_aborts = 0;  // api_error events the person stopped (kUserAbortError)
  // Sums over api_request events.
  double input_tokens = 0, output_tokens = 0, cache_read_tokens = 0, cache_creation_tokens = 0,
         cost_usd = 0;
  double cost_estimated_usd = 0;  // the part of cost_usd computed by the price table

  uint64_t count(EventKind kind) const { return by_kind[static_cast<size_t>(kind)]; }

  // Every figure of another group's: the distinct counts add up only where no session or person
  // is in both.
  void add(const MetricSet& other) {
    events += other.events;
    sessions += other.sessions;
    users += other.users;
    for (int kind = 0; kind < kEventKinds; ++kind) by_kind[kind] += other.by_kind[kind];
    accepted_decisions += other.accepted_decisions;
    successful_results += other.successful_results;
    api_aborts += other.api_aborts;
    input_tokens += other.input_tokens;
    output_tokens += other.output_tokens;
    cache_read_tokens += other.cache_read_tokens;
    cache_creation_tokens += other.cache_creation_tokens;
    cost_usd += other.cost_usd;
    cost_estimated_usd += other.cost_estimated_usd;
  }

  // Everything but the distinct counts, which need to know the rest of the group.
  void add(const Cell& cell) {
    events += cell.events;
    for (int kind = 0; kind < kEventKinds; ++kind) by_kind[kind] += cell.by_kind[kind];
    accepted_decisions += cell.accepted_decisions;
    successful_results += cell.successful_results;
    api_aborts += cell.user_aborts;
    input_tokens += cell.input_tokens;
    output_tokens += cell.output_tokens;
    cache_read_tokens += cell.cache_read_tokens;
    cache_creation_tokens += cell.cache_creation_tokens;
    cost_usd += cell.cost_usd;
    cost_estimated_usd += cell.cost_estimated_usd;
  }
};

// Every field of the metric set by name: what `sort=` takes and what answers carry, in order.
enum class Metric {
  kEvents,
  kSessions,
  kUsers,
  kUserPrompts,
  kApiRequests,
  kApiErrors,
  kToolDecisions,
  kToolResults,
  kApiAborts,
  kInputTokens,
  kOutputTokens,
  kCacheReadTokens,
  kCacheCreationTokens,
  kCostUsd,
  kToolAcceptRate,
  kToolSuccessRate,
  kApiErrorRate,
  kApiFailureRate,
  kCostPerSession,
  kCostPer1kOutputTokens,
  kCacheHitRatio,
  kTokensPerPrompt,
};

// A Metric's value is its position in all_metrics().
inline constexpr size_t kMetricCount = static_cast<size_t>(Metric::kTokensPerPrompt) + 1;

std::span<const Metric> all_metrics();
std::string_view metric_name(Metric metric);
std::optional<Metric> parse_metric(std::string_view name);
// True for counts (JSON integers), false for sums and ratios.
bool metric_is_count(Metric metric);
// True for the derived ratios, which are null when their denominator is 0.
bool metric_is_ratio(Metric metric);
// True for the metrics computed from a distinct count (sessions, people), which costs a store far
// more than a sum.
bool metric_counts_distinct(Metric metric);
// The metric's value; nullopt for a ratio whose denominator is 0.
std::optional<double> metric_value(const MetricSet& m, Metric metric);

// A ratio metric as numerator over denominator (a rate's events and the events it is a rate of);
// {0, 0} for a metric that is not a ratio.
struct RatioParts {
  double numerator = 0, denominator = 0;
};
RatioParts ratio_parts(const MetricSet& m, Metric metric);

}  // namespace cca::engine
