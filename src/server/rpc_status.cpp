#include "server/rpc_status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace cca::server {

int rpc_code(int http_status) {
  switch (http_status) {
    case 400:
    case 413:
    case 415:
      return 3;  // INVALID_ARGUMENT
    case 401:
      return 16;  // UNAUTHENTICATED
    case 403:
      return 7;  // PERMISSION_DENIED
    case 404:
      return 5;  // NOT_FOUND
    case 405:
      return 12;  // UNIMPLEMENTED
    case 429:
      return 8;  // RESOURCE_EXHAUSTED
    case 503:
      return 14;  // UNAVAILABLE
    default:
      return 13;  // INTERNAL
  }
}

std::string rpc_status_bytes(const ApiError& error, int retry_seconds) {
  google::rpc::Status status;
  status.set_code(rpc_code(error.status()));
  status.set_message(error.what());
  if (error.status() == 503 || error.retry_after_s() > 0) {
    google::rpc::RetryInfo retry;
    retry.mutable_retry_delay()->set_seconds(error.retry_after_s() > 0 ? error.retry_after_s()
                                                                       : retry_seconds);
    status.add_details()->PackFrom(retry);
  }
  return status.SerializeAsString();
}

}  // namespace cca::server
