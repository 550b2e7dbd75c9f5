#include "engine/dictionaries.h"

#include "store/employee_directory.h"

namespace cca::engine {

Dictionaries::Dictionaries() {
  for (const char* name :
       {"user_prompt", "api_request", "api_error", "tool_decision", "tool_result"})
    event_name.intern(name);
  accept_decision = decision.intern("accept");
  user_abort_error = error.intern(kUserAbortError);
  unknown_practice = practice.intern(store::kUnknownValue);
  unknown_level = level.intern(store::kUnknownValue);
  unknown_location = location.intern(store::kUnknownValue);
}

}  // namespace cca::engine
