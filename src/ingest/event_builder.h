#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/event_record.h"
#include "ingest/attribute_value.h"
#include "ingest/event_batch.h"

namespace cca::ingest {

// Applies the contract's ingest rules to one event, whatever source it came from:
// CloudWatch batches and OTLP requests both feed attributes here, one at a time.
// finish() appends the event to the batch, or its rejection with the reason.
class EventBuilder {
 public:
  // Starts an event whose strings will live in batch.arena.
  void begin(EventBatch& batch);

  void attribute(std::string_view key, const AttributeValue& value);
  void resource_attribute(std::string_view key, const AttributeValue& value);
  // A field outside the attributes: kept, untyped, with the attributes that have no column.
  void extra(std::string_view key, const AttributeValue& value);
  void body(std::string_view text);
  void fallback_time_ms(int64_t epoch_ms);  // the log record's own timestamp
  void log_event_id(std::string_view id);
  void resource_json(std::string_view json);
  void scope_json(std::string_view json);
  void envelope_json(std::string_view json);

  // Validates. On success the event is appended with `key` as its identity and true returned;
  // otherwise a Rejected record (raw_on_reject, the line) is appended and false returned.
  bool finish(const Hash128& key, std::string_view raw_on_reject, uint64_t line);

  // Rejects the event before its attributes were read (the message is not an object, ...).
  void reject(std::string_view reason, std::string_view field, std::string_view detail,
              std::string_view raw, uint64_t line);

 private:
  bool number_attribute(std::string_view key, const AttributeValue& value, OptionalNumber& out);
  // A number outside the contract's validation rules: kept when valid, else kept as sent in extra.
  void optional_number(std::string_view key, const AttributeValue& value, OptionalNumber& out);
  // An api_request without cost_usd: from cost_usd_micros, else estimated by the price table.
  void complete_cost();
  std::string_view text_of(const AttributeValue& value);
  // Keeps the attribute as a custom one (docs/schema.md, "Custom attributes") when it is one.
  void custom_attribute(std::string_view key, const AttributeValue& value, bool from_record);
  std::string_view custom_attributes_json();

  EventBatch* batch_ = nullptr;
  EventRecord event_;
  std::string_view event_name_attr_, body_, email_attr_;
  std::string_view timestamp_text_;
  int64_t fallback_time_ms_ = 0;
  bool has_fallback_time_ = false;
  std::string_view bad_number_field_;  // first numeric attribute that broke the rule
  OptionalNumber cost_usd_micros_;
  std::string extra_;                  // {"key": value, ...} of attributes without a column
  // This event's custom attributes as they came: per attribute its origin ('r'esource or
  // re'c'ord), then key and value, each after its 32-bit length. Consecutive events mostly repeat
  // the previous one's, so the canonical JSON is rebuilt only when this differs from the last
  // event's.
  std::string custom_;
  std::string last_custom_;
  std::string last_custom_json_;
};

// Removes the private attributes' values (private_attributes.h) from a JSON document before it is
// kept in the quarantine.
std::string redact_private_text(std::string_view json_text);

}  // namespace cca::ingest
