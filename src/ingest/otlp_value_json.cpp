#include "ingest/otlp_value_json.h"

#include <charconv>
#include <cmath>

namespace cca::ingest {
namespace {

using opentelemetry::proto::common::v1::AnyValue;

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void append_base64(std::string& out, std::string_view bytes) {
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16 |
                       static_cast<uint8_t>(bytes[i + 1]) << 8 | static_cast<uint8_t>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kBase64[(n >> shift) & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16 | static_cast<uint8_t>(bytes[i + 1])
                                                                  << 8;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += '=';
  }
}

// proto3 JSON spells the doubles JSON cannot hold as strings.
void append_double(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "\"NaN\"";
  } else if (std::isinf(value)) {
    out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    char text[32];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
    out.append(text, end);
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_any_value_inner(std::string& out, const AnyValue& value) {
  switch (value.value_case()) {
    case AnyValue::kStringValue:
      append_json_string(out, value.string_value());
      break;
    case AnyValue::kBoolValue:
      out += value.bool_value() ? "true" : "false";
      break;
    case AnyValue::kIntValue:
      out += std::to_string(value.int_value());
      break;
    case AnyValue::kDoubleValue:
      append_double(out, value.double_value());
      break;
    case AnyValue::kArrayValue: {
      out += "{\"values\":[";
      bool first = true;
      for (const AnyValue& element : value.array_value().values()) {
        if (!first) out += ',';
        first = false;
        append_any_value(out, element);
      }
      out += "]}";
      break;
    }
    case AnyValue::kKvlistValue:
      out += "{\"values\":";
      append_key_values(out, value.kvlist_value().values());
      out += '}';
      break;
    case AnyValue::kBytesValue:
      out += '"';
      append_base64(out, value.bytes_value());
      out += '"';
      break;
    case AnyValue::VALUE_NOT_SET:
      out += "null";
      break;
  }
}

void append_any_value(std::string& out, const AnyValue& value) {
  const char* kind = nullptr;
  switch (value.value_case()) {
    case AnyValue::kStringValue:
      kind = "{\"stringValue\":";
      break;
    case AnyValue::kBoolValue:
      kind = "{\"boolValue\":";
      break;
    case AnyValue::kIntValue:
      kind = "{\"intValue\":";
      break;
    case AnyValue::kDoubleValue:
      kind = "{\"doubleValue\":";
      break;
    case AnyValue::kArrayValue:
      kind = "{\"arrayValue\":";
      break;
    case AnyValue::kKvlistValue:
      kind = "{\"kvlistValue\":";
      break;
    case AnyValue::kBytesValue:
      kind = "{\"bytesValue\":";
      break;
    case AnyValue::VALUE_NOT_SET:
      out += "{}";
      return;
  }
  out += kind;
  append_any_value_inner(out, value);
  out += '}';
}

void append_key_values(
    std::string& out,
    const google::protobuf::RepeatedPtrField<opentelemetry::proto::common::v1::KeyValue>& values) {
  out += '[';
  bool first = true;
  for (const auto& kv : values) {
    if (!first) out += ',';
    first = false;
    out += "{\"key\":";
    append_json_string(out, kv.key());
    if (kv.has_value()) {
      out += ",\"value\":";
      append_any_value(out, kv.value());
    }
    out += '}';
  }
  out += ']';
}

std::string scope_json(const opentelemetry::proto::common::v1::InstrumentationScope& scope) {
  std::string out = "{";
  auto field = [&](std::string_view name) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += name;
    out += "\":";
  };
  if (!scope.name().empty()) {
    field("name");
    append_json_string(out, scope.name());
  }
  if (!scope.version().empty()) {
    field("version");
    append_json_string(out, scope.version());
  }
  if (scope.attributes_size() > 0) {
    field("attributes");
    append_key_values(out, scope.attributes());
  }
  if (scope.dropped_attributes_count() > 0) {
    field("droppedAttributesCount");
    out += std::to_string(scope.dropped_attributes_count());
  }
  out += '}';
  return out;
}

}  // namespace cca::ingest
