#include "fuzz/fuzz_check.h"

namespace cca::fuzz {
namespace {

// Where the reads of check_accepted_event() go, so that they are not optimised away.
volatile size_t touched_bytes = 0;

void check_number(const OptionalNumber& number) {
  if (number.present) FUZZ_REQUIRE(std::isfinite(number.value) && number.value >= 0);
}

}  // namespace

void check_accepted_event(const EventRecord& event) {
  FUZZ_REQUIRE(!event.event_name.empty());
  FUZZ_REQUIRE(!event.user.empty());
  for (const OptionalNumber* number :
       {&event.input_tokens, &event.output_tokens, &event.cache_read_tokens,
        &event.cache_creation_tokens, &event.cost_usd, &event.duration_ms, &event.prompt_length,
        &event.attempt, &event.tool_result_size_bytes, &event.ttft_ms,
        &event.cache_creation_5m_tokens, &event.cache_creation_1h_tokens})
    check_number(*number);
  size_t bytes = 0;
  for (const std::string_view text :
       {event.log_event_id,    event.event_name,    event.session_id,    event.user,
        event.user_email,      event.user_uid,      event.account_uuid,  event.organization_id,
        event.terminal,        event.model,         event.tool_name,     event.decision,
        event.decision_source, event.decision_type, event.error,         event.status_code,
        event.query_source,    event.speed,         event.practice_hint, event.os_type,
        event.os_version,      event.host_arch,     event.host_name,     event.service_version,
        event.resource_json,   event.scope_json,    event.envelope_json, event.extra_json,
        event.attributes_json})
    bytes += touch(text);
  touched_bytes = touched_bytes + bytes;
}

}  // namespace cca::fuzz
