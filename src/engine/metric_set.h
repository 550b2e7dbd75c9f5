#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "engine/segment.h"

namespace cca::engine {

// The contract's metric set over the events of one group (summary, breakdown row, time bucket,
// heatmap cell, session, user), plus the derived ratios.
struct MetricSet {
  uint64_t events = 0;
  uint64_t sessions = 0, users = 0;  // distinct
  std::array<uint64_t, kEventKinds> by_kind{};
  uint64_t accepted_decisions = 0, successful_results = 0;
  // Sums over api_request events.
  double input_tokens = 0, output_tokens = 0, cache_read_tokens = 0, cache_creation_tokens = 0,
         cost_usd = 0;

  uint64_t count(EventKind kind) const { return by_kind[static_cast<size_t>(kind)]; }

  // Everything but the distinct counts, which need to know the rest of the group.
  void add(const Segment& s, size_t row, uint32_t api_index) {
    ++events;
    const uint8_t kind = s.kind[row];
    ++by_kind[kind];
    const uint8_t flags = s.flags[row];
    accepted_decisions += flags & kAcceptedDecision;
    successful_results += (flags & kSuccessfulResult) >> 1;
    if (kind == static_cast<uint8_t>(EventKind::kApiRequest)) {
      input_tokens += s.api.input_tokens[api_index];
      output_tokens += s.api.output_tokens[api_index];
      cache_read_tokens += s.api.cache_read_tokens[api_index];
      cache_creation_tokens += s.api.cache_creation_tokens[api_index];
      cost_usd += s.api.cost_usd[api_index];
    }
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
  kInputTokens,
  kOutputTokens,
  kCacheReadTokens,
  kCacheCreationTokens,
  kCostUsd,
  kToolAcceptRate,
  kToolSuccessRate,
  kApiErrorRate,
  kCostPerSession,
  kCostPer1kOutputTokens,
  kCacheHitRatio,
  kTokensPerPrompt,
};

std::span<const Metric> all_metrics();
std::string_view metric_name(Metric metric);
std::optional<Metric> parse_metric(std::string_view name);
// True for counts (JSON integers), false for sums and ratios.
bool metric_is_count(Metric metric);
// The metric's value; nullopt for a ratio whose denominator is 0.
std::optional<double> metric_value(const MetricSet& m, Metric metric);

}  // namespace cca::engine
