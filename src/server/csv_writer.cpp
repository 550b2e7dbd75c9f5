#include "server/csv_writer.h"

#include <charconv>
#include <cmath>

namespace cca::server {

void CsvWriter::separate() {
  if (row_started_) out_.push_back(',');
  row_started_ = true;
}

CsvWriter& CsvWriter::field(std::string_view text) {
  separate();
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out_.append(text);
    return *this;
  }
  out_.push_back('"');
  for (const char c : text) {
    if (c == '"') out_.push_back('"');
    out_.push_back(c);
  }
  out_.push_back('"');
  return *this;
}

CsvWriter& CsvWriter::field(uint64_t number) {
  separate();
  char buffer[24];
  out_.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, number).ptr);
  return *this;
}

CsvWriter& CsvWriter::field(double number) {
  separate();
  if (!std::isfinite(number)) return *this;
  char buffer[32];
  out_.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, number).ptr);
  return *this;
}

void CsvWriter::end_row() {
  out_.append("\r\n");
  row_started_ = false;
}

}  // namespace cca::server
