#pragma once

#include <memory>
#include <string>

#include "server/ingest_endpoints.h"

namespace grpc {
class Server;
}

namespace cca::server {

// OTLP/gRPC: opentelemetry.proto.collector.logs.v1.LogsService/Export and
// opentelemetry.proto.collector.metrics.v1.MetricsService/Export on their own port, into the same
// ingest paths, token and in-flight bound as POST /v1/logs and POST /v1/metrics. Requests
// compressed with grpc-encoding gzip are inflated by gRPC; their inflated size is bounded like an
// HTTP body. Status codes: INVALID_ARGUMENT for a malformed request, UNAUTHENTICATED without the
// token, UNAVAILABLE with RetryInfo when the in-flight bound is reached (the code OTLP exporters
// retry).
class OtlpGrpcServer {
 public:
  // max_message_bytes: the largest request accepted, inflated. Exports run on the ingest
  // endpoints' export workers, which finish the calls: gRPC's threads never block on the store.
  // certificate_pem, private_key_pem: serve TLS with them; both empty for plaintext.
  OtlpGrpcServer(IngestEndpoints& ingest, size_t max_message_bytes, std::string certificate_pem,
                 std::string private_key_pem);
  ~OtlpGrpcServer();
  OtlpGrpcServer(const OtlpGrpcServer&) = delete;
  OtlpGrpcServer& operator=(const OtlpGrpcServer&) = delete;

  // Listens on host:port (0: a port the system picks) and serves on gRPC's threads; returns
  // the port. Throws std::runtime_error naming the address when it cannot listen there.
  int start(const std::string& host, int port);
  // Finishes the exports in flight, then stops listening.
  void stop();

 private:
  class LogsService;
  class MetricsService;

  size_t max_message_bytes_;
  std::string certificate_pem_;
  std::string private_key_pem_;
  std::unique_ptr<LogsService> logs_service_;
  std::unique_ptr<MetricsService> metrics_service_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace cca::server
