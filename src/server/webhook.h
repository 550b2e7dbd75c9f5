#pragma once

#include <string>
#include <string_view>

namespace cca::server {

// Whether url is an http:// or https:// URL with a host: what a budget's webhook may be.
bool is_webhook_url(std::string_view url);

// POSTs a JSON body to url: 5 s to connect, 10 s for the answer. Returns the empty string when
// the receiver answered 2xx, else what went wrong ("HTTP 500", "Connection").
std::string post_webhook(const std::string& url, const std::string& body);

}  // namespace cca::server
