#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "system/child_process.h"
#include "system/server_process.h"

namespace cca::system_test {

// `ccanalytics replay` processes sending one telemetry file to a server again and again until
// stopped, `slots` at a time, each with several exporters, the protocols taking turns
// (http/protobuf, grpc, http/json). After the first pass every event is a duplicate, which the
// server deduplicates: the data set stays fixed while the load goes on.
class ReplayLoop {
 public:
  struct Totals {
    uint64_t runs = 0;
    uint64_t requests = 0;
    uint64_t retries = 0;  // backpressure (503 / UNAVAILABLE) retried by the exporters
    uint64_t records = 0;  // log records the server acknowledged
    uint64_t failures = 0;
    uint64_t first_pass_done = 0;  // runs of the first round that have ended
    std::vector<std::string> errors;
  };

  ReplayLoop(const ServerProcess& server, std::string telemetry, std::string scratch, int slots,
             int exporters);
  // Kills the runs still going: a test that ends early (its server gone) does not wait for
  // exporters retrying into the void.
  ~ReplayLoop();
  // Stops starting new runs and waits for those running.
  void stop();
  Totals totals() const;

 private:
  void run_slot(int slot);

  const ServerProcess& server_;
  std::string telemetry_;
  std::string scratch_;
  int exporters_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  Totals totals_;
  std::vector<std::thread> threads_;
  std::vector<ChildProcess*> running_;  // each slot's run, null between runs (under mutex_)
};

}  // namespace cca::system_test
