#pragma once

#include <string_view>

namespace cca::server {

// The OpenAPI 3 description of every endpoint, served at /api/v1/openapi.json. Written by hand
// beside the route table, but for who may call each operation, which is taken from the table; the
// server tests hold the two to the same paths, methods and parameters.
std::string_view openapi_document();

}  // namespace cca::server
