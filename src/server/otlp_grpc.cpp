#include "server/otlp_grpc.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h"
#include "server/background_priority.h"
#include "server/otlp_http.h"
#include "server/rpc_status.h"

namespace cca::server {
namespace {

constexpr int kRetryAfterSeconds = 1;

grpc::Status grpc_status(const ApiError& error) {
  return grpc::Status(static_cast<grpc::StatusCode>(rpc_code(error.status())), error.what(),
                      rpc_status_bytes(error, kRetryAfterSeconds));
}

std::string bytes_of(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  bytes.reserve(buffer.Length());
  for (const grpc::Slice& slice : slices)
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  return bytes;
}

grpc::ByteBuffer buffer_of(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string authorization_of(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find("authorization");
  return found == metadata.end() ? std::string()
                                 : std::string(found->second.data(), found->second.size());
}

// "ipv4:127.0.0.1:5000" or "ipv6:[::1]:5000": the address without the port, as HTTP names it.
std::string client_of(const grpc::CallbackServerContext& context) {
  std::string peer = context.peer();
  const size_t scheme = peer.find(':');
  if (scheme != std::string::npos) peer.erase(0, scheme + 1);
  const size_t port = peer.rfind(':');
  if (port != std::string::npos) peer.erase(port);
  if (peer.size() >= 2 && peer.front() == '[' && peer.back() == ']')
    peer = peer.substr(1, peer.size() - 2);
  return peer;
}

}  // namespace

// One OTLP service's Export. Takes the request as bytes, so that it is parsed once, by the ingest
// path, and a malformed one is that path's INVALID_ARGUMENT rather than gRPC's own
// deserialization error.
template <typename RawExportService, OtlpSignal kSignal>
class RawExport : public RawExportService {
 public:
  explicit RawExport(IngestEndpoints& ingest) : ingest_(ingest) {}

  grpc::ServerUnaryReactor* Export(grpc::CallbackServerContext* context,
                                   const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override {
    // gRPC's threads serve nothing but exports: background work, like the exports themselves.
    lower_this_threads_priority();
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    try {
      ingest_.authorize(authorization_of(*context), client_of(*context));
      auto slot = std::make_shared<InFlightLimit::Slot>(ingest_.reserve_otlp_export());
      // The export blocks (on the store), which gRPC's threads must not: it finishes the call
      // from the export worker that ran it.
      ingest_.submit_otlp(
          kSignal, bytes_of(*request), ingest::OtlpEncoding::kProtobuf,
          [reactor, response, slot](const ingest::IngestReport* report,
                                    std::exception_ptr error) mutable {
            grpc::Status status;
            try {
              if (error) std::rethrow_exception(error);
              *response = buffer_of(
                  otlp_export_answer(kSignal, ingest::OtlpEncoding::kProtobuf, *report).body);
            } catch (const ApiError& failure) {
              status = grpc_status(failure);
            } catch (const std::exception& failure) {
              std::fprintf(stderr, "ccanalytics serve: OTLP/gRPC export failed: %s\n",
                           failure.what());
              status = grpc::Status(grpc::StatusCode::INTERNAL, "the server failed to ingest");
            }
            slot.reset();  // before Finish: once finished, the server may be shut down
            reactor->Finish(status);
          });
    } catch (const ApiError& error) {
      reactor->Finish(grpc_status(error));
    }
    return reactor;
  }

 private:
  IngestEndpoints& ingest_;
};

namespace logs_v1 = opentelemetry::proto::collector::logs::v1;
namespace metrics_v1 = opentelemetry::proto::collector::metrics::v1;

class OtlpGrpcServer::LogsService final
    : public RawExport<
          logs_v1::LogsService::WithRawCallbackMethod_Export<logs_v1::LogsService::Service>,
          OtlpSignal::kLogs> {
  using RawExport::RawExport;
};

class OtlpGrpcServer::MetricsService final
    : public RawExport<metrics_v1::MetricsService::WithRawCallbackMethod_Export<
                           metrics_v1::MetricsService::Service>,
                       OtlpSignal::kMetrics> {
  using RawExport::RawExport;
};

OtlpGrpcServer::OtlpGrpcServer(IngestEndpoints& ingest, size_t max_message_bytes,
                               std::string certificate_pem, std::string private_key_pem)
    : max_message_bytes_(max_message_bytes),
      certificate_pem_(std::move(certificate_pem)),
      private_key_pem_(std::move(private_key_pem)),
      logs_service_(std::make_unique<LogsService>(ingest)),
      metrics_service_(std::make_unique<MetricsService>(ingest)) {}

OtlpGrpcServer::~OtlpGrpcServer() {
  stop();
}

int OtlpGrpcServer::start(const std::string& host, int port) {
  const std::string address =
      (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  grpc::ServerBuilder builder;
  int bound_port = 0;
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (!certificate_pem_.empty()) {
    grpc::SslServerCredentialsOptions tls;
    tls.pem_key_cert_pairs.push_back({private_key_pem_, certificate_pem_});
    credentials = grpc::SslServerCredentials(tls);
  }
  builder.AddListeningPort(address, credentials, &bound_port);
  // Without this a second server on the same port would share it silently (SO_REUSEPORT).
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(static_cast<int>(
      std::min(max_message_bytes_, static_cast<size_t>(std::numeric_limits<int>::max()))));
  builder.RegisterService(logs_service_.get());
  builder.RegisterService(metrics_service_.get());
  server_ = builder.BuildAndStart();
  if (!server_ || bound_port == 0) {
    server_.reset();
    throw std::runtime_error("cannot listen for OTLP/gRPC on " + address +
                             " (--otlp-grpc-port; in use?)");
  }
  return bound_port;
}

void OtlpGrpcServer::stop() {
  if (server_) {
    server_->Shutdown();
    server_.reset();
  }
}

}  // namespace cca::server
