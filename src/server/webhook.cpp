#include "server/webhook.h"

#include <httplib.h>

#include <optional>

namespace cca::server {
namespace {

struct UrlParts {
  std::string origin;  // scheme://host[:port]
  std::string path;    // from the first '/', "/" when none
};

std::optional<UrlParts> split_url(std::string_view url) {
  size_t scheme_end = 0;
  if (url.substr(0, 7) == "http://")
    scheme_end = 7;
  else if (url.substr(0, 8) == "https://")
    scheme_end = 8;
  else
    return std::nullopt;
  const size_t slash = url.find('/', scheme_end);
  const std::string_view authority = url.substr(scheme_end, slash - scheme_end);
  if (authority.empty() || authority.front() == ':' ||
      authority.find('@') != std::string_view::npos)
    return std::nullopt;
  for (const char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return std::nullopt;
  UrlParts parts{std::string(url.substr(0, slash)),
                 slash == std::string_view::npos ? "/" : std::string(url.substr(slash))};
  return parts;
}

}  // namespace

bool is_webhook_url(std::string_view url) {
  return url.size() <= 2048 && split_url(url).has_value();
}

std::string post_webhook(const std::string& url, const std::string& body) {
  const std::optional<UrlParts> parts = split_url(url);
  if (!parts) return "not an http(s) URL";
  httplib::Client client(parts->origin);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  client.set_write_timeout(10);
  const httplib::Result result = client.Post(parts->path, body, "application/json");
  if (!result) return httplib::to_string(result.error());
  if (result->status < 200 || result->status > 299) return "HTTP " + std::to_string(result->status);
  return {};
}

}  // namespace cca::server
