#pragma once

#include <opentelemetry/proto/collector/logs/v1/logs_service.pb.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "replay/replay_options.h"

namespace cca::replay {

// What became of one export request after its retries.
struct SendOutcome {
  bool delivered = false;
  uint64_t rejected = 0;  // items the server answered as rejected (partialSuccess)
  uint64_t retries = 0;
  std::string error;  // why it was given up, when not delivered
};

// Sends OTLP export requests to one endpoint over one connection (one per exporter thread).
// Retries while the server sheds load (HTTP 429, 502, 503, 504; gRPC UNAVAILABLE,
// RESOURCE_EXHAUSTED), after its Retry-After or RetryInfo when given, else after a growing pause;
// also retries when the connection fails. Gives up after options.max_attempts attempts.
class OtlpSender {
 public:
  virtual ~OtlpSender() = default;
  virtual SendOutcome export_logs(
      const opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest& request) = 0;
  // `json`: an OTLP/JSON ExportMetricsServiceRequest, re-encoded for the protocol.
  virtual SendOutcome export_metrics(const std::string& json) = 0;
};

std::unique_ptr<OtlpSender> make_sender(const ReplayOptions& options);

}  // namespace cca::replay
