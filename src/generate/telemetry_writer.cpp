#include "generate/telemetry_writer.h"

#include <charconv>
#include <cstring>

#include "common/time_util.h"
#include "generate/catalog.h"
#include "generate/python_float.h"

// `, \"key\": \"` as one literal: inside `message` every quote is escaped once more.
#define CCA_ATTRIBUTE_KEY(key) ", \\\"" key "\\\": \\\""

namespace cca::generate {
namespace {

constexpr int kMaxBatchEvents = 10;
// Bytes an event needs beyond its session's shared text: the envelope of its batch, the id,
// the times and its own attributes (the longest, an api_error, takes about 300).
constexpr size_t kEventBytesBeyondSessionText = 2048;

constexpr std::string_view kQuote = "\\\"";
constexpr std::string_view kBatchHead =
    R"({"messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": )"
    R"("/claude-code/telemetry", "logStream": "otel-collector", "subscriptionFilters": )"
    R"(["logs-to-s3"], "logEvents": [)";

// Formats into memory reserved beforehand: no bounds checks, no allocation.
class Cursor {
 public:
  explicit Cursor(char* position) : position_(position) {}
  char* position() const { return position_; }

  void put(std::string_view text) {
    std::memcpy(position_, text.data(), text.size());
    position_ += text.size();
  }
  void put(char c) { *position_++ = c; }
  void put_int(int64_t value) { position_ = std::to_chars(position_, position_ + 20, value).ptr; }
  void put_two_digits(int64_t value) {
    put(static_cast<char>('0' + value / 10));
    put(static_cast<char>('0' + value % 10));
  }
  // Zero-padded to exactly width digits.
  void put_digits(uint64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      position_[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    position_ += width;
  }
  // "2026-01-02T02:41:00.685Z"
  void put_timestamp(int64_t epoch_ms) {
    const int64_t days = floor_div(epoch_ms, kMsPerDay);
    const int64_t in_day = epoch_ms - days * kMsPerDay;
    const CivilDate date = civil_from_days(days);
    put_digits(static_cast<uint64_t>(date.year), 4);
    put('-');
    put_two_digits(date.month);
    put('-');
    put_two_digits(date.day);
    put('T');
    put_two_digits(in_day / kMsPerHour);
    put(':');
    put_two_digits(in_day / 60'000 % 60);
    put(':');
    put_two_digits(in_day / 1000 % 60);
    put('.');
    put_digits(static_cast<uint64_t>(in_day % 1000), 3);
    put('Z');
  }
  // A cost as Python writes a float; the floor of the clipped draw is the integer 0.
  void put_cost(double cost_usd) {
    if (cost_usd > 0) {
      position_ = put_python_float(position_, cost_usd);
    } else {
      put('0');
    }
  }

 private:
  char* position_;
};

std::string_view event_name(EventKind kind) {
  switch (kind) {
    case EventKind::kUserPrompt:
      return "user_prompt";
    case EventKind::kApiRequest:
      return "api_request";
    case EventKind::kApiError:
      return "api_error";
    case EventKind::kToolDecision:
      return "tool_decision";
    case EventKind::kToolResult:
      return "tool_result";
  }
  return "";
}

// Closes the logEvents array and the envelope, dated by the UTC day of the first event.
void put_batch_end(Cursor& out, int64_t first_event_ms) {
  const CivilDate date = civil_from_days(floor_div(first_event_ms, kMsPerDay));
  out.put(R"(], "year": )");
  out.put_int(date.year);
  out.put(R"(, "month": )");
  out.put_int(date.month);
  out.put(R"(, "day": )");
  out.put_int(date.day);
  out.put("}\n");
}

void append_attribute(std::string& out, std::string_view key_fragment, std::string_view value) {
  out.append(key_fragment).append(value).append(kQuote);
}

// The event's own attributes, keys in alphabetical order as Claude Code sends them.
void put_attributes(Cursor& out, const SessionEvent& event) {
  switch (event.kind) {
    case EventKind::kUserPrompt:
      out.put(CCA_ATTRIBUTE_KEY("prompt") "<REDACTED>\\\"" CCA_ATTRIBUTE_KEY("prompt_length"));
      out.put_int(event.prompt_length);
      out.put(kQuote);
      break;
    case EventKind::kApiRequest:
      out.put(CCA_ATTRIBUTE_KEY("cache_creation_tokens"));
      out.put_int(event.cache_creation_tokens);
      out.put(kQuote);
      out.put(CCA_ATTRIBUTE_KEY("cache_read_tokens"));
      out.put_int(event.cache_read_tokens);
      out.put(kQuote);
      out.put(CCA_ATTRIBUTE_KEY("cost_usd"));
      out.put_cost(event.cost_usd);
      out.put(kQuote);
      out.put(CCA_ATTRIBUTE_KEY("duration_ms"));
      out.put_int(event.duration_ms);
      out.put(kQuote);
      out.put(CCA_ATTRIBUTE_KEY("input_tokens"));
      out.put_int(event.input_tokens);
      out.put(kQuote);
      out.put(CCA_ATTRIBUTE_KEY("model"));
      out.put(catalog::kModels[event.model].id);
      out.put(kQuote);
      out.put(CCA_ATTRIBUTE_KEY("output_tokens"));
      out.put_int(event.output_tokens);
      out.put(kQuote);
      break;
    case EventKind::kApiError: {
      const catalog::ApiError& error = catalog::kApiErrors[event.error];
      out.put(CCA_ATTRIBUTE_KEY("attempt"));
      out.put_int(event.attempt);
      out.put(kQuote);
      out.put(CCA_ATTRIBUTE_KEY("duration_ms"));
      out.put_int(event.duration_ms);
      out.put(kQuote);
      out.put(CCA_ATTRIBUTE_KEY("error"));
      out.put(error.message);
      out.put(kQuote);
      out.put(CCA_ATTRIBUTE_KEY("model"));
      out.put(catalog::kModels[event.model].id);
      out.put(kQuote);
      out.put(CCA_ATTRIBUTE_KEY("status_code"));
      out.put(error.status_code);
      out.put(kQuote);
      break;
    }
    case EventKind::kToolDecision: {
      const catalog::DecisionSource& source = catalog::kDecisionSources[event.decision_source];
      out.put(CCA_ATTRIBUTE_KEY("decision"));
      out.put(source.accepts ? "accept" : "reject");
      out.put(kQuote);
      out.put(CCA_ATTRIBUTE_KEY("source"));
      out.put(source.name);
      out.put(kQuote);
      out.put(CCA_ATTRIBUTE_KEY("tool_name"));
      out.put(catalog::kTools[event.tool].name);
      out.put(kQuote);
      break;
    }
    case EventKind::kToolResult:
      // As in the reference data, results report the configured accept whatever the source.
      out.put(CCA_ATTRIBUTE_KEY("decision_source") "config\\\"" CCA_ATTRIBUTE_KEY(
          "decision_type") "accept\\\"" CCA_ATTRIBUTE_KEY("duration_ms"));
      out.put_int(event.duration_ms);
      out.put(kQuote);
      if (event.outage_error) {  // only with a scenario: the reference's failures carry no error
        out.put(CCA_ATTRIBUTE_KEY("error"));
        out.put(catalog::kToolOutageError);
        out.put(kQuote);
      }
      out.put(CCA_ATTRIBUTE_KEY("success"));
      out.put(event.success ? "true" : "false");
      out.put(kQuote);
      out.put(CCA_ATTRIBUTE_KEY("tool_name"));
      out.put(catalog::kTools[event.tool].name);
      out.put(kQuote);
      if (event.has_result_size) {
        out.put(CCA_ATTRIBUTE_KEY("tool_result_size_bytes"));
        out.put_int(event.result_size_bytes);
        out.put(kQuote);
      }
      break;
  }
}

}  // namespace

TelemetryWriter::SessionText TelemetryWriter::session_text(const User& user,
                                                           std::string_view session_id) {
  SessionText text;
  std::string& head = text.attributes_head;
  head.append(kQuote);
  append_attribute(head, CCA_ATTRIBUTE_KEY("organization.id"), user.organization_id);
  append_attribute(head, CCA_ATTRIBUTE_KEY("session.id"), session_id);
  append_attribute(head, CCA_ATTRIBUTE_KEY("terminal.type"), user.terminal);
  append_attribute(head, CCA_ATTRIBUTE_KEY("user.account_uuid"), user.account_uuid);
  append_attribute(head, CCA_ATTRIBUTE_KEY("user.email"), user.email);
  append_attribute(head, CCA_ATTRIBUTE_KEY("user.id"), user.user_id);
  head.append(CCA_ATTRIBUTE_KEY("event.name"));

  // Claude Code leaves the resource's user.email empty; the attributes carry it.
  std::string& tail = text.message_tail;
  tail.append(R"(}, \"scope\": {\"name\": \"com.anthropic.claude_code.events\")");
  append_attribute(tail, CCA_ATTRIBUTE_KEY("version"), user.claude_code_version);
  tail.append(R"(}, \"resource\": {\"host.arch\": \")").append(user.os.arch).append(kQuote);
  append_attribute(tail, CCA_ATTRIBUTE_KEY("host.name"), user.host_name);
  append_attribute(tail, CCA_ATTRIBUTE_KEY("os.type"), user.os.type);
  append_attribute(tail, CCA_ATTRIBUTE_KEY("os.version"), user.os.version);
  append_attribute(tail, CCA_ATTRIBUTE_KEY("service.name"), "claude-code-None");
  append_attribute(tail, CCA_ATTRIBUTE_KEY("service.version"), user.claude_code_version);
  append_attribute(tail, CCA_ATTRIBUTE_KEY("user.email"), "");
  append_attribute(tail, CCA_ATTRIBUTE_KEY("user.practice"), user.practice);
  append_attribute(tail, CCA_ATTRIBUTE_KEY("user.profile"), user.profile);
  append_attribute(tail, CCA_ATTRIBUTE_KEY("user.serial"), user.serial);
  tail.append(R"(}}"})");
  return text;
}

TelemetryWriter::TelemetryWriter(const std::string& path, Random& random)
    : file_(path), random_(random) {}

void TelemetryWriter::write(const SessionEvent& event, const SessionText& text) {
  Cursor out(file_.reserve(text.attributes_head.size() + text.message_tail.size() +
                           kEventBytesBeyondSessionText));
  if (batch_size_ == 0) {
    batch_capacity_ = static_cast<int>(random_.uniform_int(1, kMaxBatchEvents));
    batch_first_ms_ = event.time_ms;
    out.put(kBatchHead);
  } else {
    out.put(", ");
  }

  // CloudWatch ids are decimal strings; the reference's are uniform over [10^55, 10^57):
  // 57 digits ten times as often as 56, never a leading zero.
  constexpr uint64_t kChunk = 1'000'000'000'000'000'000;  // 18 digits per draw
  const bool long_id = random_.below(11) != 0;
  out.put(R"({"id": ")");
  out.put(static_cast<char>('1' + random_.below(9)));
  for (int chunk = 0; chunk < 3; ++chunk) out.put_digits(random_.below(kChunk), 18);
  out.put_digits(random_.below(long_id ? 100 : 10), long_id ? 2 : 1);

  const std::string_view name = event_name(event.kind);
  out.put(R"(", "timestamp": )");
  out.put_int(event.time_ms);
  out.put(R"(, "message": "{\"body\": \"claude_code.)");
  out.put(name);
  out.put(R"(\", \"attributes\": {\"event.timestamp\": \")");
  out.put_timestamp(event.time_ms);
  out.put(text.attributes_head);
  out.put(name);
  out.put(kQuote);
  put_attributes(out, event);
  out.put(text.message_tail);

  ++events_;
  if (++batch_size_ == batch_capacity_) {
    put_batch_end(out, batch_first_ms_);
    batch_size_ = 0;
    ++batches_;
  }
  file_.advance(out.position());
}

void TelemetryWriter::commit() {
  if (batch_size_ > 0) {  // the last batch holds what is left
    Cursor out(file_.reserve(kEventBytesBeyondSessionText));
    put_batch_end(out, batch_first_ms_);
    file_.advance(out.position());
    ++batches_;
  }
  file_.commit();
}

}  // namespace cca::generate

#undef CCA_ATTRIBUTE_KEY
