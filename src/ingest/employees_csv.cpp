#include "ingest/employees_csv.h"

#include <csv.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "ingest/ingestor.h"
#include "store/employee_directory.h"

namespace cca::ingest {
namespace {

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

enum Column { kEmail, kFullName, kPractice, kLevel, kLocation, kUserId, kColumns };
constexpr std::array<std::string_view, kColumns> kColumnNames = {"email", "full_name", "practice",
                                                                 "level", "location",  "user_id"};

struct Collector {
  std::vector<std::string> fields;
  std::vector<std::vector<std::string>> rows;
};

void on_field(void* data, size_t size, void* context) {
  static_cast<Collector*>(context)->fields.emplace_back(static_cast<const char*>(data), size);
}

void on_row(int, void* context) {
  auto* collector = static_cast<Collector*>(context);
  collector->rows.push_back(std::move(collector->fields));
  collector->fields.clear();
}

std::string join_row(const std::vector<std::string>& fields) {
  std::string raw;
  for (const std::string& field : fields) {
    if (!raw.empty()) raw += ',';
    const bool quote = field.find_first_of(",\"\r\n") != std::string::npos;
    if (!quote) {
      raw += field;
      continue;
    }
    raw += '"';
    for (char c : field) raw += c == '"' ? std::string("\"\"") : std::string(1, c);
    raw += '"';
  }
  return raw;
}

}  // namespace

EmployeesParse parse_employees_csv(std::string_view csv) {
  if (csv.substr(0, 3) == "\xEF\xBB\xBF") csv.remove_prefix(3);
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
    throw IngestError("employees CSV: out of memory");
  Collector collector;
  const size_t parsed = csv_parse(&parser, csv.data(), csv.size(), on_field, on_row, &collector);
  if (parsed != csv.size() || csv_fini(&parser, on_field, on_row, &collector) != 0) {
    const std::string message = csv_strerror(csv_error(&parser));
    const size_t row = collector.rows.size() + 1;
    csv_free(&parser);
    throw IngestError("employees CSV: row " + std::to_string(row) + " is malformed: " + message);
  }
  csv_free(&parser);
  if (collector.rows.empty()) throw IngestError("employees CSV: empty, expected a header row");

  std::array<int, kColumns> position;
  position.fill(-1);
  const std::vector<std::string>& header = collector.rows.front();
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string name = lowercase(trimmed(header[i]));
    for (int c = 0; c < kColumns; ++c)
      if (name == kColumnNames[c]) position[c] = static_cast<int>(i);
  }
  if (position[kEmail] < 0)
    throw IngestError("employees CSV: the header row has no \"email\" column (expected "
                      "email,full_name,practice,level,location)");

  EmployeesParse result;
  for (size_t r = 1; r < collector.rows.size(); ++r) {
    const std::vector<std::string>& fields = collector.rows[r];
    const uint64_t row_number = r + 1;
    if (fields.size() == 1 && trimmed(fields[0]).empty()) continue;  // a blank line
    if (fields.size() != header.size()) {
      result.errors.push_back({row_number,
                               "row " + std::to_string(row_number) + " has " +
                                   std::to_string(fields.size()) + " fields, the header " +
                                   std::to_string(header.size()),
                               join_row(fields)});
      continue;
    }
    auto field = [&](Column c, std::string_view fallback) {
      std::string value = position[c] < 0 ? std::string() : trimmed(fields[position[c]]);
      return value.empty() ? std::string(fallback) : value;
    };
    store::Employee employee{
        lowercase(field(kEmail, "")),           field(kFullName, ""),
        field(kPractice, store::kUnknownValue), field(kLevel, store::kUnknownValue),
        field(kLocation, store::kUnknownValue), field(kUserId, "")};
    if (employee.email.empty()) {
      result.errors.push_back({row_number, "row " + std::to_string(row_number) + " has no email",
                               join_row(fields)});
      continue;
    }
    result.employees.push_back(std::move(employee));
  }
  return result;
}

}  // namespace cca::ingest
