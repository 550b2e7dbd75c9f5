#pragma once

#include <cstdint>
#include <string_view>

namespace cca::ingest {

// Why a line or an event was quarantined. The codes are stable: reports, the quarantine
// table and /api/v1/quality use them.
namespace reason {
// Lines (count in rejected_lines).
inline constexpr std::string_view kInvalidJson = "invalid_json";
inline constexpr std::string_view kNotAnObject = "not_an_object";
inline constexpr std::string_view kNoLogEvents = "no_log_events_array";
// Events (count in rejected_events).
inline constexpr std::string_view kLogEventNotObject = "log_event_not_object";
inline constexpr std::string_view kMessageNotObject = "message_not_object";
inline constexpr std::string_view kNoEventName = "missing_event_name";
inline constexpr std::string_view kNoUser = "missing_user";
inline constexpr std::string_view kNoTimestamp = "missing_timestamp";
inline constexpr std::string_view kInvalidNumber = "invalid_number";
// Employee directory rows.
inline constexpr std::string_view kInvalidEmployeeRow = "invalid_employee_row";
}  // namespace reason

enum class RejectKind { kLine, kEvent, kEmployeeRow };

inline std::string_view to_string(RejectKind kind) {
  switch (kind) {
    case RejectKind::kLine: return "line";
    case RejectKind::kEvent: return "event";
    case RejectKind::kEmployeeRow: return "employee_row";
  }
  return "unknown";
}

// A quarantined record. Views point into the batch's arena.
struct Rejected {
  RejectKind kind;
  std::string_view reason;  // one of reason::*
  std::string_view field;   // the attribute at fault, when one is
  std::string_view detail;  // a sentence for people: what was wrong
  std::string_view raw;     // the record as it arrived (the prompt text removed)
  uint64_t line = 0;        // 1-based line of the source, 0 when not line-based
};

}  // namespace cca::ingest
