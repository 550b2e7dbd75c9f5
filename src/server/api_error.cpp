#include "server/api_error.h"

#include "server/json_writer.h"

namespace cca::server {

std::string error_body(std::string_view code, std::string_view message) {
  JsonWriter json;
  json.begin_object().key("error").begin_object();
  json.key("code").value(code).key("message").value(message);
  json.end_object().end_object();
  return json.take();
}

}  // namespace cca::server
