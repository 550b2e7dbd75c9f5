#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generate/random.h"

namespace cca::generate {

// A practice spending `factor` times as much as usual in [from_ms, to_ms): as many more (or, below
// 1, fewer) of its sessions start there.
struct SpendSpike {
  std::string_view practice;  // catalog::kPractices
  double factor = 1;
  int64_t from_ms = 0;
  int64_t to_ms = 0;
};

// A fraction of one model's API calls in [from_ms, to_ms) answered with an api_error.
struct ErrorBurst {
  size_t model = 0;  // catalog::kModels
  double error_rate = 0;
  std::vector<size_t> errors;  // the catalog::kApiErrors it draws from (by their weights)
  WeightedChoice error_choice;
  int64_t from_ms = 0;
  int64_t to_ms = 0;
};

// A tool whose results fail (with probability failure_rate) in [from_ms, to_ms).
struct ToolOutage {
  size_t tool = 0;  // catalog::kTools
  double failure_rate = 1;
  int64_t from_ms = 0;
  int64_t to_ms = 0;
};

// What `generate --scenario FILE` adds to the plain generator: a trend, a weekly rhythm and
// incidents (docs/generator.md, "Scenarios"). Parsed and checked once; the planner and the
// session simulation ask it questions only when a scenario is given, so without one the output
// is what it always was.
class Scenario {
 public:
  // Parses a scenario file's text. Throws std::runtime_error naming the source, the field and
  // what is wrong with it ("scenario s.json: incidents[1].factor must be ...").
  static Scenario parse(std::string_view text, std::string_view source);
  // Reads and parses PATH.
  static Scenario load(const std::string& path);

  // Whether session starts are spread over the days other than uniformly.
  bool shapes_days() const { return growth_per_week_.has_value() || weekly_rhythm_.has_value(); }
  // The relative weight of each day of the window [window_start_ms, + days) (UTC days): the
  // weekday's rhythm times (1 + growth_per_week)^(day / 7), scaled so the largest trend factor
  // is 1. Throws std::runtime_error when every day weighs 0 (the rhythm zeroes the window's days).
  std::vector<double> day_weights(int64_t window_start_ms, int days) const;

  bool has_spend_spikes() const { return !spend_spikes_.empty(); }
  // The product of the factors of practice's spikes whose range holds time_ms; 1 when none.
  double spend_factor(std::string_view practice, int64_t time_ms) const;
  // The first listed burst of model whose range holds time_ms, or nullptr.
  const ErrorBurst* error_burst(size_t model, int64_t time_ms) const;
  // The first listed outage of tool whose range holds time_ms, or nullptr.
  const ToolOutage* tool_outage(size_t tool, int64_t time_ms) const;

  const std::vector<SpendSpike>& spend_spikes() const { return spend_spikes_; }
  const std::vector<ErrorBurst>& error_bursts() const { return error_bursts_; }
  const std::vector<ToolOutage>& tool_outages() const { return tool_outages_; }

 private:
  std::optional<double> growth_per_week_;
  std::optional<std::array<double, 7>> weekly_rhythm_;  // Monday .. Sunday
  std::vector<SpendSpike> spend_spikes_;
  std::vector<ErrorBurst> error_bursts_;
  std::vector<ToolOutage> tool_outages_;
};

}  // namespace cca::generate
