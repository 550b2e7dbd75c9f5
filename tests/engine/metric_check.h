#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "engine/metric_set.h"
#include "engine/sql_oracle.h"

namespace cca::testing {

// Sums agree to 1e-9 relative: both sides add the same doubles in different orders.
inline ::testing::AssertionResult near_relative(double expected, double actual) {
  const double scale = std::max(std::abs(expected), std::abs(actual));
  if (std::abs(expected - actual) <= 1e-9 * scale + 1e-12) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected " << expected << ", got " << actual;
}

inline bool near_relative_value(double expected, double actual) {
  return static_cast<bool>(near_relative(expected, actual));
}

// Counts exactly, sums to 1e-9 relative.
inline void expect_same_metrics(const SqlMetrics& expected, const engine::MetricSet& actual,
                                const std::string& context) {
  using engine::EventKind;
  SCOPED_TRACE(context);
  EXPECT_EQ(expected.events, static_cast<int64_t>(actual.events));
  EXPECT_EQ(expected.sessions, static_cast<int64_t>(actual.sessions));
  EXPECT_EQ(expected.users, static_cast<int64_t>(actual.users));
  EXPECT_EQ(expected.user_prompts, static_cast<int64_t>(actual.count(EventKind::kUserPrompt)));
  EXPECT_EQ(expected.api_requests, static_cast<int64_t>(actual.count(EventKind::kApiRequest)));
  EXPECT_EQ(expected.api_errors, static_cast<int64_t>(actual.count(EventKind::kApiError)));
  EXPECT_EQ(expected.tool_decisions, static_cast<int64_t>(actual.count(EventKind::kToolDecision)));
  EXPECT_EQ(expected.tool_results, static_cast<int64_t>(actual.count(EventKind::kToolResult)));
  EXPECT_EQ(expected.accepted_decisions, static_cast<int64_t>(actual.accepted_decisions));
  EXPECT_EQ(expected.successful_results, static_cast<int64_t>(actual.successful_results));
  EXPECT_EQ(expected.api_aborts, static_cast<int64_t>(actual.api_aborts));
  EXPECT_TRUE(near_relative(expected.input_tokens, actual.input_tokens));
  EXPECT_TRUE(near_relative(expected.output_tokens, actual.output_tokens));
  EXPECT_TRUE(near_relative(expected.cache_read_tokens, actual.cache_read_tokens));
  EXPECT_TRUE(near_relative(expected.cache_creation_tokens, actual.cache_creation_tokens));
  EXPECT_TRUE(near_relative(expected.cost_usd, actual.cost_usd));
}

// Two metric sets from different stores: counts exactly, sums to 1e-9 relative.
inline void expect_same_metrics(const engine::MetricSet& expected, const engine::MetricSet& actual,
                                const std::string& context) {
  SCOPED_TRACE(context);
  EXPECT_EQ(expected.events, actual.events);
  EXPECT_EQ(expected.sessions, actual.sessions);
  EXPECT_EQ(expected.users, actual.users);
  EXPECT_EQ(expected.by_kind, actual.by_kind);
  EXPECT_EQ(expected.accepted_decisions, actual.accepted_decisions);
  EXPECT_EQ(expected.successful_results, actual.successful_results);
  EXPECT_EQ(expected.api_aborts, actual.api_aborts);
  EXPECT_TRUE(near_relative(expected.input_tokens, actual.input_tokens));
  EXPECT_TRUE(near_relative(expected.output_tokens, actual.output_tokens));
  EXPECT_TRUE(near_relative(expected.cache_read_tokens, actual.cache_read_tokens));
  EXPECT_TRUE(near_relative(expected.cache_creation_tokens, actual.cache_creation_tokens));
  EXPECT_TRUE(near_relative(expected.cost_usd, actual.cost_usd));
  EXPECT_TRUE(near_relative(expected.cost_estimated_usd, actual.cost_estimated_usd));
}

}  // namespace cca::testing
