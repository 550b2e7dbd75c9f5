#pragma once

#include <httplib.h>

namespace cca::server {

// Serves the embedded dashboard: its files by exact path, and index.html for every other path (the
// app's own routes, such as /sessions/abc). Throws ApiError 404 for a missing built file under
// /assets/, and when the binary was built without the dashboard.
void serve_dashboard(const httplib::Request& request, httplib::Response& response);

}  // namespace cca::server
