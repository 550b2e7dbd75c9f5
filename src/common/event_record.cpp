#include "common/event_record.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

namespace cca {

void compute_client_key(EventRecord& e) {
  // One-shot hashing of a concatenation is several times cheaper than XXH3's streaming API
  // over fourteen short pieces. Each field goes with its length, so ("ab", "c") != ("a", "bc").
  thread_local std::string scratch;
  scratch.clear();
  for (std::string_view field :
       {e.user_email, e.user_uid, e.account_uuid, e.organization_id, e.terminal, e.practice_hint,
        e.os_type, e.os_version, e.host_arch, e.host_name, e.service_version, e.resource_json,
        e.scope_json, e.envelope_json}) {
    const uint32_t size = static_cast<uint32_t>(field.size());
    scratch.append(reinterpret_cast<const char*>(&size), sizeof size);
    scratch.append(field);
  }
  e.client_key = hash128(scratch);
}

std::string format_attempt(double attempt) {
  char text[32];
  const auto end = attempt == std::trunc(attempt) && std::abs(attempt) < 1e15
                       ? std::to_chars(text, text + sizeof text, static_cast<int64_t>(attempt)).ptr
                       : std::to_chars(text, text + sizeof text, attempt).ptr;
  return std::string(text, static_cast<size_t>(end - text));
}

}  // namespace cca
