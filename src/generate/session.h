#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "generate/random.h"

namespace cca::generate {

class Scenario;

enum class EventKind : uint8_t { kUserPrompt, kApiRequest, kApiError, kToolDecision, kToolResult };

// One simulated event; which fields matter depends on kind. Indexes point into the catalog.
struct SessionEvent {
  int64_t time_ms = 0;
  EventKind kind = EventKind::kUserPrompt;
  uint8_t model = 0;             // api_request, api_error: catalog::kModels
  uint8_t tool = 0;              // tool_decision, tool_result: catalog::kTools
  uint8_t decision_source = 0;   // tool_decision: catalog::kDecisionSources
  uint8_t error = 0;             // api_error: catalog::kApiErrors
  uint8_t attempt = 0;           // api_error: 1..3
  bool success = false;          // tool_result
  bool outage_error = false;     // tool_result failed by a scenario's tool_outage: sends `error`
  bool has_result_size = false;  // tool_result: whether tool_result_size_bytes is sent
  int64_t duration_ms = 0;       // api_request, api_error, tool_result
  int64_t prompt_length = 0;     // user_prompt
  int64_t result_size_bytes = 0;
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  int64_t cache_read_tokens = 0;
  int64_t cache_creation_tokens = 0;
  double cost_usd = 0;  // 0 when the clipped draw was at the floor
};

// A Claude Code session: turns of a user prompt followed by cycles of an API request (an
// error and a retry now and then) and the tools the answer asked for. Events come out in
// time order, time advancing by each duration and the pauses between them.
struct Session {
  std::string id;  // random UUID
  std::vector<SessionEvent> events;
};

// Fills session from its own random stream, so a session is the same whatever else is
// generated alongside. Reuses the capacity of session.events. With a scenario, its error bursts
// and tool outages apply to the calls and results that fall in their ranges; the draws they
// need are made only there, so a session that meets no incident is the same as without one.
void simulate_session(Random& random, int64_t start_ms, Session& session,
                      const Scenario* scenario = nullptr);

}  // namespace cca::generate
