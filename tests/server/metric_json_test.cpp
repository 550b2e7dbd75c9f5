#include "server/metric_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

namespace cca::server {
namespace {

// write_metrics spells the metric set out field by field for speed; it must say exactly what
// engine::metric_value() says, in the same order, nulls included.
// With `fields`, exactly the chosen ones, still in engine order.
void expect_agreement(const engine::MetricSet& metrics,
                      const MetricFields& fields = all_metric_fields()) {
  ASSERT_EQ(engine::all_metrics().size(), engine::kMetricCount);
  JsonWriter json;
  json.begin_object();
  write_metrics(json, metrics, fields);
  json.end_object();
  const nlohmann::ordered_json written = nlohmann::ordered_json::parse(json.str());
  ASSERT_EQ(fields.count(), written.size());
  std::vector<engine::Metric> chosen;
  for (size_t f = 0; f < engine::kMetricCount; ++f)
    if (fields[f]) chosen.push_back(engine::all_metrics()[f]);
  size_t i = 0;
  for (const auto& [name, value] : written.items()) {
    const engine::Metric metric = chosen[i++];
    EXPECT_EQ(engine::metric_name(metric), name);
    const std::optional<double> expected = engine::metric_value(metrics, metric);
    if (!expected) {
      EXPECT_TRUE(value.is_null()) << name;
    } else {
      EXPECT_EQ(*expected, value.get<double>()) << name;
      if (engine::metric_is_count(metric)) {
        EXPECT_TRUE(value.is_number_integer()) << name;
      }
    }
  }
}

TEST(MetricJsonTest, AgreesWithTheEngineDefinitions) {
  engine::MetricSet empty;
  expect_agreement(empty);
  engine::MetricSet full;
  full.events = 1000;
  full.sessions = 7;
  full.users = 3;
  full.by_kind = {100, 300, 4, 350, 340, 6};
  full.accepted_decisions = 333;
  full.successful_results = 320;
  full.api_aborts = 2;
  full.input_tokens = 12345;
  full.output_tokens = 6789;
  full.cache_read_tokens = 987654;
  full.cache_creation_tokens = 4321;
  full.cost_usd = 12.3456789;
  expect_agreement(full);
  engine::MetricSet no_output = full;
  no_output.output_tokens = 0;
  no_output.by_kind[0] = 0;
  expect_agreement(no_output);
}

TEST(MetricJsonTest, WritesOnlyTheChosenFields) {
  engine::MetricSet metrics;
  metrics.events = 10;
  metrics.sessions = 2;
  metrics.by_kind = {1, 4, 1, 2, 2, 0};
  metrics.output_tokens = 0;
  metrics.cost_usd = 0.25;
  // Each field alone (the nulls of a zero denominator included), none, and every other one.
  for (size_t f = 0; f < engine::kMetricCount; ++f)
    expect_agreement(metrics, MetricFields().set(f));
  expect_agreement(metrics, MetricFields());
  MetricFields alternate;
  for (size_t f = 1; f < engine::kMetricCount; f += 2) alternate.set(f);
  expect_agreement(metrics, alternate);
}

}  // namespace
}  // namespace cca::server
