#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/hash128.h"

namespace cca {

// A numeric attribute as it arrived: absent, or a finite value >= 0 (validation rejects the rest).
// Token counts are doubles too: sums stay exact below 2^53 and fractional counts are not lost.
struct OptionalNumber {
  double value = 0;
  bool present = false;

  void set(double v) {
    value = v;
    present = true;
  }
};

// One validated telemetry event, normalised from any source (CloudWatch batch, OTLP/HTTP).
//
// String fields are views: into the parser's reusable buffers while parsing, then copied by
// the store's dictionary. An empty view means the attribute was absent or empty. This keeps
// the per-event path free of allocations.
struct EventRecord {
  Hash128 key;                   // identity for deduplication: hash of the source id or content
  std::string_view log_event_id;  // CloudWatch log event id; empty for sources without ids
  int64_t time_ms = 0;            // UTC epoch milliseconds

  std::string_view event_name;  // "api_request", ...; unknown names are kept as they are
  std::string_view session_id;
  std::string_view user;        // lowercase(trim(user.email)), else user.id
  std::string_view user_email;  // user.email as sent
  std::string_view user_uid;    // the user.id attribute
  std::string_view account_uuid;
  std::string_view organization_id;
  std::string_view terminal;

  std::string_view model;
  std::string_view tool_name;
  std::string_view decision;         // tool_decision: accept / reject
  std::string_view decision_source;  // tool_decision `source`, tool_result `decision_source`
  std::string_view decision_type;    // tool_result
  std::string_view error;
  std::string_view status_code;  // kept as text: "undefined" occurs
  int8_t success = -1;           // tool_result: 1 true, 0 false, -1 absent

  OptionalNumber input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens;
  OptionalNumber cost_usd, duration_ms, prompt_length, attempt, tool_result_size_bytes;

  // Newer api_request fields (Claude Code 2.1+).
  std::string_view query_source;  // "sdk", "repl_main_thread", "generate_session_title", ...
  std::string_view speed;
  OptionalNumber ttft_ms, cache_creation_5m_tokens, cache_creation_1h_tokens;
  bool cost_estimated = false;  // cost_usd was absent and computed by the price table

  // Resource and scope (who sent it, from where).
  std::string_view practice_hint;  // resource user.practice; the directory wins over it
  std::string_view os_type, os_version, host_arch, host_name, service_version;

  // Everything else the source sent, so nothing is lost: JSON objects as text, or empty.
  std::string_view resource_json;  // the resource object
  std::string_view scope_json;     // the scope object
  std::string_view envelope_json;  // batch envelope: owner, logGroup, logStream, filters
  std::string_view extra_json;     // attributes without a typed column (never the prompt text)
  std::string_view attributes_json;  // the custom attributes: {"key": "value", ...}, keys sorted

  // Hash of the per-client fields (who sent the event and from where: everything from
  // user_email to envelope_json that is not event-specific). Computed on the parse threads by
  // compute_client_key(), so that the single store writer resolves those fields' dictionary ids
  // once per client instead of once per event.
  Hash128 client_key;
};

void compute_client_key(EventRecord& event);

// An attempt number as text: whole numbers as integers ("2", not "2.0"), anything else in its
// shortest exact form (as ClickHouse's toString writes a Float64, at least for whole numbers
// below 10^15 and decimals such as 2.5).
std::string format_attempt(double attempt);

}  // namespace cca
