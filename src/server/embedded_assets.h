#pragma once

#include <string_view>

namespace cca::server {

// The dashboard's built files (web/dist), compiled into the binary so that one file deploys.
// Generated at build time by cmake/embed_assets.cmake; empty when the dashboard was not built.
struct EmbeddedAsset {
  std::string_view path;          // "/index.html", "/assets/index-3f2a.js"
  std::string_view content_type;  // "text/html; charset=utf-8"
  std::string_view body;          // raw bytes
  std::string_view body_gzip;     // gzip of body (precompressed at build time), may be empty
};

// nullptr when there is no asset at that path.
const EmbeddedAsset* find_embedded_asset(std::string_view path);
bool dashboard_embedded();

}  // namespace cca::server
