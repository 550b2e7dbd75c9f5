#pragma once

#include <httplib.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/filter.h"
#include "server/routes.h"

namespace cca::server {

// The query string of one request, checked against what its route accepts. Every failure is an
// ApiError 400 naming the parameter: unknown names, repeated single-valued parameters, values
// that are not UTF-8 or do not parse.
//
// scope: the practices the asker may see (a scoped token); empty for all. Every filter() then
// covers those practices only, and asking for another practice is an ApiError 403.
class QueryParams {
 public:
  QueryParams(const httplib::Request& request, const RouteSpec& route,
              std::vector<std::string> scope = {});

  std::optional<std::string_view> get(std::string_view name) const;
  std::string_view get_or(std::string_view name, std::string_view fallback) const;
  // A decimal integer in [min, max]; fallback when the parameter is absent.
  size_t get_count(std::string_view name, size_t fallback, size_t min, size_t max) const;
  // "asc" or "desc" in `order`; false (descending) when absent.
  bool ascending() const;
  // from/to and the value lists. Dates cover whole UTC days; from after to is refused.
  engine::Filter filter() const;
  const std::vector<std::string>& scope() const { return scope_; }
  bool in_scope(std::string_view practice) const;

 private:
  const httplib::Request& request_;
  std::vector<std::string> scope_;
};

// Calls each(item) for every comma-separated item of text, in order, empty items included.
template <typename Each>
void for_each_comma_separated(std::string_view text, Each&& each) {
  while (true) {
    const size_t comma = text.find(',');
    each(text.substr(0, comma));
    if (comma == std::string_view::npos) return;
    text.remove_prefix(comma + 1);
  }
}

// True when text is well-formed UTF-8 without NUL bytes.
bool valid_utf8(std::string_view text);

// A date (YYYY-MM-DD) or RFC 3339 instant as epoch milliseconds. Dates name the day's start for
// `from` and the next day's start for `to`, so that both ends cover whole days.
std::optional<int64_t> parse_time_bound(std::string_view text, bool is_end);

}  // namespace cca::server
