#pragma once

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "system/server_process.h"

namespace cca::system_test {

// A client of GET /api/v1/stream (Server-Sent Events) on a thread of its own: it keeps the newest
// data version it was told (the stream's `id:` lines) and whether the stream ended before the
// server was stopped.
class UpdateStreamClient {
 public:
  explicit UpdateStreamClient(const ServerProcess& server);
  ~UpdateStreamClient();

  int64_t last_version() const { return last_version_.load(); }
  uint64_t updates() const { return updates_.load(); }
  // Call before stopping the server, so that the stream's end is expected.
  void expect_end() { ending_.store(true); }
  // Waits for the stream to end; returns "" when it ended as expected, else why it did not.
  std::string finish();

 private:
  void take(const char* data, size_t length);

  std::unique_ptr<httplib::Client> client_;
  std::string pending_;
  std::atomic<int64_t> last_version_{-1};
  std::atomic<uint64_t> updates_{0};
  std::atomic<bool> ending_{false};
  std::string problem_;
  std::thread thread_;
};

}  // namespace cca::system_test
