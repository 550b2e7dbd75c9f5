#include "server/dashboard.h"

#include <string_view>

#include "server/api_error.h"
#include "server/embedded_assets.h"

namespace cca::server {
namespace {

bool accepts_gzip(const httplib::Request& request) {
  return request.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
}

void send_asset(const httplib::Request& request, httplib::Response& response,
                const EmbeddedAsset& asset) {
  // Built file names carry a content hash: safe to keep forever. index.html must be revalidated.
  const bool hashed = asset.path.substr(0, 8) == "/assets/";
  response.set_header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  response.set_header("Vary", "Accept-Encoding");
  const bool gzip = !asset.body_gzip.empty() && accepts_gzip(request);
  if (gzip) response.set_header("Content-Encoding", "gzip");
  const std::string_view body = gzip ? asset.body_gzip : asset.body;
  response.set_content(body.data(), body.size(), std::string(asset.content_type).c_str());
}

}  // namespace

void serve_dashboard(const httplib::Request& request, httplib::Response& response) {
  if (!dashboard_embedded())
    throw ApiError(404, "not_found",
                   "no such endpoint; the dashboard is not built into this binary (make build)");
  std::string_view path = request.path;
  if (path == "/") path = "/index.html";
  if (const EmbeddedAsset* asset = find_embedded_asset(path)) {
    send_asset(request, response, *asset);
    return;
  }
  // A missing built file is a 404; any other path is a client-side route (they may hold dots:
  // /users/ann.lee@example.com), answered with the app, which routes it.
  const EmbeddedAsset* index = find_embedded_asset("/index.html");
  if (path.substr(0, 8) == "/assets/" || index == nullptr)
    throw ApiError(404, "not_found", "no such file: " + std::string(path));
  send_asset(request, response, *index);
}

}  // namespace cca::server
