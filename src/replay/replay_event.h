#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cca::replay {

// One attribute as the CloudWatch message carried it: a string, or a JSON scalar kept as its text.
struct SourceAttribute {
  std::string key;
  std::string text;
  enum class Kind { kString, kInt, kDouble, kBool } kind = Kind::kString;
};

// A resource or scope, shared by the events that carry the same one.
struct SharedAttributes {
  std::string identity;  // its JSON text, to group records of the same resource in a request
  std::vector<SourceAttribute> attributes;
};

struct ReplayEvent {
  int64_t time_ms = 0;
  std::string session;
  std::string body;
  std::shared_ptr<const SharedAttributes> resource;
  std::string scope_name;
  std::string scope_version;
  std::vector<SourceAttribute> attributes;
};

}  // namespace cca::replay
