#pragma once

#include <string>
#include <string_view>

#include "engine/analytics.h"
#include "server/query_params.h"
#include "server/routes.h"

namespace cca::server {

// The answer of a read-only endpoint that depends only on the analytics and the request (so it
// can be cached under the analytics's version): JSON, or CSV for the export.
struct Answer {
  std::string body;
  std::string_view content_type;
};

// path_argument is the decoded {id} / {email} of the detail routes, empty for the others.
// Throws ApiError for requests it refuses (404 for unknown sessions and users).
Answer answer_read_only(RouteId route, const engine::Analytics& analytics,
                        const QueryParams& params, std::string_view path_argument);

}  // namespace cca::server
