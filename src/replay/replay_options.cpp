#include "replay/replay_options.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace cca::replay {

Protocol parse_protocol(const std::string& name) {
  if (name == "http/json") return Protocol::kHttpJson;
  if (name == "http/protobuf") return Protocol::kHttpProtobuf;
  if (name == "grpc") return Protocol::kGrpc;
  throw std::invalid_argument("unknown protocol '" + name + "' (http/json, http/protobuf or grpc)");
}

std::string ReplayReport::to_json() const {
  const nlohmann::json json = {
      {"records_sent", records_sent},
      {"records_rejected", records_rejected},
      {"records_failed", records_failed},
      {"metric_requests", metric_requests},
      {"requests", requests},
      {"retries", retries},
      {"failures", failures},
      {"seconds", seconds},
      {"events_per_second", seconds > 0 ? static_cast<double>(records_sent) / seconds : 0.0}};
  return json.dump();
}

}  // namespace cca::replay
