#pragma once

#include <string_view>

namespace cca::ingest {

// An attribute value as a parser found it, before the rules decide what it means.
struct AttributeValue {
  enum class Type { kString, kNumber, kBool, kNull, kComposite };

  Type type = Type::kNull;
  std::string_view text;  // the unescaped string for kString; the JSON text otherwise
  double number = 0;      // for kNumber
  bool boolean = false;   // for kBool

  static AttributeValue string(std::string_view s) { return {Type::kString, s, 0, false}; }
  static AttributeValue num(double v, std::string_view json) { return {Type::kNumber, json, v, false}; }
  static AttributeValue boolean_value(bool b) { return {Type::kBool, b ? "true" : "false", 0, b}; }
  static AttributeValue null() { return {Type::kNull, "null", 0, false}; }
  static AttributeValue composite(std::string_view json) { return {Type::kComposite, json, 0, false}; }
};

}  // namespace cca::ingest
