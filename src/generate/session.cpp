#include "generate/session.h"

#include <algorithm>

#include "generate/catalog.h"
#include "generate/scenario.h"
#include "generate/uuid.h"

namespace cca::generate {
namespace {

// The weighted tables, built once.
struct Choices {
  WeightedChoice models{catalog::weights_of(catalog::kModels)};
  WeightedChoice tools{catalog::weights_of(catalog::kTools)};
  WeightedChoice decision_sources{catalog::weights_of(catalog::kDecisionSources)};
  WeightedChoice api_errors{catalog::weights_of(catalog::kApiErrors)};
  WeightedChoice attempts{std::vector<uint32_t>(catalog::kApiErrorAttemptWeights.begin(),
                                                catalog::kApiErrorAttemptWeights.end())};
  WeightedChoice tools_per_cycle{std::vector<uint32_t>(catalog::kToolsPerCycleWeights.begin(),
                                                       catalog::kToolsPerCycleWeights.end())};
};

const Choices& choices() {
  static const Choices kChoices;
  return kChoices;
}

double clipped(Random& random, const catalog::ClippedNormal& shape) {
  return std::max(shape.floor, random.normal(shape.mean, shape.sd));
}

int64_t clipped_int(Random& random, const catalog::ClippedNormal& shape) {
  return static_cast<int64_t>(clipped(random, shape));
}

int64_t lognormal_count(Random& random, const catalog::LognormalCount& shape) {
  const double draw = random.lognormal(shape.mu, shape.sigma);
  if (draw >= static_cast<double>(shape.max)) return shape.max;
  return std::max<int64_t>(1, static_cast<int64_t>(draw));
}

int64_t uniform_in(Random& random, const catalog::IntRange& range) {
  return random.uniform_int(range.min, range.max);
}

class SessionBuilder {
 public:
  SessionBuilder(Random& random, int64_t start_ms, std::vector<SessionEvent>& events,
                 const Scenario* scenario)
      : random_(random), now_ms_(start_ms), events_(events), scenario_(scenario) {}

  void run() {
    const int64_t turns = lognormal_count(random_, catalog::kTurnsPerSession);
    for (int64_t turn = 0; turn < turns; ++turn) {
      SessionEvent& prompt = emit(EventKind::kUserPrompt);
      prompt.prompt_length = lognormal_count(random_, catalog::kPromptLength);
      now_ms_ += uniform_in(random_, catalog::kPromptToRequest);

      const int64_t cycles = lognormal_count(random_, catalog::kCyclesPerTurn);
      for (int64_t cycle = 0; cycle < cycles; ++cycle) {
        // Only an error burst leaves a call without an answer, and no tools to run.
        bool answered = api_request();
        if (answered && random_.bernoulli(catalog::kApiErrorProbability)) {
          api_error();
          now_ms_ += uniform_in(random_, catalog::kErrorToRetry);
          answered = api_request();
        }
        if (answered) {
          const size_t tools = choices().tools_per_cycle.pick(random_);
          for (size_t i = 0; i < tools; ++i) tool_use();
        }
        now_ms_ += uniform_in(random_, catalog::kBetweenCycles);
      }
      now_ms_ += uniform_in(random_, catalog::kBetweenTurns);
    }
  }

 private:
  SessionEvent& emit(EventKind kind) {
    SessionEvent& event = events_.emplace_back();
    event.time_ms = now_ms_;
    event.kind = kind;
    return event;
  }

  // An API call: its request, or with a scenario's error burst on the model drawn, api_errors
  // and retries (each drawing its model anew). False when every attempt failed.
  bool api_request() {
    auto model_index = static_cast<uint8_t>(choices().models.pick(random_));
    for (int attempt = 1; scenario_ != nullptr; ++attempt) {
      const ErrorBurst* burst = scenario_->error_burst(model_index, now_ms_);
      if (burst == nullptr || !random_.bernoulli(burst->error_rate)) break;
      burst_error(*burst, attempt);
      if (attempt == catalog::kMaxApiAttempts) return false;
      now_ms_ += uniform_in(random_, catalog::kErrorToRetry);
      model_index = static_cast<uint8_t>(choices().models.pick(random_));
    }
    SessionEvent& event = emit(EventKind::kApiRequest);
    event.model = model_index;
    const catalog::Model& model = catalog::kModels[event.model];
    event.cost_usd = clipped(random_, model.cost_usd);
    event.duration_ms = clipped_int(random_, model.duration_ms);
    event.input_tokens = clipped_int(random_, model.input_tokens);
    event.output_tokens = clipped_int(random_, model.output_tokens);
    event.cache_read_tokens = clipped_int(random_, model.cache_read_tokens);
    event.cache_creation_tokens = clipped_int(random_, model.cache_creation_tokens);
    now_ms_ += event.duration_ms;
    return true;
  }

  // A call an error burst fails: the error of the burst's model, the attempt it was, and the
  // time the call took before it failed.
  void burst_error(const ErrorBurst& burst, int attempt) {
    SessionEvent& event = emit(EventKind::kApiError);
    event.model = static_cast<uint8_t>(burst.model);
    event.error = static_cast<uint8_t>(burst.errors[burst.error_choice.pick(random_)]);
    event.attempt = static_cast<uint8_t>(attempt);
    event.duration_ms = clipped_int(random_, catalog::kApiErrorDurationMs);
    now_ms_ += event.duration_ms;
  }

  // The error arrives when the failed request ends; the retry follows after a back-off.
  void api_error() {
    SessionEvent& event = emit(EventKind::kApiError);
    event.model = static_cast<uint8_t>(choices().models.pick(random_));
    event.error = static_cast<uint8_t>(choices().api_errors.pick(random_));
    event.attempt = static_cast<uint8_t>(choices().attempts.pick(random_) + 1);
    event.duration_ms = clipped_int(random_, catalog::kApiErrorDurationMs);
  }

  void tool_use() {
    const auto tool = static_cast<uint8_t>(choices().tools.pick(random_));
    const auto source = static_cast<uint8_t>(choices().decision_sources.pick(random_));
    SessionEvent& decision = emit(EventKind::kToolDecision);
    decision.tool = tool;
    decision.decision_source = source;
    now_ms_ += uniform_in(random_, catalog::kDecisionToResult);
    if (!catalog::kDecisionSources[source].accepts) return;

    const catalog::Tool& profile = catalog::kTools[tool];
    SessionEvent& result = emit(EventKind::kToolResult);
    result.tool = tool;
    result.decision_source = source;
    result.success = random_.bernoulli(profile.success_rate);
    result.duration_ms = clipped_int(
        random_,
        {profile.mean_duration_ms, profile.mean_duration_ms * catalog::kToolDurationSdPerMean, 0});
    result.has_result_size = random_.bernoulli(catalog::kToolResultSizeProbability);
    if (result.has_result_size)
      result.result_size_bytes = uniform_in(random_, catalog::kToolResultSizeBytes);
    if (scenario_ != nullptr) {
      const ToolOutage* outage = scenario_->tool_outage(tool, result.time_ms);
      if (outage != nullptr &&
          (outage->failure_rate >= 1 || random_.bernoulli(outage->failure_rate))) {
        result.success = false;
        result.outage_error = true;
      }
    }
    now_ms_ += result.duration_ms;
  }

  Random& random_;
  int64_t now_ms_;
  std::vector<SessionEvent>& events_;
  const Scenario* scenario_;  // nullptr without --scenario
};

}  // namespace

void simulate_session(Random& random, int64_t start_ms, Session& session,
                      const Scenario* scenario) {
  session.id = random_uuid(random);
  session.events.clear();
  SessionBuilder(random, start_ms, session.events, scenario).run();
}

}  // namespace cca::generate
