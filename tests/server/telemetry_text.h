#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cca::testing {

// A Claude Code event as the telemetry formats carry it: attributes as strings.
struct TelemetryEvent {
  std::string id;  // CloudWatch log event id
  int64_t time_ms = 0;
  std::string name;  // "api_request", ...
  std::string session_id, email;
  nlohmann::json attributes = nlohmann::json::object();  // the event's own attributes
  std::string practice;                                  // resource user.practice
};

// One CloudWatch batch line (the message is JSON inside a JSON string).
std::string cloudwatch_line(const std::vector<TelemetryEvent>& events);
// An OTLP/HTTP JSON ExportLogsServiceRequest; attribute values typed as in `attributes`
// (strings as stringValue, integers as intValue, other numbers as doubleValue).
std::string otlp_request(const std::vector<TelemetryEvent>& events);

// A small, seeded history of api_request, tool and prompt events over a few sessions.
std::vector<TelemetryEvent> telemetry_events(uint64_t seed, int sessions, int64_t start_ms);

std::string gzip(const std::string& bytes);

}  // namespace cca::testing
