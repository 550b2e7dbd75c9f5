#include "server/metric_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cca::server {
namespace {

// write_metrics spells the metric set out field by field for speed; it must say exactly what
// engine::metric_value() says, in the same order, nulls included.
void expect_agreement(const engine::MetricSet& metrics) {
  JsonWriter json;
  json.begin_object();
  write_metrics(json, metrics);
  json.end_object();
  const nlohmann::ordered_json written = nlohmann::ordered_json::parse(json.str());
  ASSERT_EQ(engine::all_metrics().size(), written.size());
  size_t i = 0;
  for (const auto& [name, value] : written.items()) {
    const engine::Metric metric = engine::all_metrics()[i++];
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

}  // namespace
}  // namespace cca::server
