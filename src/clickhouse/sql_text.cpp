#include "clickhouse/sql_text.h"

namespace cca::clickhouse {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Backslash escapes for a quoted literal and a TabSeparated field alike; other control bytes as
// \xHH, which both read back.
void append_escaped(std::string& out, std::string_view text, char quote_char) {
  for (const char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\0':
        out += "\\0";
        break;
      default:
        if (c == quote_char) {
          out += '\\';
          out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\x";
          out += kHex[(c >> 4) & 0xf];
          out += kHex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
}

}  // namespace

std::string quote(std::string_view text) {
  std::string out = "'";
  append_escaped(out, text, '\'');
  out += '\'';
  return out;
}

namespace {

std::string quote_all(const std::vector<std::string>& values, char open, char close) {
  std::string out(1, open);
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += quote(values[i]);
  }
  out += close;
  return out;
}

}  // namespace

std::string quote_list(const std::vector<std::string>& values) {
  return quote_all(values, '[', ']');
}

std::string quote_tuple(const std::vector<std::string>& values) {
  return quote_all(values, '(', ')');
}

void append_tsv_field(std::string& out, std::string_view text) {
  append_escaped(out, text, 0);
}

void append_tsv_array(std::string& out, const std::vector<std::string_view>& values) {
  out += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '\'';
    // ClickHouse reads a TabSeparated array's elements as quoted literals, escapes included.
    append_escaped(out, values[i], '\'');
    out += '\'';
  }
  out += ']';
}

std::string period_start(std::string_view time, int64_t period_ms) {
  const std::string period = std::to_string(period_ms);
  const std::string t(time);
  return t + " - ((" + t + " % " + period + ") + " + period + ") % " + period;
}

std::vector<std::string> split_tsv_line(std::string_view line) {
  std::vector<std::string> fields(1);
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\t') {
      fields.emplace_back();
    } else if (c == '\\' && i + 1 < line.size()) {
      const char next = line[++i];
      switch (next) {
        case 't':
          fields.back() += '\t';
          break;
        case 'n':
          fields.back() += '\n';
          break;
        case 'r':
          fields.back() += '\r';
          break;
        case '0':
          fields.back() += '\0';
          break;
        case 'b':
          fields.back() += '\b';
          break;
        case 'f':
          fields.back() += '\f';
          break;
        default:
          fields.back() += next;
      }
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace cca::clickhouse
