#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/employee_directory.h"

namespace cca::ingest {

struct EmployeeRowError {
  uint64_t row;  // 1-based record number, the header being row 1
  std::string detail;
  std::string raw;
};

struct EmployeesParse {
  std::vector<store::Employee> employees;
  std::vector<EmployeeRowError> errors;
};

// Parses the employee directory: RFC 4180 CSV (quoted fields, commas and line breaks inside
// quotes, doubled quotes, CRLF or LF, an optional UTF-8 BOM) with a header naming the columns
// email, full_name, practice, level, location and, optionally, user_id (the `user.id` Claude Code
// sends for the person when it has no email) in any order (case-insensitive). Rows that cannot
// be used are returned as errors with their row number; the rest load.
// Throws IngestError when the text is not CSV at all or the header lacks `email`.
EmployeesParse parse_employees_csv(std::string_view csv);

}  // namespace cca::ingest
