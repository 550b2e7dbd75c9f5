#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cca::server {

// Appends JSON text to a string, placing commas itself. Answers are built with it directly:
// building a DOM first costs more than computing most answers.
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  // A key already in JSON form with its colon, such as "\"events\":" (hot loops precompute them).
  JsonWriter& encoded_key(std::string_view quoted_with_colon);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(bool flag);
  JsonWriter& value(int64_t number);
  JsonWriter& value(uint64_t number);
  JsonWriter& value(int number) { return value(static_cast<int64_t>(number)); }
  JsonWriter& value(double number);  // shortest text that reads back exactly; null if not finite
  template <class T>
  JsonWriter& value(const std::optional<T>& maybe) {
    return maybe ? value(*maybe) : null();
  }
  JsonWriter& null();
  // An instant as an RFC 3339 UTC string: with milliseconds, or whole seconds.
  JsonWriter& time_value(int64_t epoch_ms, bool milliseconds = true);
  // Inserts already serialised JSON as one value.
  JsonWriter& raw(std::string_view json);

  // For hot loops that format many fields at once: room for at most `bytes` more characters,
  // written through the returned pointer, then end_raw() with the pointer past the last one.
  // A comma is placed first when the next value needs one.
  char* begin_raw(size_t bytes);
  void end_raw(char* end);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }
  void reserve(size_t bytes) { out_.reserve(bytes); }

 private:
  void separate();

  std::string out_;
  bool need_comma_ = false;
};

// Appends text as a JSON string literal. Invalid UTF-8 becomes U+FFFD, so output always parses.
void append_json_string(std::string& out, std::string_view text);

}  // namespace cca::server
