#pragma once

#include <httplib.h>

namespace cca::server {

// Serves the embedded dashboard: its files by exact path, and index.html for every other path
// without a file extension (the app's own routes, such as /sessions/abc). Throws ApiError 404 for
// anything else, and when the binary was built without the dashboard.
void serve_dashboard(const httplib::Request& request, httplib::Response& response);

}  // namespace cca::server
