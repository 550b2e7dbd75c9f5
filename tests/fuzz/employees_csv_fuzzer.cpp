// Any bytes as the employee directory CSV. Only IngestError may escape. Every data row is loaded,
// reported as an error, or blank; loaded rows are normalised (email trimmed and lowercase, the
// other columns trimmed, Unknown when empty); and the loaded directory written back as CSV parses
// to itself.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "ingest/employees_csv.h"
#include "ingest/ingestor.h"

namespace {

std::string quoted(const std::string& field) {
  std::string out = "\"";
  for (const char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool trimmed(const std::string& text) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  return text.empty() || (!space(text.front()) && !space(text.back()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view csv(reinterpret_cast<const char*>(data), size);
  cca::ingest::EmployeesParse parsed;
  try {
    parsed = cca::ingest::parse_employees_csv(csv);
  } catch (const cca::ingest::IngestError&) {
    return 0;
  }
  uint64_t previous_row = 1;  // the header
  for (const auto& error : parsed.errors) {
    FUZZ_REQUIRE(error.row > previous_row);
    FUZZ_REQUIRE(!error.detail.empty());
    previous_row = error.row;
  }
  for (const auto& employee : parsed.employees) {
    FUZZ_REQUIRE(!employee.email.empty() && trimmed(employee.email));
    FUZZ_REQUIRE(std::none_of(employee.email.begin(), employee.email.end(),
                              [](char c) { return c >= 'A' && c <= 'Z'; }));
    for (const std::string* column : {&employee.practice, &employee.level, &employee.location})
      FUZZ_REQUIRE(!column->empty() && trimmed(*column));
    FUZZ_REQUIRE(trimmed(employee.full_name) && trimmed(employee.user_id));
  }

  // Round trip: the loaded rows, every field quoted, in another column order.
  std::string written = "user_id,location,level,practice,full_name,email\r\n";
  for (const auto& e : parsed.employees)
    written += quoted(e.user_id) + "," + quoted(e.location) + "," + quoted(e.level) + "," +
               quoted(e.practice) + "," + quoted(e.full_name) + "," + quoted(e.email) + "\r\n";
  const cca::ingest::EmployeesParse again = cca::ingest::parse_employees_csv(written);
  FUZZ_REQUIRE(again.errors.empty());
  FUZZ_REQUIRE(again.employees.size() == parsed.employees.size());
  for (size_t i = 0; i < parsed.employees.size(); ++i) {
    const auto& a = parsed.employees[i];
    const auto& b = again.employees[i];
    FUZZ_REQUIRE(a.email == b.email && a.full_name == b.full_name && a.practice == b.practice &&
                 a.level == b.level && a.location == b.location && a.user_id == b.user_id);
  }
  return 0;
}
