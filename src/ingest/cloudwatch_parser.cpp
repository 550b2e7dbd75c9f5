#include "ingest/cloudwatch_parser.h"

#include <simdjson.h>

#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/text_hash.h"
#include "ingest/attribute_value.h"
#include "ingest/event_builder.h"
#include "ingest/rejection.h"

// simdjson's On-Demand parser is compiled into its caller: which kernel runs (AVX2 or the
// portable one, about 40 % slower here) is decided by this file's compile flags. The project's
// CMakeLists.txt sets them; see CCANALYTICS_SIMD there.
namespace cca::ingest {
namespace ondemand = simdjson::ondemand;

class SimdjsonParser final : public CloudWatchParser {
 public:
  // Parses the lines of [data, data + size). `data` must stay readable for
  // simdjson::SIMDJSON_PADDING bytes past `size` (lines are parsed in place).
  // first_line is the 1-based number of the chunk's first line.
  void parse_chunk(const char* data, size_t size, uint64_t first_line, EventBatch& out) override;

 private:
  // Every event of a user repeats the same resource object: its fields are extracted once.
  struct ResourceFields {
    std::string os_type, os_version, host_arch, host_name, service_version, practice;
    std::vector<std::pair<std::string, std::string>> others;  // as text: the builder sorts them
  };

  void parse_line(const char* line, size_t length, size_t capacity, uint64_t line_number,
                  EventBatch& out);
  bool parse_log_events(ondemand::array log_events, uint64_t line_number,
                        EventBatch& out);
  void parse_log_event(ondemand::value log_event, uint64_t line_number, EventBatch& out,
                       bool& malformed);
  // Feeds the message's fields to the builder; false when it is not a JSON object.
  bool parse_message(std::string_view message);
  // nullptr when the resource object is malformed.
  const ResourceFields* resource_fields(std::string_view resource_json);
  void reject_line(std::string_view reason, std::string_view detail, std::string_view line,
                   uint64_t line_number, EventBatch& out);


  ondemand::parser outer_parser_;
  ondemand::parser message_parser_;
  ondemand::parser resource_parser_;
  std::string message_buffer_;
  std::string envelope_;
  EventBuilder builder_;

  TextMap<ResourceFields> resource_cache_;
  std::string last_resource_json_;
  const ResourceFields* last_resource_ = nullptr;
};


namespace {

using ondemand::json_type;

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}


bool raw_json_of(ondemand::value value, std::string_view& out) {
  ondemand::json_type type;
  if (value.type().get(type)) return false;
  if (type == ondemand::json_type::object) {
    ondemand::object object;
    if (value.get_object().get(object) || object.raw_json().get(out)) return false;
  } else if (type == ondemand::json_type::array) {
    ondemand::array array;
    if (value.get_array().get(array) || array.raw_json().get(out)) return false;
  } else {
    out = value.raw_json_token();
  }
  out = trim_right(out);
  return true;
}

bool read_attribute_value(ondemand::value value, AttributeValue& out) {
  ondemand::json_type type;
  if (value.type().get(type)) return false;
  switch (type) {
    case ondemand::json_type::string: {
      std::string_view text;
      if (value.get_string().get(text)) return false;
      out = AttributeValue::string(text);
      return true;
    }
    case ondemand::json_type::number: {
      const std::string_view token = trim_right(value.raw_json_token());
      double number;
      if (value.get_double().get(number)) return false;
      out = AttributeValue::num(number, token);
      return true;
    }
    case ondemand::json_type::boolean: {
      bool b;
      if (value.get_bool().get(b)) return false;
      out = AttributeValue::boolean_value(b);
      return true;
    }
    case ondemand::json_type::null:
      if (!value.is_null().value_unsafe()) return false;
      out = AttributeValue::null();
      return true;
    default: {
      std::string_view raw;
      if (!raw_json_of(value, raw)) return false;
      out = AttributeValue::composite(raw);
      return true;
    }
  }
}


bool is_blank(const char* data, size_t size) {
  for (size_t i = 0; i < size; ++i)
    if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n') return false;
  return true;
}

// True when nothing but white space follows the document's root value.
bool at_end(ondemand::document& document) {
  return document.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

// A cache of distinct resources is bounded: past this, extraction is simply redone.
constexpr size_t kMaxCachedResources = 4096;

}  // namespace

void SimdjsonParser::parse_chunk(const char* data, size_t size, uint64_t first_line,
                                   EventBatch& out) {
  uint64_t line_number = first_line;
  const char* end = data + size;
  for (const char* line = data; line < end; ++line_number) {
    const char* newline = static_cast<const char*>(std::memchr(line, '\n', end - line));
    const char* line_end = newline ? newline : end;
    size_t length = static_cast<size_t>(line_end - line);
    if (length > 0 && line[length - 1] == '\r') --length;
    if (!is_blank(line, length)) {
      ++out.lines;
      // Everything after the line in the chunk, plus the chunk's padding, is readable.
      const size_t capacity = static_cast<size_t>(end - line) + simdjson::SIMDJSON_PADDING;
      parse_line(line, length, capacity, line_number, out);
    }
    line = line_end + 1;
  }
  out.bytes += size;
}

void SimdjsonParser::reject_line(std::string_view reason, std::string_view detail,
                                   std::string_view line, uint64_t line_number, EventBatch& out) {
  const std::string redacted = redact_private_text(line);
  out.rejected.push_back(Rejected{RejectKind::kLine, reason, {}, out.arena.copy(detail),
                                  out.arena.copy(redacted), line_number});
}

void SimdjsonParser::parse_line(const char* line, size_t length, size_t capacity,
                                  uint64_t line_number, EventBatch& out) {
  const std::string_view text(line, length);
  // A line either lands whole or not at all: events parsed before a late syntax error are undone.
  const size_t events_before = out.events.size();
  const size_t rejected_before = out.rejected.size();
  const StringArena::Mark arena_before = out.arena.mark();
  auto fail = [&](std::string_view reason, std::string_view detail) {
    out.events.resize(events_before);
    out.rejected.resize(rejected_before);
    out.arena.rollback(arena_before);
    reject_line(reason, detail, text, line_number, out);
  };

  ondemand::document document;
  if (outer_parser_.iterate(line, length, capacity).get(document))
    return fail(reason::kInvalidJson, "the line is not valid JSON");
  json_type type;
  if (document.type().get(type)) return fail(reason::kInvalidJson, "the line is not valid JSON");
  if (type != json_type::object)
    return fail(reason::kNotAnObject, "the line is JSON but not an object");
  ondemand::object batch;
  if (document.get_object().get(batch)) return fail(reason::kInvalidJson, "the line is not valid JSON");

  envelope_.clear();
  bool saw_log_events = false;
  for (auto field_result : batch) {
    ondemand::field field;
    std::string_view key;
    if (std::move(field_result).get(field) || field.unescaped_key().get(key))
      return fail(reason::kInvalidJson, "the line is not valid JSON");
    if (key == "logEvents") {
      ondemand::array log_events;
      if (field.value().type().get(type))
        return fail(reason::kInvalidJson, "the line is not valid JSON");
      if (type != json_type::array)
        return fail(reason::kNoLogEvents, "\"logEvents\" is not an array");
      if (field.value().get_array().get(log_events) ||
          !parse_log_events(log_events, line_number, out))
        return fail(reason::kInvalidJson, "the line is not valid JSON");
      saw_log_events = true;
      continue;
    }
    std::string_view raw;
    if (!raw_json_of(field.value(), raw)) return fail(reason::kInvalidJson, "the line is not valid JSON");
    envelope_ += envelope_.empty() ? "{" : ",";
    envelope_ += '"';
    envelope_ += key;  // keys of the envelope are plain ASCII names
    envelope_ += "\":";
    envelope_ += raw;
  }
  if (!at_end(document)) return fail(reason::kInvalidJson, "text follows the JSON object");
  if (!saw_log_events) return fail(reason::kNoLogEvents, "the object has no \"logEvents\" array");

  if (!envelope_.empty()) {
    envelope_ += '}';
    const std::string_view envelope = out.arena.copy(envelope_);
    for (size_t i = events_before; i < out.events.size(); ++i) out.events[i].envelope_json = envelope;
  }
}

bool SimdjsonParser::parse_log_events(ondemand::array log_events, uint64_t line_number,
                                        EventBatch& out) {
  for (auto element : log_events) {
    ondemand::value log_event;
    if (element.get(log_event)) return false;
    bool malformed = false;
    parse_log_event(log_event, line_number, out, malformed);
    if (malformed) return false;
  }
  return true;
}

void SimdjsonParser::parse_log_event(ondemand::value log_event, uint64_t line_number,
                                       EventBatch& out, bool& malformed) {
  json_type type;
  if (log_event.type().get(type)) {
    malformed = true;
    return;
  }
  if (type != json_type::object) {
    std::string_view raw;
    if (!raw_json_of(log_event, raw)) {
      malformed = true;
      return;
    }
    builder_.begin(out);
    builder_.reject(reason::kLogEventNotObject, {}, "a logEvents element is not an object", raw,
                    line_number);
    return;
  }

  ondemand::object object;
  if (log_event.get_object().get(object)) {
    malformed = true;
    return;
  }
  std::string_view id, message, message_raw;
  int64_t timestamp = 0;
  bool has_timestamp = false, message_is_string = false;
  for (auto field_result : object) {
    ondemand::field field;
    std::string_view key;
    if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
      malformed = true;
      return;
    }
    ondemand::value value = field.value();
    if (key == "id") {
      if (!raw_json_of(value, id)) {
        malformed = true;
        return;
      }
      if (id.size() >= 2 && id.front() == '"') id = id.substr(1, id.size() - 2);
    } else if (key == "timestamp") {
      double ms;
      if (value.type().get(type)) {
        malformed = true;
        return;
      }
      if (type == json_type::number && !value.get_double().get(ms) && ms >= 0 && ms < 9e15) {
        timestamp = static_cast<int64_t>(ms);
        has_timestamp = true;
      } else if (!raw_json_of(value, message_raw)) {
        malformed = true;
        return;
      }
    } else if (key == "message") {
      if (value.type().get(type)) {
        malformed = true;
        return;
      }
      if (type == json_type::string) {
        if (value.get_string().get(message)) {
          malformed = true;
          return;
        }
        message_is_string = true;
      } else if (!raw_json_of(value, message_raw)) {
        malformed = true;
        return;
      }
    } else if (!raw_json_of(value, message_raw)) {  // unknown keys are skipped, but must parse
      malformed = true;
      return;
    }
  }

  builder_.begin(out);
  if (!id.empty()) builder_.log_event_id(id);
  if (has_timestamp) builder_.fallback_time_ms(timestamp);
  if (!message_is_string) {
    builder_.reject(reason::kMessageNotObject, "message", "the log event has no message string",
                    message_raw.empty() ? id : message_raw, line_number);
    return;
  }
  if (!parse_message(message)) {
    builder_.reject(reason::kMessageNotObject, "message", "the message is not a JSON object",
                    message, line_number);
    return;
  }
  // Identity: the CloudWatch id; without one, the content (message and timestamp).
  const Hash128 key = id.empty() ? hash128(message, static_cast<uint64_t>(timestamp)) : hash128(id);
  builder_.finish(key, message, line_number);
}

bool SimdjsonParser::parse_message(std::string_view message) {
  // The message is JSON inside a JSON string: it gets its own padded buffer and parser, and
  // the outer document stays alive meanwhile (the message view points into it).
  message_buffer_.reserve(message.size() + simdjson::SIMDJSON_PADDING);
  message_buffer_.assign(message);
  ondemand::document document;
  ondemand::object object;
  if (message_parser_.iterate(message_buffer_.data(), message_buffer_.size(),
                              message_buffer_.capacity())
          .get(document) ||
      document.get_object().get(object))
    return false;
  for (auto field_result : object) {
    ondemand::field field;
    std::string_view key;
    if (std::move(field_result).get(field) || field.unescaped_key().get(key)) return false;
    ondemand::value value = field.value();
    json_type type;
    if (value.type().get(type)) return false;
    if (key == "attributes" && type == json_type::object) {
      ondemand::object attributes;
      if (value.get_object().get(attributes)) return false;
      for (auto attribute_result : attributes) {
        ondemand::field attribute;
        std::string_view name;
        AttributeValue attribute_value;
        if (std::move(attribute_result).get(attribute) || attribute.unescaped_key().get(name) ||
            !read_attribute_value(attribute.value(), attribute_value))
          return false;
        builder_.attribute(name, attribute_value);
      }
    } else if (key == "body" && type == json_type::string) {
      std::string_view body;
      if (value.get_string().get(body)) return false;
      builder_.body(body);
    } else if (key == "resource" && type == json_type::object) {
      std::string_view raw;
      if (!raw_json_of(value, raw)) return false;
      const ResourceFields* fields = resource_fields(raw);
      if (!fields) return false;
      builder_.resource_json(raw);
      builder_.resource_attribute("os.type", AttributeValue::string(fields->os_type));
      builder_.resource_attribute("os.version", AttributeValue::string(fields->os_version));
      builder_.resource_attribute("host.arch", AttributeValue::string(fields->host_arch));
      builder_.resource_attribute("host.name", AttributeValue::string(fields->host_name));
      builder_.resource_attribute("service.version", AttributeValue::string(fields->service_version));
      builder_.resource_attribute("user.practice", AttributeValue::string(fields->practice));
      for (const auto& [name, text] : fields->others)
        builder_.resource_attribute(name, AttributeValue::string(text));
    } else if (key == "scope") {
      std::string_view raw;
      if (!raw_json_of(value, raw)) return false;
      builder_.scope_json(raw);
    } else {
      AttributeValue other;
      if (!read_attribute_value(value, other)) return false;
      builder_.extra(key, other);
    }
  }
  return at_end(document);
}

const SimdjsonParser::ResourceFields* SimdjsonParser::resource_fields(std::string_view raw) {
  if (last_resource_ && raw == last_resource_json_) return last_resource_;
  auto cached = resource_cache_.find(raw);
  if (cached == resource_cache_.end()) {
    ResourceFields fields;
    std::string padded(raw);
    padded.reserve(raw.size() + simdjson::SIMDJSON_PADDING);
    ondemand::document document;
    ondemand::object object;
    if (resource_parser_.iterate(padded.data(), padded.size(), padded.capacity()).get(document) ||
        document.get_object().get(object))
      return nullptr;
    for (auto field_result : object) {
      ondemand::field field;
      std::string_view key;
      AttributeValue value;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key) ||
          !read_attribute_value(field.value(), value))
        return nullptr;
      if (value.type != AttributeValue::Type::kString &&
          value.type != AttributeValue::Type::kNumber && value.type != AttributeValue::Type::kBool)
        continue;
      std::string text(value.text);
      if (key == "os.type") fields.os_type = text;
      else if (key == "os.version") fields.os_version = text;
      else if (key == "host.arch") fields.host_arch = text;
      else if (key == "host.name") fields.host_name = text;
      else if (key == "service.version") fields.service_version = text;
      else if (key == "user.practice") fields.practice = text;
      else
        fields.others.emplace_back(key, std::move(text));
    }
    if (resource_cache_.size() >= kMaxCachedResources) {
      resource_cache_.clear();
      last_resource_ = nullptr;
    }
    cached = resource_cache_.emplace(std::string(raw), std::move(fields)).first;
  }
  last_resource_json_.assign(raw);
  last_resource_ = &cached->second;
  return last_resource_;
}

std::unique_ptr<CloudWatchParser> make_cloudwatch_parser() {
  return std::make_unique<SimdjsonParser>();
}

}  // namespace cca::ingest
