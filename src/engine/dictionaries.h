#pragma once

#include <cstdint>

#include "engine/attribute_sets.h"
#include "engine/dictionary.h"

namespace cca::engine {

// The event names every query counts separately, in the order their codes are pre-assigned.
enum class EventKind : uint8_t {
  kUserPrompt,
  kApiRequest,
  kApiError,
  kToolDecision,
  kToolResult,
  kOther,  // any other name: counted in `events` only
};
inline constexpr int kEventKinds = 6;

// The error text of an api_error that ended because the person stopped the request (Esc in
// Claude Code): the SDK's "Request was aborted.". Such errors are not failures of the API.
inline constexpr const char* kUserAbortError = "Request was aborted.";

// One dictionary per string attribute the engine keeps. Some codes are fixed at construction so
// that the hot loops compare integers: event names, the "accept" decision and "Unknown".
struct Dictionaries {
  Dictionaries();

  // Event names 1..5 are the kinds kUserPrompt..kToolResult.
  static EventKind kind_of(uint32_t event_name_code) {
    return event_name_code >= 1 && event_name_code <= 5
               ? static_cast<EventKind>(event_name_code - 1)
               : EventKind::kOther;
  }

  Dictionary event_name, session, user, terminal, model, tool, decision, decision_source, error,
      status_code, version, os, query_source;
  // api_error attempt numbers as text ("1", "2"), so that they group like the other attributes.
  Dictionary attempt;
  // Practice holds directory practices and resource hints alike, so that both compare as codes.
  Dictionary practice, level, location;
  // Custom attributes: set codes per row, keys and values for the `attr.<key>` dimensions.
  AttributeSets attributes;

  uint32_t accept_decision = 0;                                            // code of "accept"
  uint32_t user_abort_error = 0;  // code of kUserAbortError
  uint32_t unknown_practice = 0, unknown_level = 0, unknown_location = 0;  // code of "Unknown"
};

}  // namespace cca::engine
