#pragma once

#include <string>

namespace cca::testing {

// A self-signed certificate for localhost and 127.0.0.1, and its key, as PEM files in `folder`,
// made by the openssl command.
struct TlsFiles {
  std::string certificate_path;
  std::string key_path;
};
TlsFiles make_self_signed_certificate(const std::string& folder);

}  // namespace cca::testing
