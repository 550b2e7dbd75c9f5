#pragma once

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "engine/engine.h"
#include "server/access_control.h"
#include "server/budgets.h"
#include "server/http_metrics.h"
#include "server/ingest_endpoints.h"
#include "server/otlp_grpc.h"
#include "server/response_cache.h"
#include "server/routes.h"
#include "server/serve.h"
#include "server/store_report.h"
#include "server/update_stream.h"
#include "store/retention_schedule.h"

namespace cca::server {

// Which route a method and decoded path name. Paths outside /api/, /v1/, /health and /metrics
// belong to the dashboard; detail routes set path_argument.
struct RouteMatch {
  RouteId route = RouteId::kUnknown;
  std::string path_argument;
  bool other_method = false;  // the path exists, for another method: 405
};
RouteMatch match_route(std::string_view method, std::string_view path);

// The HTTP server: routing, validation, the answer cache, errors, metrics and the store poller
// around the engine. serve() drives it from the command line; tests drive it directly.
class Server {
 public:
  explicit Server(ServeOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port (the chosen one when options.port is 0).
  // Connections made from now on wait until run() serves them. Throws std::runtime_error.
  int bind();
  // Opens the store, creating it when missing, and loads it; then serves OTLP/gRPC when its port
  // is on. Throws store::StoreError, or std::runtime_error when the gRPC port cannot be bound or
  // the server would serve beyond loopback with no token guarding it (and no --insecure).
  void load();
  // Serves until stop(). Polls the store for rows other processes commit meanwhile.
  void run();
  // Any thread: stops accepting, lets requests in flight finish, and makes run() return.
  void stop();
  // After run(): writes the snapshot file when the engine holds events it lacks (a clean
  // shutdown), after any background write in progress.
  void write_snapshot_at_shutdown();

  // Where answers come from: the engine, or ClickHouse.
  engine::AnalyticsSource& source() { return *source_; }
  // The OTLP/gRPC port being served after load(); 0 when off.
  int otlp_grpc_port() const { return otlp_grpc_port_; }
  // Whether an OTLP export that has been answered is not yet visible to queries.
  bool refresh_pending() const { return ingest_ && ingest_->refresh_pending(); }

 private:
  void handle_read(const httplib::Request& request, httplib::Response& response);
  void handle_write(const httplib::Request& request, httplib::Response& response,
                    const httplib::ContentReader& content_reader);
  // Fills the response for a GET route; returns whether the answer came from the cache.
  bool answer_get(const RouteMatch& match, const httplib::Request& request,
                  httplib::Response& response);
  Caller caller_of(const httplib::Request& request);
  // The session endpoints and the audit log.
  std::string session_json(const std::optional<Principal>& principal) const;
  void sign_in(const httplib::Request& request, const std::string& body,
               httplib::Response& response);
  std::string audit_json(const QueryParams& params);
  std::string read_body(const httplib::Request& request, httplib::Response& response,
                        const httplib::ContentReader& content_reader) const;
  void finish(RouteId route, const httplib::Request& request, httplib::Response& response,
              std::chrono::steady_clock::time_point started, bool cache_hit);
  std::string health_json() const;
  std::string metrics_text();
  void poll_store();
  // serve --retention-days: one run before the store is loaded, then the hourly schedule.
  void apply_retention_at_start();
  void schedule_retention();
  void request_refresh();
  void publish_update();
  // Starts a background write of the snapshot file when enough events are missing from it.
  void maybe_write_snapshot();
  void join_snapshot_writer();

  ServeOptions options_;
  // The temporary control store of --clickhouse without --db, removed after every member that
  // uses it is gone (members are destroyed in reverse order).
  struct PrivateStore {
    std::string path;
    ~PrivateStore();
  } private_db_;
  std::string ingest_token_;
  size_t max_body_bytes_;
  std::unique_ptr<httplib::Server> http_;  // an httplib::SSLServer under TLS
  std::unique_ptr<AccessControl> access_;
  std::unique_ptr<engine::AnalyticsSource> source_;
  engine::Engine* engine_ = nullptr;  // source_ when the store is the embedded one
  std::unique_ptr<IngestEndpoints> ingest_;
  std::unique_ptr<OtlpGrpcServer> otlp_grpc_;  // after ingest_: stopped and destroyed first
  int otlp_grpc_port_ = 0;
  std::unique_ptr<store::QualityReader> quality_;  // the ingest log and quarantine
  ResponseCache cache_;
  HttpMetrics metrics_;
  UpdateStream updates_;

  std::mutex poll_mutex_;
  std::condition_variable poll_wake_;
  bool stopping_ = false;
  bool refresh_requested_ = false;  // an OTLP export committed since the last refresh began
  bool listening_ = false;  // run() is in or about to enter the accept loop
  std::thread poller_;
  std::mutex snapshot_mutex_;
  std::thread snapshot_writer_;
  std::atomic<bool> snapshot_writing_{false};
  std::unique_ptr<Budgets> budgets_;  // after source_ and before the poller: stopped first
  // Last, so that it stops first: its runs ask the poller for refreshes.
  std::unique_ptr<store::RetentionSchedule> retention_;
};

}  // namespace cca::server
