#include "server/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/time_util.h"

namespace cca::server {
namespace {

// Length of the valid UTF-8 sequence at text[i], or 0 when the bytes there are not one.
size_t utf8_sequence_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  size_t length;
  uint32_t code_point;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = code_point << 6 | (byte(i + k) & 0x3F);
  }
  const bool overlong =
      (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (overlong || surrogate || code_point > 0x10FFFF) return 0;
  return length;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  // Keys and most values are plain ASCII: copy them whole.
  const bool plain = std::all_of(text.begin(), text.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
  });
  if (plain) {
    out.append(text);
    out.push_back('"');
    return;
  }
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        out.append("\xEF\xBF\xBD");
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (c < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

void JsonWriter::separate() {
  if (need_comma_) out_.push_back(',');
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  out_.push_back('{');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_.push_back('}');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  separate();
  out_.push_back('[');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_.push_back(']');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  append_json_string(out_, name);
  out_.push_back(':');
  need_comma_ = false;
  return *this;
}

char* JsonWriter::begin_raw(size_t bytes) {
  const size_t used = out_.size();
  out_.resize(used + bytes + 1);
  char* p = out_.data() + used;
  if (need_comma_) *p++ = ',';
  return p;
}

void JsonWriter::end_raw(char* end) {
  out_.resize(static_cast<size_t>(end - out_.data()));
  need_comma_ = true;
}

JsonWriter& JsonWriter::encoded_key(std::string_view quoted_with_colon) {
  separate();
  out_.append(quoted_with_colon);
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::time_value(int64_t epoch_ms, bool milliseconds) {
  separate();
  // snprintf costs more than the rest of a timeseries point; the digits are written by hand.
  const int64_t days = floor_div(epoch_ms, kMsPerDay);
  const int64_t in_day = epoch_ms - days * kMsPerDay;
  const CivilDate date = civil_from_days(days);
  char text[32];
  char* p = text;
  const auto digits = [&](int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      p[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    p += width;
  };
  *p++ = '"';
  digits(date.year, 4);
  *p++ = '-';
  digits(date.month, 2);
  *p++ = '-';
  digits(date.day, 2);
  *p++ = 'T';
  digits(in_day / kMsPerHour, 2);
  *p++ = ':';
  digits(in_day / 60000 % 60, 2);
  *p++ = ':';
  digits(in_day / 1000 % 60, 2);
  if (milliseconds) {
    *p++ = '.';
    digits(in_day % 1000, 3);
  }
  *p++ = 'Z';
  *p++ = '"';
  out_.append(text, p);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  separate();
  append_json_string(out_, text);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  separate();
  out_.append(flag ? "true" : "false");
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(int64_t number) {
  separate();
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  out_.append(buffer, result.ptr);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(uint64_t number) {
  separate();
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  out_.append(buffer, result.ptr);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  if (!std::isfinite(number)) return null();
  // Token sums are whole numbers; integer formatting is several times faster and, below 1e15,
  // writes the same text as the shortest round-trip form.
  if (std::abs(number) < 1e15 && number == std::trunc(number))
    return value(static_cast<int64_t>(number));
  separate();
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  out_.append(buffer, result.ptr);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  out_.append("null");
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_.append(json);
  need_comma_ = true;
  return *this;
}

}  // namespace cca::server
