#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace cca::server {

// A request the API refuses: answered with `status` and {"error": {"code", "message"}}.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}

  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

// {"error": {"code": ..., "message": ...}}
std::string error_body(std::string_view code, std::string_view message);

}  // namespace cca::server
