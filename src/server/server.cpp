#include "server/server.h"

#include <openssl/crypto.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "clickhouse/clickhouse_analytics.h"
#include "clickhouse/clickhouse_ingestor.h"
#include "clickhouse/quality_reader.h"
#include "common/clock.h"
#include "common/time_util.h"
#include "server/analytics_endpoints.h"
#include "server/api_error.h"
#include "server/background_priority.h"
#include "server/budgets.h"
#include "server/dashboard.h"
#include "server/insight_endpoints.h"
#include "server/json_writer.h"
#include "server/openapi.h"
#include "server/otlp_http.h"
#include "server/query_params.h"
#include "server/report.h"
#include "server/request_values.h"

#ifndef CCANALYTICS_VERSION
#define CCANALYTICS_VERSION "dev"
#endif

namespace cca::server {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr size_t kCacheBytes = size_t{16} << 20;

bool is_api_path(std::string_view path) {
  return path.substr(0, 5) == "/api/" || path == "/api" || path.substr(0, 4) == "/v1/" ||
         path == "/health" || path == "/metrics";
}

// Decoded paths reach only an in-memory table, but a path that tries to climb out of its folder
// is refused outright rather than looked up.
void check_path(std::string_view path) {
  const bool climbs = path == ".." || path.find("/../") != std::string_view::npos ||
                      (path.size() >= 3 && path.substr(path.size() - 3) == "/..") ||
                      path.substr(0, 3) == "../";
  if (climbs || path.find('\\') != std::string_view::npos ||
      path.find('\0') != std::string_view::npos || !valid_utf8(path))
    throw ApiError(400, "invalid_path", "the request path is not acceptable");
}

// Large answers are written to the socket straight from the cached copy rather than copied into
// the response first: an hourly timeseries is most of a megabyte.
void send_shared(httplib::Response& response, std::shared_ptr<const CachedResponse> answer) {
  constexpr size_t kCopyBelow = 64 << 10;
  if (answer->body.size() < kCopyBelow) {
    response.set_content(answer->body, answer->content_type);
    return;
  }
  const size_t length = answer->body.size();
  const std::string content_type = answer->content_type;
  response.set_content_provider(
      length, content_type,
      [answer = std::move(answer)](size_t offset, size_t size, httplib::DataSink& sink) {
        return sink.write(answer->body.data() + offset, size);
      });
}

void send_error(httplib::Response& response, int status, std::string_view code,
                std::string_view message) {
  response.status = status;
  response.set_content(error_body(code, message), kJsonType);
}

void send_error(httplib::Response& response, const ApiError& error) {
  if (error.retry_after_s() > 0)
    response.set_header("Retry-After", std::to_string(error.retry_after_s()));
  send_error(response, error.status(), error.code(), error.what());
}

// The dashboard loads only its own files, runs no inline script and is never framed; ECharts
// sets inline styles, hence 'unsafe-inline' for styles alone.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

bool is_loopback(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

// cpp-httplib sets SO_REUSEPORT by default, with which a second server binds the same port and
// the kernel splits the connections between the two. SO_REUSEADDR alone still lets a restarted
// server take its port back from connections in TIME_WAIT, but a port another process listens on
// is refused.
void exclusive_port_socket_options(socket_t sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

std::unique_ptr<httplib::Server> make_http_server(const ServeOptions& options) {
  std::unique_ptr<httplib::Server> server;
  if (options.tls_cert_path.empty() && options.tls_key_path.empty())
    server = std::make_unique<httplib::Server>();
  else
    server = std::make_unique<httplib::SSLServer>(options.tls_cert_path.c_str(),
                                                  options.tls_key_path.c_str());
  server->set_socket_options(exclusive_port_socket_options);
  return server;
}

std::string file_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

void send_answer(httplib::Response& response, const Answer& answer) {
  response.set_content(answer.body, std::string(answer.content_type));
}

// Answers of a scoped token are cached apart from everyone else's.
std::string cache_key(const std::string& target, const std::vector<std::string>& scope) {
  std::string key = target;
  for (const std::string& practice : scope) {
    key += '\n';
    key += practice;
  }
  return key;
}

}  // namespace

RouteMatch match_route(std::string_view method, std::string_view path) {
  RouteMatch match;
  for (const RouteSpec& route : route_specs()) {
    if (route.path != path) continue;
    if (route.method == method) {
      match.route = route.id;
      match.other_method = false;
      return match;
    }
    match.other_method = true;
  }
  if (match.other_method) return match;
  // Templates such as /api/v1/budgets/{id}: one path segment after the fixed part.
  for (const RouteSpec& route : route_specs()) {
    const size_t brace = route.path.find('{');
    if (brace == std::string_view::npos || path.substr(0, brace) != route.path.substr(0, brace))
      continue;
    const std::string_view argument = path.substr(brace);
    if (argument.empty() || argument.find('/') != std::string_view::npos) continue;
    if (route.method != method) {
      match.other_method = true;
      continue;
    }
    match.route = route.id;
    match.path_argument = std::string(argument);
    match.other_method = false;
    return match;
  }
  if (!match.other_method && !is_api_path(path) && (method == "GET" || method == "HEAD"))
    match.route = RouteId::kDashboard;
  return match;
}

Server::Server(ServeOptions options)
    : options_(std::move(options)),
      max_body_bytes_(static_cast<size_t>(std::max(options_.max_body_mb, 1)) << 20),
      http_(make_http_server(options_)),
      cache_(kCacheBytes),
      updates_(std::clamp(options_.max_streams, 0, std::max(options_.threads, 2) / 2),
               std::chrono::milliseconds(std::max(options_.stream_keep_alive_ms, 10))) {
  ingest_token_ = options_.ingest_token;
  if (ingest_token_.empty()) {
    if (const char* token = std::getenv("CCANALYTICS_INGEST_TOKEN")) ingest_token_ = token;
  }

  const int threads = std::max(options_.threads, 2);
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_tcp_nodelay(true);
  // Dashboards and load generators keep connections open; the library's default closes each
  // after 5 requests.
  http_->set_keep_alive_max_count(1'000'000);
  http_->set_payload_max_length(max_body_bytes_);
  http_->Get(".*", [this](const httplib::Request& request, httplib::Response& response) {
    handle_read(request, response);
  });
  const auto write = [this](const httplib::Request& request, httplib::Response& response,
                            const httplib::ContentReader& content_reader) {
    handle_write(request, response, content_reader);
  };
  http_->Post(".*", write);
  http_->Put(".*", write);
  http_->Delete(".*", write);
  // Statuses the library sets itself (a bad request line, an oversized body, an unknown method)
  // get the API's error body too.
  http_->set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        struct Known {
          int status;
          const char* code;
          const char* message;
        };
        static constexpr Known kKnown[] = {
            {404, "not_found", "no such endpoint"},
            {405, "method_not_allowed", "the endpoint does not answer this method"},
            {413, "payload_too_large", "the body is over the server's limit (--max-body-mb)"},
            {414, "uri_too_long", "the request target is too long"},
            {415, "unsupported_media_type", "unsupported Content-Encoding"},
            {500, "internal", "the server failed to answer"},
        };
        Known known{response.status, "bad_request", "the request is malformed"};
        for (const Known& k : kKnown)
          if (k.status == response.status) known = k;
        response.set_content(error_body(known.code, known.message), kJsonType);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        send_error(response, 500, "internal", "the server failed to answer");
      });
  if (options_.access_log) {
    http_->set_logger([](const httplib::Request& request, const httplib::Response& response) {
      std::fprintf(stderr, "%s %s %d\n", request.method.c_str(), request.target.c_str(),
                   response.status);
    });
  }
}

Server::~Server() {
  stop();
  if (poller_.joinable()) poller_.join();
  join_snapshot_writer();
}

Server::PrivateStore::~PrivateStore() {
  if (path.empty()) return;
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ignored);
}

int Server::bind() {
  if (!http_->is_valid())
    throw std::runtime_error("cannot use the TLS certificate " + options_.tls_cert_path +
                             " and key " + options_.tls_key_path +
                             " (--tls-cert, --tls-key: PEM files that belong together)");
  int port = options_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.host);
    if (port < 0) throw std::runtime_error("cannot bind " + options_.host);
  } else if (!http_->bind_to_port(options_.host, port)) {
    throw std::runtime_error("cannot listen on " + options_.host + " port " + std::to_string(port) +
                             ": another process holds it, or the address is not this machine's "
                             "(--port, --host)");
  }
  return port;
}

void Server::load() {
  if (options_.db_path.empty() && options_.clickhouse_url.empty())
    throw std::runtime_error("give the store: --db PATH or --clickhouse URL");
  std::unique_ptr<ingest::IngestTarget> writer;
  std::string read_only_message;
  if (!options_.clickhouse_url.empty()) {
    if (options_.retention_days > 0 || !options_.practice_attribute.empty())
      throw std::runtime_error(
          "--retention-days and --practice-attribute apply to the embedded store, not to "
          "--clickhouse");
    if (options_.db_path.empty()) {
      // Tokens, budgets and the audit log need a store of their own; without --db they live
      // in a private one for the life of the process.
      options_.db_path = (std::filesystem::temp_directory_path() /
                          ("ccanalytics-serve-" + std::to_string(::getpid()) + ".db"))
                             .string();
      private_db_.path = options_.db_path;
    }
    store::Database control(options_.db_path);  // created when missing
    const clickhouse::ClickHouseUrl url = clickhouse::ClickHouseUrl::parse(options_.clickhouse_url);
    source_ = std::make_unique<clickhouse::ClickHouseSource>(url);
    writer = std::make_unique<clickhouse::ClickHouseIngestor>(url);
    quality_ = std::make_unique<clickhouse::ClickHouseQualityReader>(
        std::make_shared<const clickhouse::ClickHouseClient>(url));
  } else {
    if (options_.retention_days > 0) apply_retention_at_start();
    engine::EngineOptions engine_options;
    engine_options.practice_attribute = options_.practice_attribute;
    engine_options.snapshot_path = options_.snapshot_path;
    engine_options.log = [](const std::string& line) {
      std::fprintf(stderr, "ccanalytics serve: %s\n", line.c_str());
    };
    auto engine = std::make_unique<engine::Engine>(options_.db_path, std::move(engine_options));
    engine_ = engine.get();
    source_ = std::move(engine);
    writer = open_embedded_writer(options_.db_path, read_only_message);
    quality_ = std::make_unique<store::SqliteQualityReader>(options_.db_path);
    if (!options_.snapshot_path.empty()) {
      const engine::StartReport& start = engine_->start_report();
      std::fprintf(stderr,
                   "ccanalytics serve: loaded %llu events from the snapshot file and %llu from "
                   "the store in %.2f s\n",
                   static_cast<unsigned long long>(start.events_from_file),
                   static_cast<unsigned long long>(start.events_from_store), start.seconds);
      maybe_write_snapshot();
    }
  }
  const bool tls = !options_.tls_cert_path.empty();
  access_ = std::make_unique<AccessControl>(
      options_.db_path, ingest_token_, options_.metrics_public, tls, options_.max_auth_failures);
  if (!is_loopback(options_.host) && !options_.insecure) {
    if (!access_->tokens_exist() && !access_->ingest_token_set())
      throw std::runtime_error(
          "refusing to serve on " + options_.host +
          ", beyond this machine, with no token guarding the data: create one with `ccanalytics "
          "token create`, or pass --insecure to serve it open");
    if (!access_->tokens_exist())
      std::fprintf(stderr,
                   "ccanalytics serve: warning: only CCANALYTICS_INGEST_TOKEN is set, so the "
                   "ingest endpoints are guarded but anyone who reaches %s can read every figure; "
                   "create tokens with `ccanalytics token create`\n",
                   options_.host.c_str());
  }
  ingest_ = std::make_unique<IngestEndpoints>(
      std::move(writer), std::move(read_only_message), *source_, *access_,
      options_.otlp_max_in_flight, [this] { publish_update(); }, [this] { request_refresh(); });
  if (options_.otlp_grpc_port != 0) {
    otlp_grpc_ = std::make_unique<OtlpGrpcServer>(
        *ingest_, max_body_bytes_, tls ? file_text(options_.tls_cert_path) : std::string(),
        tls ? file_text(options_.tls_key_path) : std::string());
    otlp_grpc_port_ =
        otlp_grpc_->start(options_.host, options_.otlp_grpc_port < 0 ? 0 : options_.otlp_grpc_port);
  }
  if (options_.retention_days > 0) schedule_retention();
  budgets_ = std::make_unique<Budgets>(options_.db_path, *source_,
                                       std::chrono::milliseconds(options_.webhook_retry_ms));
  publish_update();
}

// A store that cannot be written (read-only, a full disk) is still served; retention is logged
// as failed and tried again at the next run.
void Server::apply_retention_at_start() {
  try {
    const store::RetentionReport report =
        store::RetentionSchedule::run_once(options_.db_path, options_.retention_days);
    std::fprintf(stderr, "ccanalytics serve: %s\n", report.summary().c_str());
  } catch (const store::StoreError& error) {
    std::fprintf(stderr, "ccanalytics serve: retention failed, to be tried again: %s\n",
                 error.what());
  }
}

void Server::schedule_retention() {
  store::RetentionSchedule::Hooks hooks;
  hooks.thread_started = [] { lower_this_threads_priority(); };
  // The engine reloads when it sees the deletion (Engine::refresh).
  hooks.deleted = [this](const store::RetentionReport&) { request_refresh(); };
  hooks.log = [](const std::string& line) {
    std::fprintf(stderr, "ccanalytics serve: %s\n", line.c_str());
  };
  retention_ = std::make_unique<store::RetentionSchedule>(
      options_.db_path, options_.retention_days, options_.retention_interval, std::move(hooks));
}

// Rewriting the file costs about a second per 10 M events (in the background, at low priority):
// worth it once a tenth of the events, and at least 50,000, would otherwise be read from the
// store at the next start.
void Server::maybe_write_snapshot() {
  if (options_.snapshot_path.empty() || !engine_) return;
  const uint64_t missing = engine_->events_not_in_snapshot_file();
  const uint64_t events = engine_->snapshot()->events;
  if (missing == 0 || missing < std::max<uint64_t>(50'000, events / 10)) return;
  std::lock_guard lock(snapshot_mutex_);
  if (snapshot_writing_.load()) return;
  if (snapshot_writer_.joinable()) snapshot_writer_.join();
  snapshot_writing_.store(true);
  snapshot_writer_ = std::thread([this] {
    lower_this_threads_priority();
    engine_->write_snapshot();
    snapshot_writing_.store(false);
  });
}

void Server::join_snapshot_writer() {
  std::lock_guard lock(snapshot_mutex_);
  if (snapshot_writer_.joinable()) snapshot_writer_.join();
}

void Server::write_snapshot_at_shutdown() {
  if (options_.snapshot_path.empty() || !engine_) return;
  join_snapshot_writer();
  if (engine_->events_not_in_snapshot_file() > 0) engine_->write_snapshot();
}

void Server::publish_update() {
  updates_.publish(source_->version(), source_->events());
  if (budgets_) budgets_->data_changed();
}

void Server::run() {
  {
    std::lock_guard lock(poll_mutex_);
    if (stopping_) return;
    listening_ = true;
  }
  poller_ = std::thread([this] { poll_store(); });
  http_->listen_after_bind();
  {
    std::lock_guard lock(poll_mutex_);
    stopping_ = true;
    listening_ = false;
  }
  poll_wake_.notify_all();
  poller_.join();
}

void Server::stop() {
  {
    std::lock_guard lock(poll_mutex_);
    stopping_ = true;
  }
  poll_wake_.notify_all();
  // Open streams hold pool threads that the library waits for when it stops.
  updates_.stop();
  // httplib ignores stop() until its accept loop runs: wait for it when run() is on its way.
  while (true) {
    {
      std::lock_guard lock(poll_mutex_);
      if (!listening_ || http_->is_running()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  http_->stop();
  if (otlp_grpc_) otlp_grpc_->stop();
}

void Server::request_refresh() {
  {
    std::lock_guard lock(poll_mutex_);
    refresh_requested_ = true;
  }
  poll_wake_.notify_all();
}

// Refreshes when an OTLP export asks, else every --poll-ms for other processes' rows. Refreshes
// start at most every kLiveRefreshInterval: under a fleet's load one refresh takes in the exports
// of that interval, a quiet server makes an export visible at once.
void Server::poll_store() {
  constexpr auto kLiveRefreshInterval = std::chrono::milliseconds(250);
  lower_this_threads_priority();
  std::unique_lock lock(poll_mutex_);
  while (!stopping_) {
    poll_wake_.wait_for(lock, std::chrono::milliseconds(std::max(options_.poll_ms, 10)),
                        [&] { return stopping_ || refresh_requested_; });
    if (stopping_) break;
    refresh_requested_ = false;
    const auto started = Clock::now();
    lock.unlock();
    // Read before the refresh: every export counted here committed before the store is read.
    const uint64_t exports = ingest_->exports_committed();
    try {
      access_->reload();
      if (source_->refresh()) {
        publish_update();
        maybe_write_snapshot();
      }
      ingest_->mark_visible(exports);
    } catch (const std::exception& error) {
      std::fprintf(stderr, "ccanalytics serve: reading the store failed: %s\n", error.what());
    }
    lock.lock();
    poll_wake_.wait_until(lock, started + kLiveRefreshInterval, [&] { return stopping_; });
  }
}

void Server::handle_read(const httplib::Request& request, httplib::Response& response) {
  const auto started = Clock::now();
  const RouteMatch match = match_route("GET", request.path);
  bool cache_hit = false;
  try {
    check_path(request.path);
    if (match.other_method)
      throw ApiError(405, "method_not_allowed", request.path + " does not answer GET");
    cache_hit = answer_get(match, request, response);
  } catch (const ApiError& error) {
    send_error(response, error);
  } catch (const store::StoreError& error) {
    send_error(response, 503, "store_unavailable", error.what());
  } catch (const clickhouse::ClickHouseError& error) {
    send_error(response, 503, "store_unavailable", error.what());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "ccanalytics serve: %s %s failed: %s\n", request.method.c_str(),
                 request.target.c_str(), error.what());
    send_error(response, 500, "internal", "the server failed to answer");
  }
  finish(match.route, request, response, started, cache_hit);
}

bool Server::answer_get(const RouteMatch& match, const httplib::Request& request,
                        httplib::Response& response) {
  switch (match.route) {
    case RouteId::kUnknown:
      throw ApiError(404, "not_found", "no such endpoint: " + request.path);
    case RouteId::kDashboard:
      serve_dashboard(request, response);
      return false;
    default:
      break;
  }
  const RouteSpec& spec = route_spec(match.route);
  const Caller caller = caller_of(request);
  access_->authorize(spec.access, caller);
  std::vector<std::string> scope;
  if (caller.principal && spec.access == Access::kRead) scope = caller.principal->practices;
  if (spec.cached) {
    // Only answers that succeeded are cached, so a hit needs no validation.
    const std::string key = cache_key(request.target, scope);
    // The version before the answer: an answer computed while data arrives is cached under the
    // older version, which the next look-up no longer asks for.
    const uint64_t version = source_->version();
    if (auto hit = cache_.find(key, version)) {
      send_shared(response, std::move(hit));
      return true;
    }
    const QueryParams params(request, spec, std::move(scope));
    const std::shared_ptr<const engine::Analytics> analytics = source_->analytics();
    Answer answer = answer_read_only(match.route, *analytics, params, match.path_argument);
    std::shared_ptr<const CachedResponse> cached = std::make_shared<CachedResponse>(
        CachedResponse{std::move(answer.body), std::string(answer.content_type)});
    cache_.store(key, version, cached);
    send_shared(response, std::move(cached));
    return false;
  }
  const QueryParams params(request, spec, std::move(scope));
  switch (match.route) {
    case RouteId::kSessionState:
      response.set_content(session_json(caller.principal), kJsonType);
      break;
    case RouteId::kAudit:
      response.set_content(audit_json(params), kJsonType);
      break;
    case RouteId::kHealth:
      response.set_content(health_json(), kJsonType);
      break;
    case RouteId::kMetrics:
      response.set_content(metrics_text(), "text/plain; version=0.0.4; charset=utf-8");
      break;
    case RouteId::kOpenApi:
      response.set_content(openapi_document().data(), openapi_document().size(), kJsonType);
      break;
    case RouteId::kStream:
      if (!updates_.open(request.get_header_value("Last-Event-ID"), response))
        throw ApiError(503, "too_many_streams",
                       "the server has as many open streams as it allows (--max-streams)");
      break;
    case RouteId::kQuality:
      response.set_content(quality_json(quality_->report(params.get_count("sample", 20, 0, 1000))),
                           kJsonType);
      break;
    case RouteId::kBudgets:
      send_answer(response, budgets_->list());
      break;
    case RouteId::kAlerts:
      send_answer(response, budgets_->alerts(params.get_count("limit", 100, 1, 1000),
                                             params.get_count("offset", 0, 0, 1'000'000'000)));
      break;
    case RouteId::kReport: {
      const auto format = parse_report_format(params.get_or("format", "md"));
      if (!format) invalid_param("format", "must be md, html or json");
      ReportRequest report;
      report.filter = params.filter();
      report.filter_query = report_filter_query(request.params);
      // Budgets may reach beyond a scoped viewer's practices: their reports leave them out.
      const bool sees_everything = !caller.principal || caller.principal->practices.empty();
      if (sees_everything) report.budgets_json = budgets_->budgets_json();
      report.now_ms = now_ms();
      send_answer(response, bounded_query([&] {
                    return build_report(*source_->analytics(), report, *format);
                  }));
      break;
    }
    case RouteId::kForecast:
    case RouteId::kAnomalies: {
      const std::shared_ptr<const engine::Analytics> analytics = source_->analytics();
      send_answer(response, match.route == RouteId::kForecast
                                ? answer_forecast(*analytics, params, now_ms())
                                : answer_anomalies(*analytics, params, now_ms()));
      break;
    }
    default:
      throw ApiError(405, "method_not_allowed", request.path + " does not answer GET");
  }
  return false;
}

std::string Server::read_body(const httplib::Request& request, httplib::Response& response,
                              const httplib::ContentReader& content_reader) const {
  std::string body;
  const bool has_body =
      request.has_header("Content-Length") ||
      request.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
  if (!has_body) return body;
  bool too_large = false;
  // The limit applies after decompression too: a small gzip body can expand enormously.
  const bool complete = content_reader([&](const char* data, size_t length) {
    if (body.size() + length > max_body_bytes_) {
      too_large = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  if (too_large || response.status == 413)
    throw ApiError(413, "payload_too_large",
                   "the body is over the server's limit of " +
                       std::to_string(max_body_bytes_ >> 20) + " MiB (--max-body-mb)");
  if (response.status == 415)
    throw ApiError(415, "unsupported_media_type", "unsupported Content-Encoding");
  if (!complete) throw ApiError(400, "invalid_body", "the request body could not be read");
  return body;
}

void Server::handle_write(const httplib::Request& request, httplib::Response& response,
                          const httplib::ContentReader& content_reader) {
  const auto started = Clock::now();
  const RouteMatch match = match_route(request.method, request.path);
  try {
    check_path(request.path);
    if (match.route == RouteId::kUnknown) {
      read_body(request, response, content_reader);  // keeps the connection usable
      if (match.other_method)
        throw ApiError(405, "method_not_allowed",
                       request.path + " does not answer " + request.method);
      throw ApiError(404, "not_found", "no such endpoint: " + request.path);
    }
    // Read before anything is refused, so that the connection stays usable for the next request.
    const std::string body = read_body(request, response, content_reader);
    const RouteSpec& spec = route_spec(match.route);
    const Caller caller = caller_of(request);
    access_->authorize(spec.access, caller);
    // A browser sends the session cookie with any request to this origin, whoever wrote the page
    // that makes it; only the dashboard knows the session's CSRF token.
    if (caller.principal && caller.principal->by_session && match.route != RouteId::kSignIn) {
      const std::string sent = request.get_header_value("X-CSRF-Token");
      const std::string& expected = caller.principal->csrf_token;
      if (sent.size() != expected.size() ||
          CRYPTO_memcmp(sent.data(), expected.data(), sent.size()) != 0)
        throw ApiError(403, "csrf",
                       "a change made with the dashboard's session needs its X-CSRF-Token header");
    }
    const QueryParams params(request, spec);  // none are taken
    Answer answer;
    switch (match.route) {
      case RouteId::kSignIn:
        sign_in(request, body, response);
        finish(match.route, request, response, started, false);
        return;
      case RouteId::kSignOut:
        response.set_header("Set-Cookie", access_->sign_out(caller));
        answer = {session_json(std::nullopt), kJsonType};
        break;
      case RouteId::kIngest:
        answer = ingest_->ingest_jsonl(body);
        break;
      case RouteId::kOtlpLogs: {
        const auto encoding = otlp_request_encoding(request.get_header_value("Content-Type"));
        const InFlightLimit::Slot slot = ingest_->reserve_otlp_export();
        answer = otlp_export_answer(OtlpSignal::kLogs, encoding,
                                    ingest_->otlp_logs(slot, body, encoding));
        break;
      }
      case RouteId::kOtlpMetrics: {
        const auto encoding = otlp_request_encoding(request.get_header_value("Content-Type"));
        const InFlightLimit::Slot slot = ingest_->reserve_otlp_export();
        answer = otlp_export_answer(OtlpSignal::kMetrics, encoding,
                                    ingest_->otlp_metrics(slot, body, encoding));
        break;
      }
      case RouteId::kEmployeesPut:
        answer = ingest_->put_employees(body);
        access_->record(caller.principal ? caller.principal->name : "", "employees.upload",
                        "/api/v1/employees", caller.client, answer.body);
        break;
      case RouteId::kBudgetCreate:
        answer = budgets_->create(body);
        response.status = 201;
        access_->record(caller.principal ? caller.principal->name : "", "budget.create",
                        "/api/v1/budgets", caller.client, answer.body);
        break;
      case RouteId::kBudgetUpdate:
        answer = budgets_->update(match.path_argument, body);
        access_->record(caller.principal ? caller.principal->name : "", "budget.update",
                        request.path, caller.client, answer.body);
        break;
      case RouteId::kBudgetDelete:
        budgets_->remove(match.path_argument);
        access_->record(caller.principal ? caller.principal->name : "", "budget.delete",
                        request.path, caller.client, "{}");
        response.status = 204;
        finish(match.route, request, response, started, false);
        return;
      default:
        throw ApiError(405, "method_not_allowed", request.path + " does not take a body");
    }
    if (response.status == -1) response.status = 200;
    response.set_content(answer.body, std::string(answer.content_type));
  } catch (const ApiError& error) {
    if (is_otlp_export(match.route)) {
      send_otlp_error(request, response, error);
    } else {
      send_error(response, error);
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "ccanalytics serve: %s %s failed: %s\n", request.method.c_str(),
                 request.target.c_str(), error.what());
    send_error(response, 500, "internal", "the server failed to answer");
  }
  finish(match.route, request, response, started, false);
}

void Server::finish(RouteId route, const httplib::Request& request, httplib::Response& response,
                    Clock::time_point started, bool cache_hit) {
  if (response.status == -1) response.status = 200;
  // httplib compresses text answers after the handler returns, brotli at its slowest setting when
  // a browser offers it, and would compress the dashboard's precompressed files a second time.
  // The server chooses encodings itself, so the library must not see what the client accepts.
  // (The request object is the library's own, non-const, for the duration of the exchange.)
  const_cast<httplib::Request&>(request).headers.erase("Accept-Encoding");
  response.set_header("Content-Security-Policy", kContentSecurityPolicy);
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("X-Frame-Options", "DENY");
  if (!options_.tls_cert_path.empty())
    response.set_header("Strict-Transport-Security", "max-age=31536000");
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  metrics_.record(route, response.status, seconds);
  char timing[96];
  std::snprintf(timing, sizeof timing, "app;dur=%.3f, cache;desc=%s", seconds * 1000,
                cache_hit ? "hit" : "miss");
  response.set_header("Server-Timing", timing);
}

Caller Server::caller_of(const httplib::Request& request) {
  return access_->identify({request.get_header_value("Authorization"),
                            request.get_header_value("Cookie"), request.remote_addr});
}

std::string Server::session_json(const std::optional<Principal>& principal) const {
  JsonWriter json;
  json.begin_object();
  json.key("auth_required").value(access_->tokens_exist());
  json.key("signed_in").value(principal.has_value());
  json.key("name").value(principal ? std::optional<std::string>(principal->name) : std::nullopt);
  json.key("role").value(principal ? std::optional<std::string>(store::role_name(principal->role))
                                   : std::nullopt);
  json.key("practices").begin_array();
  if (principal)
    for (const std::string& practice : principal->practices) json.value(practice);
  json.end_array();
  json.key("csrf_token")
      .value(principal && principal->by_session ? std::optional<std::string>(principal->csrf_token)
                                                : std::nullopt);
  json.end_object();
  return json.take();
}

void Server::sign_in(const httplib::Request& request, const std::string& body,
                     httplib::Response& response) {
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("token") || !parsed["token"].is_string())
    throw ApiError(400, "invalid_body", "the body must be a JSON object {\"token\": \"...\"}");
  AccessControl::SignIn signed_in =
      access_->sign_in(parsed["token"].get<std::string>(), request.remote_addr);
  response.status = 200;
  response.set_header("Set-Cookie", signed_in.set_cookie);
  response.set_content(session_json(signed_in.principal), kJsonType);
}

std::string Server::audit_json(const QueryParams& params) {
  const size_t limit = params.get_count("limit", 100, 1, 1000);
  const size_t offset = params.get_count("offset", 0, 0, 1'000'000'000);
  JsonWriter json;
  json.begin_object();
  json.key("total").value(static_cast<uint64_t>(access_->audit_count()));
  json.key("rows").begin_array();
  for (const store::AuditEntry& entry : access_->audit(limit, offset)) {
    json.begin_object();
    json.key("id").value(static_cast<uint64_t>(entry.id));
    json.key("time").value(format_rfc3339_ms(entry.time_ms));
    json.key("actor").value(entry.actor);
    json.key("action").value(entry.action);
    json.key("target").value(entry.target);
    json.key("client").value(entry.client);
    json.key("detail").raw(entry.detail_json);
    json.end_object();
  }
  json.end_array().end_object();
  return json.take();
}

std::string Server::health_json() const {
  JsonWriter json;
  json.begin_object();
  json.key("status").value("ok");
  json.key("events").value(source_->events());
  json.key("version").value(CCANALYTICS_VERSION);
  json.key("data_version").value(source_->version());
  json.key("store").value(engine_ ? "embedded" : "clickhouse");
  json.key("refresh_pending").value(ingest_->refresh_pending());
  json.end_object();
  return json.take();
}

std::string Server::metrics_text() {
  std::string out;
  metrics_.render(out);
  render_store_metrics(out, quality_->totals(), quality_->size_on_disk_bytes());
  const auto snapshot = engine_ ? engine_->snapshot() : nullptr;
  char text[1024];
  std::snprintf(
      text, sizeof text,
      "# HELP ccanalytics_events_loaded Events in the engine's current snapshot.\n"
      "# TYPE ccanalytics_events_loaded gauge\n"
      "ccanalytics_events_loaded %llu\n"
      "# HELP ccanalytics_data_version Snapshot version; it grows with every change loaded.\n"
      "# TYPE ccanalytics_data_version gauge\n"
      "ccanalytics_data_version %llu\n"
      "# HELP ccanalytics_segments Time-ordered column segments in the snapshot.\n"
      "# TYPE ccanalytics_segments gauge\n"
      "ccanalytics_segments %zu\n"
      "# HELP ccanalytics_cache_hits_total Answers served from the answer cache.\n"
      "# TYPE ccanalytics_cache_hits_total counter\n"
      "ccanalytics_cache_hits_total %llu\n"
      "# HELP ccanalytics_cache_misses_total Answers computed.\n"
      "# TYPE ccanalytics_cache_misses_total counter\n"
      "ccanalytics_cache_misses_total %llu\n",
      static_cast<unsigned long long>(source_->events()),
      static_cast<unsigned long long>(source_->version()), snapshot ? snapshot->segments.size() : 0,
      static_cast<unsigned long long>(cache_.hits()),
      static_cast<unsigned long long>(cache_.misses()));
  out += text;
  size_t cells[engine::kCellIndexes] = {};
  for (const auto& segment : snapshot->segments)
    for (int index = 0; index < engine::kCellIndexes; ++index)
      cells[index] += segment->cells[index].size();
  std::snprintf(text, sizeof text,
                "# HELP ccanalytics_cells Hourly pre-aggregated cells, by index.\n"
                "# TYPE ccanalytics_cells gauge\n"
                "ccanalytics_cells{index=\"all\"} %zu\n"
                "ccanalytics_cells{index=\"model\"} %zu\n"
                "ccanalytics_cells{index=\"tool\"} %zu\n",
                cells[0], cells[1], cells[2]);
  out += text;
  std::snprintf(text, sizeof text,
                "# HELP ccanalytics_otlp_exports_in_flight OTLP exports being ingested now.\n"
                "# TYPE ccanalytics_otlp_exports_in_flight gauge\n"
                "ccanalytics_otlp_exports_in_flight %d\n",
                ingest_->otlp_in_flight());
  out += text;
  return out;
}

}  // namespace cca::server
