#include "server/running_server.h"

#include <chrono>
#include <stdexcept>

namespace cca::testing {

server::ServeOptions test_options(const std::string& db_path) {
  server::ServeOptions options;
  options.db_path = db_path;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 16;
  options.poll_ms = 100;
  options.otlp_grpc_port = 0;  // tests that serve gRPC ask for a free port
  return options;
}

RunningServer::RunningServer(server::ServeOptions options) : server_(std::move(options)) {
  port_ = server_.bind();
  server_.load();
  thread_ = std::thread([this] { server_.run(); });
}

RunningServer::~RunningServer() {
  server_.stop();
  thread_.join();
}

void RunningServer::wait_until_visible() const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (server_.refresh_pending()) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("answered OTLP exports are not visible after 30 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::unique_ptr<httplib::Client> RunningServer::client() const {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
  client->set_read_timeout(30, 0);
  client->set_write_timeout(30, 0);
  // Bodies are compared byte for byte; the server never compresses answers anyway.
  client->set_decompress(false);
  return client;
}

}  // namespace cca::testing
