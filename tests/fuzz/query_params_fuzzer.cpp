// Any bytes as the query string of a request to each API route: decoded as the server decodes it,
// then checked by QueryParams, turned into a Filter and read through the typed getters. Only
// ApiError 400 may escape; whatever is accepted obeys the route's parameter list and the filter's
// rules.
#include <httplib.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dimension.h"
#include "fuzz/fuzz_check.h"
#include "server/api_error.h"
#include "server/query_params.h"
#include "server/routes.h"

namespace {

using cca::server::ApiError;
using cca::server::QueryParams;
using cca::server::RouteSpec;

constexpr std::string_view kAttributePrefix = "attr.";

// Runs one step that may refuse the request; false when it did, with a 400.
template <typename Step>
bool refused(Step&& step) {
  try {
    step();
    return false;
  } catch (const ApiError& error) {
    FUZZ_REQUIRE(error.status() == 400 && !error.code().empty());
    return true;
  }
}

bool utf8_without_nul(std::string_view text) {
  return text.find('\0') == std::string_view::npos &&
         simdjson::validate_utf8(text.data(), text.size());
}

// The values a list parameter holds: its comma-separated items, spaces trimmed, empty ones left
// out.
size_t list_items(const httplib::Params& params, const std::string& name) {
  size_t count = 0;
  const auto [first, last] = params.equal_range(name);
  for (auto it = first; it != last; ++it) {
    cca::server::for_each_comma_separated(it->second, [&](std::string_view item) {
      if (item.find_first_not_of(' ') != std::string_view::npos) ++count;
    });
  }
  return count;
}

void check_values(const std::vector<std::string>& values) {
  for (const std::string& value : values) {
    FUZZ_REQUIRE(!value.empty() && value.front() != ' ' && value.back() != ' ');
    FUZZ_REQUIRE(value.find(',') == std::string::npos);
  }
}

void check_route(const httplib::Request& request, const RouteSpec& route) {
  const std::vector<std::string_view> accepted = cca::server::accepted_params(route);
  const auto accepts = [&](std::string_view name) {
    return std::find(accepted.begin(), accepted.end(), name) != accepted.end();
  };
  std::optional<QueryParams> params;
  if (refused([&] { params.emplace(request, route); })) return;

  // Accepted: every name is the route's, every value UTF-8, and single-valued names are single.
  for (const auto& [name, value] : request.params) {
    const bool attribute =
        name.starts_with(kAttributePrefix) && accepts(cca::server::kAttributeParam);
    FUZZ_REQUIRE(accepts(name) || (attribute && cca::engine::is_attribute_key(
                                                    name.substr(kAttributePrefix.size()))));
    FUZZ_REQUIRE(utf8_without_nul(value));
    FUZZ_REQUIRE(params->get(name).has_value());
  }

  if (route.takes_filters) {
    cca::engine::Filter filter;
    if (!refused([&] { filter = params->filter(); })) {
      if (filter.from_ms && filter.to_ms) FUZZ_REQUIRE(*filter.from_ms <= *filter.to_ms);
      FUZZ_REQUIRE(filter.from_ms.has_value() == request.has_param("from"));
      FUZZ_REQUIRE(filter.to_ms.has_value() == request.has_param("to"));
      const std::pair<const char*, const std::vector<std::string>*> lists[] = {
          {"practice", &filter.practice}, {"level", &filter.level},
          {"location", &filter.location}, {"model", &filter.model},
          {"email", &filter.email},       {"terminal", &filter.terminal},
          {"tool", &filter.tool},         {"status_code", &filter.status_code},
          {"error", &filter.error}};
      for (const auto& [name, values] : lists) {
        check_values(*values);
        FUZZ_REQUIRE(values->size() == list_items(request.params, name));
      }
      for (const auto& [key, values] : filter.attributes) {
        FUZZ_REQUIRE(cca::engine::is_attribute_key(key) && !values.empty());
        check_values(values);
        FUZZ_REQUIRE(values.size() ==
                     list_items(request.params, std::string(kAttributePrefix) + key));
      }
    }
  }

  // The route's own parameters through the typed getters.
  for (const std::string_view name : accepted) {
    size_t count = 0;
    if (!refused([&] { count = params->get_count(name, 7, 1, 500); })) {
      const auto text = params->get(name);
      FUZZ_REQUIRE(text ? count >= 1 && count <= 500 : count == 7);
      if (text)
        FUZZ_REQUIRE(
            std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; }));
    }
  }
  bool ascending = false;
  const auto order = params->get("order");
  const bool order_refused = refused([&] { ascending = params->ascending(); });
  FUZZ_REQUIRE(order_refused == (order && *order != "asc" && *order != "desc"));
  if (!order_refused) FUZZ_REQUIRE(ascending == (order && *order == "asc"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string query(reinterpret_cast<const char*>(data), size);
  FUZZ_REQUIRE(cca::server::valid_utf8(query) == utf8_without_nul(query));
  httplib::Request request;
  httplib::detail::parse_query_text(query, request.params);
  for (const RouteSpec& route : cca::server::route_specs()) check_route(request, route);
  return 0;
}
