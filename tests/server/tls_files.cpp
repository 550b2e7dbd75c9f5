#include "server/tls_files.h"

#include <cstdlib>
#include <stdexcept>

namespace cca::testing {

TlsFiles make_self_signed_certificate(const std::string& folder) {
  TlsFiles files{folder + "/cert.pem", folder + "/key.pem"};
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '" +
      files.key_path + "' -out '" + files.certificate_path + "' 2>/dev/null";
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("openssl could not make a test certificate");
  return files;
}

}  // namespace cca::testing
