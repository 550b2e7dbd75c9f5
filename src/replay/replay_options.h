#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cca::replay {

enum class Protocol { kHttpJson, kHttpProtobuf, kGrpc };

struct ReplayOptions {
  std::vector<std::string> telemetry_files;  // CloudWatch-batch JSONL, plain or .gz
  std::vector<std::string> metrics_files;    // one OTLP/JSON ExportMetricsServiceRequest a line
  std::string endpoint = "http://127.0.0.1:8080";
  Protocol protocol = Protocol::kHttpJson;
  int exporters = 1;
  size_t batch = 512;
  double speed = 1.0;  // times real time; 0 sends as fast as the server takes it
  bool gzip = false;
  std::string token;
  int max_attempts = 20;  // per request, before it counts as failed
  // Build every logs request (files read, events batched) before the first is sent, so the
  // report times sending only; takes no pacing (speed 0), else replay() throws.
  bool preload = false;
};

struct ReplayReport {
  uint64_t records_sent = 0;      // log records the server accepted (partial rejections included)
  uint64_t records_rejected = 0;  // answered as rejected in a partialSuccess
  uint64_t records_failed = 0;    // in requests that failed for good
  uint64_t metric_requests = 0;
  uint64_t requests = 0;  // first attempts
  uint64_t retries = 0;
  uint64_t failures = 0;  // requests given up on
  double seconds = 0;

  std::string to_json() const;
};

// Parses "http/json", "http/protobuf" or "grpc"; throws std::invalid_argument otherwise.
Protocol parse_protocol(const std::string& name);

}  // namespace cca::replay
