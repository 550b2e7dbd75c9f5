#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cca::server {

// RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, rows end with CRLF.
class CsvWriter {
 public:
  CsvWriter& field(std::string_view text);
  CsvWriter& field(const char* text) { return field(std::string_view(text)); }
  CsvWriter& field(const std::string& text) { return field(std::string_view(text)); }
  CsvWriter& field(uint64_t number);
  CsvWriter& field(double number);  // shortest text that reads back exactly
  void end_row();
  std::string take() { return std::move(out_); }

 private:
  void separate();

  std::string out_;
  bool row_started_ = false;
};

}  // namespace cca::server
