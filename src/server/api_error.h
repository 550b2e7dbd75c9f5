#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace cca::server {

// A request the API refuses: answered with `status` and {"error": {"code", "message"}}.
class ApiError : public std::runtime_error {
 public:
  // retry_after_s: when positive, the answer's Retry-After header.
  ApiError(int status, std::string code, const std::string& message, int retry_after_s = 0)
      : std::runtime_error(message),
        status_(status),
        code_(std::move(code)),
        retry_after_s_(retry_after_s) {}

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  int retry_after_s() const { return retry_after_s_; }

 private:
  int status_;
  std::string code_;
  int retry_after_s_;
};

// {"error": {"code": ..., "message": ...}}
std::string error_body(std::string_view code, std::string_view message);

}  // namespace cca::server
