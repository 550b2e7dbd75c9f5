#pragma once

#include <string>

#include "server/api_error.h"

namespace cca::server {

// The OTLP error of a refused export, as OTLP/HTTP (a protobuf request's error body) and
// OTLP/gRPC (the status details) both carry it: a google.rpc.Status.

// The google.rpc.Code an HTTP status stands for: 400, 413, 415 INVALID_ARGUMENT; 401
// UNAUTHENTICATED; 503 UNAVAILABLE, the code OTLP exporters retry; anything else INTERNAL.
int rpc_code(int http_status);

// The serialized google.rpc.Status of `error`; a 503 carries a RetryInfo of `retry_seconds`,
// which OTLP exporters wait before retrying.
std::string rpc_status_bytes(const ApiError& error, int retry_seconds);

}  // namespace cca::server
