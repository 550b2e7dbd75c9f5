#include "server/query_params.h"

#include <algorithm>
#include <charconv>

#include "common/time_util.h"
#include "engine/dimension.h"
#include "server/api_error.h"

namespace cca::server {
namespace {

// Parameters that may be given several times; their values add up like comma-separated ones.
constexpr std::string_view kListParams[] = {"practice", "level", "location",    "model", "email",
                                            "terminal", "tool",  "status_code", "error"};

bool is_attribute_param(std::string_view name) {
  return name.starts_with(engine::Dimension::kAttributePrefix);
}

bool is_list_param(std::string_view name) {
  return is_attribute_param(name) ||
         std::find(std::begin(kListParams), std::end(kListParams), name) != std::end(kListParams);
}

[[noreturn]] void bad_parameter(std::string_view name, std::string_view why) {
  throw ApiError(400, "invalid_parameter",
                 "query parameter '" + std::string(name) + "' " + std::string(why));
}

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

bool valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead == 0) return false;
    if (lead < 0x80) {
      ++i;
      continue;
    }
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
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = code_point << 6 | (next & 0x3F);
    }
    if ((length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000) ||
        (code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF)
      return false;
    i += length;
  }
  return true;
}

std::optional<int64_t> parse_time_bound(std::string_view text, bool is_end) {
  if (const auto day = parse_date_ms(text)) return is_end ? *day + kMsPerDay : *day;
  return parse_rfc3339_ms(text);
}

QueryParams::QueryParams(const httplib::Request& request, const RouteSpec& route,
                         std::vector<std::string> scope)
    : request_(request), scope_(std::move(scope)) {
  const std::vector<std::string_view> accepted = accepted_params(route);
  for (auto it = request.params.begin(); it != request.params.end(); ++it) {
    const std::string& name = it->first;
    const bool attribute = is_attribute_param(name) && std::find(accepted.begin(), accepted.end(),
                                                                 kAttributeParam) != accepted.end();
    if (attribute && !engine::is_attribute_key(
                         std::string_view(name).substr(engine::Dimension::kAttributePrefix.size())))
      bad_parameter(valid_utf8(name) ? name : "attr.",
                    "must name a custom attribute: attr.<key>, the key 1 to 256 characters "
                    "without control characters");
    if (!attribute && std::find(accepted.begin(), accepted.end(), name) == accepted.end()) {
      const std::string shown = valid_utf8(name) ? name : "(not UTF-8)";
      throw ApiError(400, "unknown_parameter",
                     "unknown query parameter '" + shown + "' for " + std::string(route.path));
    }
    if (!valid_utf8(it->second)) bad_parameter(name, "is not valid UTF-8");
    if (!is_list_param(name) && request.params.count(name) > 1) bad_parameter(name, "is repeated");
    if (name == "practice" && !scope_.empty()) {
      for_each_comma_separated(it->second, [&](std::string_view item) {
        const std::string_view practice = trim_spaces(item);
        if (!practice.empty() && !in_scope(practice))
          throw ApiError(403, "forbidden",
                         "practice '" + std::string(practice) + "' is outside this token's scope");
      });
    }
  }
}

bool QueryParams::in_scope(std::string_view practice) const {
  return scope_.empty() || std::find(scope_.begin(), scope_.end(), practice) != scope_.end();
}

std::optional<std::string_view> QueryParams::get(std::string_view name) const {
  const auto it = request_.params.find(std::string(name));
  if (it == request_.params.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::string_view QueryParams::get_or(std::string_view name, std::string_view fallback) const {
  return get(name).value_or(fallback);
}

size_t QueryParams::get_count(std::string_view name, size_t fallback, size_t min,
                              size_t max) const {
  const auto text = get(name);
  if (!text) return fallback;
  size_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || error != std::errc() || end != text->data() + text->size() ||
      !std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; }))
    bad_parameter(name, "must be a whole number");
  if (value < min || value > max)
    bad_parameter(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return value;
}

bool QueryParams::ascending() const {
  const auto order = get("order");
  if (!order || *order == "desc") return false;
  if (*order == "asc") return true;
  bad_parameter("order", "must be asc or desc");
}

engine::Filter QueryParams::filter() const {
  engine::Filter filter;
  const auto bound = [&](std::string_view name, bool is_end) -> std::optional<int64_t> {
    const auto text = get(name);
    if (!text) return std::nullopt;
    const auto ms = parse_time_bound(*text, is_end);
    if (!ms) bad_parameter(name, "must be a date (YYYY-MM-DD) or an RFC 3339 instant");
    return ms;
  };
  filter.from_ms = bound("from", false);
  filter.to_ms = bound("to", true);
  // An empty instant range [t, t) is a question with an empty answer; a `to` date before `from`
  // leaves from == to here too, and is a mistake.
  const bool to_is_date = get("to") && parse_date_ms(*get("to"));
  if (filter.from_ms && filter.to_ms &&
      (*filter.from_ms > *filter.to_ms || (to_is_date && *filter.from_ms == *filter.to_ms)))
    throw ApiError(400, "invalid_range", "'from' is after 'to'");

  const auto list = [&](std::string_view name, std::vector<std::string>& values) {
    const auto [first, last] = request_.params.equal_range(std::string(name));
    for (auto it = first; it != last; ++it) {
      for_each_comma_separated(it->second, [&](std::string_view item) {
        const std::string_view value = trim_spaces(item);
        if (!value.empty()) values.emplace_back(value);
      });
    }
  };
  list("practice", filter.practice);
  list("level", filter.level);
  list("location", filter.location);
  list("model", filter.model);
  list("email", filter.email);
  list("terminal", filter.terminal);
  list("tool", filter.tool);
  list("status_code", filter.status_code);
  list("error", filter.error);
  // The parameters are sorted by name, so each attribute's repeats are adjacent.
  for (const auto& [name, value] : request_.params) {
    if (!is_attribute_param(name)) continue;
    const std::string key = name.substr(engine::Dimension::kAttributePrefix.size());
    if (filter.attributes.empty() || filter.attributes.back().first != key)
      filter.attributes.emplace_back(key, std::vector<std::string>());
  }
  for (auto& [key, values] : filter.attributes)
    list(std::string(engine::Dimension::kAttributePrefix) + key, values);
  std::erase_if(filter.attributes, [](const auto& entry) { return entry.second.empty(); });
  filter.scope_practices = scope_;
  return filter;
}

}  // namespace cca::server
