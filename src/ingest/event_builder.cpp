#include "ingest/event_builder.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstring>

#include "common/time_util.h"
#include "ingest/price_table.h"
#include "ingest/private_attributes.h"
#include "ingest/rejection.h"

namespace cca::ingest {
namespace {

enum class Field {
  kUnknown,
  kEventTimestamp,
  kEventName,
  kSessionId,
  kUserEmail,
  kUserId,
  kAccountUuid,
  kOrganizationId,
  kTerminalType,
  kModel,
  kToolName,
  kDecision,
  kSource,
  kDecisionSource,
  kDecisionType,
  kError,
  kStatusCode,
  kSuccess,
  kPrivate,
  kPromptLength,
  kInputTokens,
  kOutputTokens,
  kCacheReadTokens,
  kCacheCreationTokens,
  kCostUsd,
  kDurationMs,
  kAttempt,
  kToolResultSizeBytes,
  kQuerySource,
  kSpeed,
  kTtftMs,
  kCostUsdMicros,
  kCacheCreation5mTokens,
  kCacheCreation1hTokens,
};

struct KnownAttribute {
  std::string_view key;
  Field field;
};

// Sorted by length so that classify() compares only keys of the right size.
constexpr KnownAttribute kKnownAttributes[] = {
    {"model", Field::kModel},
    {"error", Field::kError},
    {"speed", Field::kSpeed},
    {"prompt", Field::kPrivate},
    {"source", Field::kSource},
    {"attempt", Field::kAttempt},
    {"user.id", Field::kUserId},
    {"success", Field::kSuccess},
    {"ttft_ms", Field::kTtftMs},
    {"cost_usd", Field::kCostUsd},
    {"decision", Field::kDecision},
    {"response", Field::kPrivate},
    {"tool_name", Field::kToolName},
    {"tool_input", Field::kPrivate},
    {"session.id", Field::kSessionId},
    {"event.name", Field::kEventName},
    {"user.email", Field::kUserEmail},
    {"duration_ms", Field::kDurationMs},
    {"prompt_text", Field::kPrivate},
    {"status_code", Field::kStatusCode},
    {"input_tokens", Field::kInputTokens},
    {"query_source", Field::kQuerySource},
    {"output_tokens", Field::kOutputTokens},
    {"prompt_length", Field::kPromptLength},
    {"terminal.type", Field::kTerminalType},
    {"decision_type", Field::kDecisionType},
    {"event.timestamp", Field::kEventTimestamp},
    {"tool_parameters", Field::kPrivate},
    {"organization.id", Field::kOrganizationId},
    {"decision_source", Field::kDecisionSource},
    {"cost_usd_micros", Field::kCostUsdMicros},
    {"cache_read_tokens", Field::kCacheReadTokens},
    {"user.account_uuid", Field::kAccountUuid},
    {"cache_creation_tokens", Field::kCacheCreationTokens},
    {"tool_result_size_bytes", Field::kToolResultSizeBytes},
    {"cache_creation_5m_tokens", Field::kCacheCreation5mTokens},
    {"cache_creation_1h_tokens", Field::kCacheCreation1hTokens},
};

Field classify(std::string_view key) {
  for (const KnownAttribute& known : kKnownAttributes) {
    if (known.key.size() > key.size()) break;
    if (known.key.size() == key.size() && std::memcmp(known.key.data(), key.data(), key.size()) == 0)
      return known.field;
  }
  return Field::kUnknown;
}

// Attributes that are neither columns nor custom dimensions: what describes the client (kept in
// columns or the resource), per-event identifiers and measurements, whose values would make
// nearly every event's attribute set distinct. docs/schema.md lists the rule.
constexpr std::string_view kNotCustom[] = {
    "event.sequence", "prompt.id",      "tool_use_id",     "request_id",
    "message.uuid",   "plugin_id_hash", "service.name",    "host.id",
    "query_source",   "speed",          "cost_usd_micros", "os.type",
    "os.version",     "host.arch",      "host.name",       "service.version",
};
constexpr std::string_view kNotCustomPrefixes[] = {"user.", "telemetry."};
constexpr std::string_view kMeasurementSuffixes[] = {"_ms", "_bytes", "_tokens", "_length",
                                                     "_micros"};

bool is_custom_key(std::string_view key) {
  if (key.empty() || is_private_attribute(key)) return false;
  for (std::string_view name : kNotCustom)
    if (key == name) return false;
  for (std::string_view prefix : kNotCustomPrefixes)
    if (key.starts_with(prefix)) return false;
  for (std::string_view suffix : kMeasurementSuffixes)
    if (key.ends_with(suffix)) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool parse_non_negative(std::string_view text, double& out) {
  text = trim(text);
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(out) && out >= 0;
}

void append_json_string(std::string& out, std::string_view s) {
  out += nlohmann::json(std::string(s)).dump(-1, ' ', false,
                                              nlohmann::json::error_handler_t::replace);
}

// Where `"key"`, or `\"key\"` (JSON inside a JSON string), first stands in text.
size_t find_quoted(std::string_view text, std::string_view key) {
  for (size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
    const std::string_view after = text.substr(at + key.size());
    if (at == 0 || text[at - 1] != '"') continue;
    if (after.substr(0, 1) == "\"") return at - 1;
    if (after.substr(0, 2) == "\\\"" && at >= 2 && text[at - 2] == '\\') return at - 2;
  }
  return std::string_view::npos;
}

}  // namespace

void EventBuilder::begin(EventBatch& batch) {
  batch_ = &batch;
  event_ = EventRecord{};
  event_name_attr_ = body_ = email_attr_ = timestamp_text_ = bad_number_field_ = {};
  cost_usd_micros_ = {};
  has_fallback_time_ = false;
  extra_.clear();
  custom_.clear();
}

void EventBuilder::complete_cost() {
  if (cost_usd_micros_.present) {
    event_.cost_usd.set(cost_usd_micros_.value / 1e6);
    return;
  }
  const auto value = [](const OptionalNumber& n) { return n.present ? n.value : 0.0; };
  const std::optional<double> estimate = estimate_cost_usd(
      event_.model, {value(event_.input_tokens), value(event_.output_tokens),
                     value(event_.cache_read_tokens), value(event_.cache_creation_tokens),
                     value(event_.cache_creation_5m_tokens), value(event_.cache_creation_1h_tokens)});
  if (!estimate) return;
  event_.cost_usd.set(*estimate);
  event_.cost_estimated = true;
}

std::string_view EventBuilder::text_of(const AttributeValue& value) {
  // A number where text is expected (status_code 429) keeps its JSON spelling.
  return batch_->arena.copy(value.type == AttributeValue::Type::kNull ? std::string_view()
                                                                      : value.text);
}

bool EventBuilder::number_attribute(std::string_view key, const AttributeValue& value,
                                    OptionalNumber& out) {
  double number = 0;
  bool valid = false;
  switch (value.type) {
    case AttributeValue::Type::kNull: return true;  // null: the attribute is absent
    case AttributeValue::Type::kNumber:
      number = value.number;
      valid = std::isfinite(number) && number >= 0;
      break;
    case AttributeValue::Type::kString: valid = parse_non_negative(value.text, number); break;
    default: valid = false;
  }
  if (!valid) {
    if (bad_number_field_.empty()) bad_number_field_ = key;
    return false;
  }
  out.set(number);
  return true;
}

void EventBuilder::optional_number(std::string_view key, const AttributeValue& value,
                                   OptionalNumber& out) {
  double number = value.number;
  bool valid = false;
  if (value.type == AttributeValue::Type::kNumber) {
    valid = std::isfinite(number) && number >= 0;
  } else if (value.type == AttributeValue::Type::kString) {
    valid = parse_non_negative(value.text, number);
  }
  if (valid) {
    out.set(number);
  } else if (value.type != AttributeValue::Type::kNull) {
    extra(key, value);
  }
}

void EventBuilder::extra(std::string_view key, const AttributeValue& value) {
  if (is_private_attribute(key)) return;
  extra_ += extra_.empty() ? '{' : ',';
  append_json_string(extra_, key);
  extra_ += ':';
  if (value.type == AttributeValue::Type::kString) {
    append_json_string(extra_, value.text);
  } else {
    extra_ += value.text;
  }
}

void EventBuilder::attribute(std::string_view key, const AttributeValue& value) {
  switch (classify(key)) {
    case Field::kEventTimestamp:
      timestamp_text_ = value.type == AttributeValue::Type::kString ? value.text : std::string_view();
      break;
    case Field::kEventName: event_name_attr_ = text_of(value); break;
    case Field::kSessionId: event_.session_id = text_of(value); break;
    case Field::kUserEmail: email_attr_ = text_of(value); break;
    case Field::kUserId: event_.user_uid = text_of(value); break;
    case Field::kAccountUuid: event_.account_uuid = text_of(value); break;
    case Field::kOrganizationId: event_.organization_id = text_of(value); break;
    case Field::kTerminalType: event_.terminal = text_of(value); break;
    case Field::kModel: event_.model = text_of(value); break;
    case Field::kToolName: event_.tool_name = text_of(value); break;
    case Field::kDecision: event_.decision = text_of(value); break;
    case Field::kSource:
    case Field::kDecisionSource: event_.decision_source = text_of(value); break;
    case Field::kDecisionType: event_.decision_type = text_of(value); break;
    case Field::kError: event_.error = text_of(value); break;
    case Field::kStatusCode: event_.status_code = text_of(value); break;
    case Field::kSuccess:
      if (value.type == AttributeValue::Type::kBool) {
        event_.success = value.boolean ? 1 : 0;
      } else if (value.type == AttributeValue::Type::kString) {
        const std::string_view s = trim(value.text);
        if (s == "true" || s == "True" || s == "TRUE") event_.success = 1;
        if (s == "false" || s == "False" || s == "FALSE") event_.success = 0;
      }
      break;
    case Field::kPrivate: break;  // never stored (private_attributes.h); sizes arrive apart
    case Field::kPromptLength: number_attribute(key, value, event_.prompt_length); break;
    case Field::kInputTokens: number_attribute(key, value, event_.input_tokens); break;
    case Field::kOutputTokens: number_attribute(key, value, event_.output_tokens); break;
    case Field::kCacheReadTokens: number_attribute(key, value, event_.cache_read_tokens); break;
    case Field::kCacheCreationTokens:
      number_attribute(key, value, event_.cache_creation_tokens);
      break;
    case Field::kCostUsd: number_attribute(key, value, event_.cost_usd); break;
    case Field::kDurationMs: number_attribute(key, value, event_.duration_ms); break;
    case Field::kAttempt: number_attribute(key, value, event_.attempt); break;
    case Field::kToolResultSizeBytes:
      number_attribute(key, value, event_.tool_result_size_bytes);
      break;
    case Field::kQuerySource: event_.query_source = text_of(value); break;
    case Field::kSpeed: event_.speed = text_of(value); break;
    case Field::kTtftMs: optional_number(key, value, event_.ttft_ms); break;
    case Field::kCostUsdMicros: optional_number(key, value, cost_usd_micros_); break;
    case Field::kCacheCreation5mTokens:
      optional_number(key, value, event_.cache_creation_5m_tokens);
      break;
    case Field::kCacheCreation1hTokens:
      optional_number(key, value, event_.cache_creation_1h_tokens);
      break;
    case Field::kUnknown:
      extra(key, value);
      // Numbers on records are measurements (agent_path_count, total_attempts), not dimensions.
      if (value.type != AttributeValue::Type::kNumber) custom_attribute(key, value, true);
      break;
  }
}

void EventBuilder::custom_attribute(std::string_view key, const AttributeValue& value,
                                    bool from_record) {
  if (value.type == AttributeValue::Type::kNull || value.type == AttributeValue::Type::kComposite)
    return;
  if (value.text.empty() || !is_custom_key(key)) return;
  if (!from_record && classify(key) != Field::kUnknown) return;  // a record's field, misplaced
  custom_ += from_record ? 'c' : 'r';
  for (const std::string_view text : {key, value.text}) {
    const auto size = static_cast<uint32_t>(text.size());
    custom_.append(reinterpret_cast<const char*>(&size), sizeof size);
    custom_.append(text);
  }
}

std::string_view EventBuilder::custom_attributes_json() {
  if (custom_.empty()) return {};
  if (custom_ != last_custom_) {
    // Resource attributes first, so that a record attribute of the same key overrides them; the
    // object's keys come out sorted, which makes equal sets equal texts.
    nlohmann::json object = nlohmann::json::object();
    for (const char origin : {'r', 'c'}) {
      std::string_view rest = custom_;
      const auto take = [&rest] {
        uint32_t size = 0;
        std::memcpy(&size, rest.data(), sizeof size);
        const std::string_view text = rest.substr(sizeof size, size);
        rest.remove_prefix(sizeof size + size);
        return std::string(text);
      };
      while (!rest.empty()) {
        const char from = rest[0];
        rest.remove_prefix(1);
        std::string key = take();
        std::string value = take();
        if (from == origin) object[std::move(key)] = std::move(value);
      }
    }
    last_custom_json_ = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    last_custom_ = custom_;
  }
  return batch_->arena.copy(last_custom_json_);
}

void EventBuilder::resource_attribute(std::string_view key, const AttributeValue& value) {
  if (value.type == AttributeValue::Type::kComposite) return;
  if (key == "os.type") {
    event_.os_type = text_of(value);
  } else if (key == "os.version") {
    event_.os_version = text_of(value);
  } else if (key == "host.arch") {
    event_.host_arch = text_of(value);
  } else if (key == "host.name") {
    event_.host_name = text_of(value);
  } else if (key == "service.version") {
    event_.service_version = text_of(value);
  } else if (key == "user.practice") {
    event_.practice_hint = text_of(value);
  } else {
    custom_attribute(key, value, false);
  }
}

void EventBuilder::body(std::string_view text) { body_ = batch_->arena.copy(text); }
void EventBuilder::fallback_time_ms(int64_t epoch_ms) {
  fallback_time_ms_ = epoch_ms;
  has_fallback_time_ = true;
}
void EventBuilder::log_event_id(std::string_view id) { event_.log_event_id = batch_->arena.copy(id); }
void EventBuilder::resource_json(std::string_view json) { event_.resource_json = batch_->arena.copy(json); }
void EventBuilder::scope_json(std::string_view json) { event_.scope_json = batch_->arena.copy(json); }
void EventBuilder::envelope_json(std::string_view json) { event_.envelope_json = batch_->arena.copy(json); }

void EventBuilder::reject(std::string_view reason, std::string_view field, std::string_view detail,
                          std::string_view raw, uint64_t line) {
  StringArena& arena = batch_->arena;
  const std::string redacted = redact_private_text(raw);
  batch_->rejected.push_back(Rejected{RejectKind::kEvent, reason, arena.copy(field),
                                      arena.copy(detail), arena.copy(redacted), line});
}

bool EventBuilder::finish(const Hash128& key, std::string_view raw_on_reject, uint64_t line) {
  // Event name: the attribute, else the body ("claude_code.api_request" names "api_request").
  std::string_view name = trim(event_name_attr_);
  if (name.empty()) {
    name = trim(body_);
    constexpr std::string_view kPrefix = "claude_code.";
    if (name.substr(0, kPrefix.size()) == kPrefix) name.remove_prefix(kPrefix.size());
  }
  if (name.empty()) {
    reject(reason::kNoEventName, "event.name",
           "no event name: neither attributes[\"event.name\"] nor a body", raw_on_reject, line);
    return false;
  }
  event_.event_name = name;

  // Claude Code omits session.id under OTEL_METRICS_INCLUDE_SESSION_ID=false: such an event is
  // kept, in no session.
  if (trim(event_.session_id).empty()) event_.session_id = {};

  const std::string_view email = trim(email_attr_);
  if (!email.empty()) {
    char* lowered = batch_->arena.allocate(email.size());
    for (size_t i = 0; i < email.size(); ++i)
      lowered[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(email[i])));
    event_.user = {lowered, email.size()};
    event_.user_email = email_attr_;
  } else if (!trim(event_.user_uid).empty()) {
    event_.user = event_.user_uid;
  } else {
    reject(reason::kNoUser, "user.email",
           "no user: attributes[\"user.email\"] and attributes[\"user.id\"] both empty or absent",
           raw_on_reject, line);
    return false;
  }

  std::optional<int64_t> time;
  if (!timestamp_text_.empty()) time = parse_rfc3339_ms(trim(timestamp_text_));
  if (!time && has_fallback_time_) time = fallback_time_ms_;
  if (!time) {
    reject(reason::kNoTimestamp, "event.timestamp",
           timestamp_text_.empty()
               ? "no attributes[\"event.timestamp\"] and no epoch-millisecond timestamp"
               : "attributes[\"event.timestamp\"] is not an RFC 3339 instant and there is no "
                 "epoch-millisecond timestamp",
           raw_on_reject, line);
    return false;
  }
  event_.time_ms = *time;

  if (!bad_number_field_.empty()) {
    const std::string detail =
        "attributes[\"" + std::string(bad_number_field_) + "\"] is not a finite number >= 0";
    reject(reason::kInvalidNumber, bad_number_field_, detail, raw_on_reject, line);
    return false;
  }

  if (event_.event_name == "api_request" && !event_.cost_usd.present) complete_cost();

  if (!extra_.empty()) {
    extra_ += '}';
    event_.extra_json = batch_->arena.copy(extra_);
  }
  event_.attributes_json = custom_attributes_json();
  event_.key = key;
  batch_->events.push_back(event_);
  return true;
}

std::string redact_private_text(std::string_view json_text) {
  nlohmann::json document = nlohmann::json::parse(json_text, nullptr, false);
  if (document.is_discarded()) {
    // Not JSON, so a private value's extent cannot be known: everything from the first private
    // key on is dropped (the key as JSON spells it, or escaped inside a message string). Losing
    // the tail of a broken record beats storing what a person typed.
    size_t cut = std::string_view::npos;
    for (std::string_view key : kPrivateAttributes) cut = std::min(cut, find_quoted(json_text, key));
    if (cut == std::string_view::npos) return std::string(json_text);
    return std::string(json_text.substr(0, cut)) + "<private text removed>";
  }
  // Walks every object: CloudWatch attributes objects and OTLP key/value lists alike.
  auto scrub = [](auto& self, nlohmann::json& node) -> void {
    if (node.is_object()) {
      for (std::string_view key : kPrivateAttributes) {
        const auto found = node.find(key);
        if (found != node.end()) *found = "<removed>";
      }
      const auto key = node.find("key");
      if (key != node.end() && key->is_string() && is_private_attribute(key->get<std::string>()) &&
          node.contains("value"))
        // Spelled as object(...): clang 14 leaks the temporaries of `= {{...}}` here.
        node["value"] = nlohmann::json::object({{"stringValue", "<removed>"}});
      // A CloudWatch message holds the event as JSON inside a string.
      const auto message = node.find("message");
      if (message != node.end() && message->is_string())
        *message = redact_private_text(message->get<std::string>());
      for (auto& [child_key, child] : node.items()) self(self, child);
    } else if (node.is_array()) {
      for (auto& child : node) self(self, child);
    }
  };
  scrub(scrub, document);
  return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace cca::ingest
