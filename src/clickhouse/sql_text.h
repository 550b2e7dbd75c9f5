#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cca::clickhouse {

// ClickHouse 18.16 has no query parameters: every value goes into the SQL as a literal escaped
// here, and nowhere else.
std::string quote(std::string_view text);
// ['a', 'b']
std::string quote_list(const std::vector<std::string>& values);
// ('a', 'b'), for IN; one or more values.
std::string quote_tuple(const std::vector<std::string>& values);
// Appends text as a TabSeparated field (backslash escapes for \t \n \\ and control bytes).
void append_tsv_field(std::string& out, std::string_view text);
// Appends ['a','b'] as a TabSeparated array field.
void append_tsv_array(std::string& out, const std::vector<std::string_view>& values);
// The start of the UTC period (hour, day) that `time` (ms since the epoch) falls in, as SQL; floor
// division, so that times before 1970 fall in their own period.
std::string period_start(std::string_view time, int64_t period_ms);
// The fields of one TabSeparated line, unescaped.
std::vector<std::string> split_tsv_line(std::string_view line);
// Calls f(fields) for each line of a TabSeparated answer.
template <class F>
void for_each_tsv_row(std::string_view answer, F&& f) {
  while (!answer.empty()) {
    const size_t end = answer.find('\n');
    const std::string_view line = answer.substr(0, end);
    f(split_tsv_line(line));
    if (end == std::string_view::npos) break;
    answer.remove_prefix(end + 1);
  }
}

}  // namespace cca::clickhouse
