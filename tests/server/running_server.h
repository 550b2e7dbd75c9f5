#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include "server/server.h"

namespace cca::testing {

// A Server on 127.0.0.1 and a port of its choosing, serving on a thread until destroyed.
class RunningServer {
 public:
  explicit RunningServer(server::ServeOptions options);
  ~RunningServer();
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  int port() const { return port_; }
  // A fresh client (clients are not thread-safe; each test thread takes its own).
  std::unique_ptr<httplib::Client> client() const;
  server::Server& server() { return server_; }
  // Returns once every OTLP export the server has answered is visible to queries: exports are
  // answered when committed and made visible by the server's refresher shortly after.
  void wait_until_visible() const;

 private:
  server::Server server_;
  int port_ = 0;
  std::thread thread_;
};

// Options for a test server on a store: loopback, an ephemeral port, a quick store poll.
server::ServeOptions test_options(const std::string& db_path);

}  // namespace cca::testing
