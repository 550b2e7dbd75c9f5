#include "replay/otlp_sender.h"

#include <google/protobuf/util/json_util.h>
#include <google/rpc/error_details.pb.h>
#include <google/rpc/status.pb.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>
#include <opentelemetry/proto/collector/logs/v1/logs_service.grpc.pb.h>
#include <opentelemetry/proto/collector/metrics/v1/metrics_service.grpc.pb.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>

namespace cca::replay {
namespace {

namespace logs_v1 = opentelemetry::proto::collector::logs::v1;
namespace metrics_v1 = opentelemetry::proto::collector::metrics::v1;
using std::chrono::milliseconds;

// Doubles from 100 ms up to 5 s: long enough for a shedding server to drain, short enough
// that a replay at speed does not fall far behind.
milliseconds backoff(uint64_t attempt) {
  return milliseconds(std::min<int64_t>(100LL << std::min<uint64_t>(attempt, 6), 5000));
}

std::string gzip(const std::string& data) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: deflateInit2 failed");
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("zlib: deflate failed");
  return out;
}

void parse_json(const std::string& json, google::protobuf::Message& message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(json, &message, options).ok())
    throw std::runtime_error("not an OTLP/JSON " + message.GetTypeName());
}

std::string to_json(const google::protobuf::Message& message) {
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json).ok())
    throw std::runtime_error("cannot write " + message.GetTypeName() + " as JSON");
  return json;
}

class HttpSender final : public OtlpSender {
 public:
  explicit HttpSender(const ReplayOptions& options)
      : options_(options),
        json_(options.protocol == Protocol::kHttpJson),
        client_(options.endpoint) {
    if (!client_.is_valid()) throw std::invalid_argument("not an endpoint: " + options.endpoint);
    client_.set_keep_alive(true);
    client_.set_read_timeout(60, 0);
  }

  SendOutcome export_logs(const logs_v1::ExportLogsServiceRequest& request) override {
    logs_v1::ExportLogsServiceResponse response;
    return post("/v1/logs", json_ ? to_json(request) : request.SerializeAsString(), response, [&] {
      return static_cast<uint64_t>(response.partial_success().rejected_log_records());
    });
  }

  SendOutcome export_metrics(const std::string& json) override {
    metrics_v1::ExportMetricsServiceResponse response;
    std::string body = json;
    if (!json_) {
      metrics_v1::ExportMetricsServiceRequest request;
      parse_json(json, request);
      body = request.SerializeAsString();
    }
    return post("/v1/metrics", body, response, [&] {
      return static_cast<uint64_t>(response.partial_success().rejected_data_points());
    });
  }

 private:
  template <class Rejected>
  SendOutcome post(const char* path, const std::string& raw, google::protobuf::Message& response,
                   Rejected rejected) {
    const std::string body = options_.gzip ? gzip(raw) : raw;
    httplib::Headers headers;
    if (options_.gzip) headers.emplace("Content-Encoding", "gzip");
    if (!options_.token.empty()) headers.emplace("Authorization", "Bearer " + options_.token);
    const char* type = json_ ? "application/json" : "application/x-protobuf";
    SendOutcome outcome;
    for (int attempt = 1;; ++attempt) {
      const httplib::Result result = client_.Post(path, headers, body, type);
      milliseconds pause = backoff(outcome.retries);
      if (result && result->status == 200) {
        outcome.delivered = true;
        if (json_ ? parse_answer_json(result->body, response)
                  : response.ParseFromString(result->body))
          outcome.rejected = rejected();
        return outcome;
      }
      if (result) {
        const int status = result->status;
        if (status != 429 && status != 502 && status != 503 && status != 504) {
          outcome.error = "HTTP " + std::to_string(status) + ": " + result->body.substr(0, 300);
          return outcome;
        }
        const std::string after = result->get_header_value("Retry-After");
        if (!after.empty() && std::all_of(after.begin(), after.end(), ::isdigit))
          pause = std::chrono::seconds(std::stoll(after));
        outcome.error = "HTTP " + std::to_string(status);
      } else {
        outcome.error = "connection: " + httplib::to_string(result.error());
      }
      if (attempt >= options_.max_attempts) return outcome;
      ++outcome.retries;
      std::this_thread::sleep_for(pause);
    }
  }

  static bool parse_answer_json(const std::string& body, google::protobuf::Message& response) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    return google::protobuf::util::JsonStringToMessage(body, &response, options).ok();
  }

  const ReplayOptions& options_;
  const bool json_;
  httplib::Client client_;
};

// "http://host:port" or "host:port" as gRPC's target.
std::string grpc_target(const std::string& endpoint) {
  const size_t scheme = endpoint.find("://");
  std::string target = scheme == std::string::npos ? endpoint : endpoint.substr(scheme + 3);
  while (!target.empty() && target.back() == '/') target.pop_back();
  return target;
}

class GrpcSender final : public OtlpSender {
 public:
  explicit GrpcSender(const ReplayOptions& options)
      : options_(options),
        channel_(
            grpc::CreateChannel(grpc_target(options.endpoint), grpc::InsecureChannelCredentials())),
        logs_(logs_v1::LogsService::NewStub(channel_)),
        metrics_(metrics_v1::MetricsService::NewStub(channel_)) {}

  SendOutcome export_logs(const logs_v1::ExportLogsServiceRequest& request) override {
    logs_v1::ExportLogsServiceResponse response;
    return call(
        [&](grpc::ClientContext& context) { return logs_->Export(&context, request, &response); },
        [&] { return static_cast<uint64_t>(response.partial_success().rejected_log_records()); });
  }

  SendOutcome export_metrics(const std::string& json) override {
    metrics_v1::ExportMetricsServiceRequest request;
    parse_json(json, request);
    metrics_v1::ExportMetricsServiceResponse response;
    return call(
        [&](grpc::ClientContext& context) {
          return metrics_->Export(&context, request, &response);
        },
        [&] { return static_cast<uint64_t>(response.partial_success().rejected_data_points()); });
  }

 private:
  template <class Call, class Rejected>
  SendOutcome call(Call&& rpc, Rejected rejected) {
    SendOutcome outcome;
    for (int attempt = 1;; ++attempt) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
      if (options_.gzip) context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
      if (!options_.token.empty()) context.AddMetadata("authorization", "Bearer " + options_.token);
      const grpc::Status status = rpc(context);
      if (status.ok()) {
        outcome.delivered = true;
        outcome.rejected = rejected();
        return outcome;
      }
      outcome.error = "gRPC " + std::to_string(status.error_code()) + ": " + status.error_message();
      const bool retryable = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                             status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED ||
                             status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
      if (!retryable || attempt >= options_.max_attempts) return outcome;
      ++outcome.retries;
      std::this_thread::sleep_for(retry_delay(status).value_or(backoff(outcome.retries - 1)));
    }
  }

  // The server's google.rpc.RetryInfo, when its status carries one.
  static std::optional<milliseconds> retry_delay(const grpc::Status& status) {
    google::rpc::Status details;
    if (status.error_details().empty() || !details.ParseFromString(status.error_details()))
      return std::nullopt;
    for (const auto& any : details.details()) {
      google::rpc::RetryInfo info;
      if (any.UnpackTo(&info))
        return milliseconds(info.retry_delay().seconds() * 1000 +
                            info.retry_delay().nanos() / 1'000'000);
    }
    return std::nullopt;
  }

  const ReplayOptions& options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<logs_v1::LogsService::Stub> logs_;
  std::unique_ptr<metrics_v1::MetricsService::Stub> metrics_;
};

}  // namespace

std::unique_ptr<OtlpSender> make_sender(const ReplayOptions& options) {
  if (options.protocol == Protocol::kGrpc) return std::make_unique<GrpcSender>(options);
  return std::make_unique<HttpSender>(options);
}

}  // namespace cca::replay
