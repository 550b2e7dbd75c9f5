#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

namespace cca::server {

// GET /api/v1/stream: Server-Sent Events telling dashboards that a new snapshot is visible.
// Each open stream holds one of the server's pool threads while it waits, so their number is
// bounded and stop() ends them all at once.
class UpdateStream {
 public:
  UpdateStream(int max_streams, std::chrono::milliseconds keep_alive);

  // Records the data version now visible; streams whose client has not seen it send an update.
  void publish(uint64_t version, uint64_t events);
  // Ends every open stream promptly and refuses new ones.
  void stop();
  // Makes the response a stream when a slot is free; false when max_streams are open (or the
  // server is stopping). An empty last_event_id means a client that has seen nothing yet.
  bool open(const std::string& last_event_id, httplib::Response& response);

  int open_streams() const;

 private:
  struct Connection;
  bool next_message(Connection& connection, httplib::DataSink& sink, std::string& out);

  const int max_streams_;
  const std::chrono::milliseconds keep_alive_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t version_ = 0;
  uint64_t events_ = 0;
  int open_ = 0;
  bool stopping_ = false;
};

}  // namespace cca::server
