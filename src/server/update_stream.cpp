#include "server/update_stream.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <memory>

#include "server/json_writer.h"

namespace cca::server {
namespace {

// How long a browser waits before reconnecting after the stream ends.
constexpr const char* kRetry = "retry: 2000\n";
constexpr std::chrono::milliseconds kLivenessCheck{500};

std::string update_event(uint64_t version, uint64_t events) {
  JsonWriter json;
  json.begin_object();
  json.key("data_version").value(version);
  json.key("events").value(events);
  json.end_object();
  return "id: " + std::to_string(version) + "\nevent: update\ndata: " + json.take() + "\n\n";
}

}  // namespace

struct UpdateStream::Connection {
  bool started = false;
  bool knows_version = false;  // a valid Last-Event-ID or an id sent on this stream
  uint64_t version = 0;        // the last version the client has seen
};

UpdateStream::UpdateStream(int max_streams, std::chrono::milliseconds keep_alive)
    : max_streams_(max_streams), keep_alive_(keep_alive) {}

void UpdateStream::publish(uint64_t version, uint64_t events) {
  {
    std::lock_guard lock(mutex_);
    if (version == version_) return;
    version_ = version;
    events_ = events;
  }
  changed_.notify_all();
}

void UpdateStream::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
}

int UpdateStream::open_streams() const {
  std::lock_guard lock(mutex_);
  return open_;
}

bool UpdateStream::open(const std::string& last_event_id, httplib::Response& response) {
  auto connection = std::make_shared<Connection>();
  if (!last_event_id.empty()) {
    connection->knows_version = true;
    const char* end = last_event_id.data() + last_event_id.size();
    const auto [rest, error] = std::from_chars(last_event_id.data(), end, connection->version);
    // An id that is not a version still stands for a client holding data: it gets an update.
    if (error != std::errc() || rest != end) connection->version = UINT64_MAX;
  }
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || open_ >= max_streams_) return false;
    ++open_;
  }
  response.set_header("Cache-Control", "no-cache");
  // Proxies such as nginx would otherwise hold the events back in their buffers.
  response.set_header("X-Accel-Buffering", "no");
  response.set_chunked_content_provider(
      "text/event-stream",
      [this, connection](size_t, httplib::DataSink& sink) {
        std::string out;
        if (!next_message(*connection, sink, out)) {
          sink.done();
          return true;
        }
        return sink.write(out.data(), out.size());
      },
      [this](bool) {
        std::lock_guard lock(mutex_);
        --open_;
      });
  return true;
}

// The next thing to send: the stream's preamble at once, then an update as soon as the version
// moves on, or a keep-alive comment when nothing happened for keep_alive_. False once stopping or
// once the client has gone: a closed connection is noticed within kLivenessCheck rather than at
// the next write, so that slots and threads of pages navigated away from return quickly.
bool UpdateStream::next_message(Connection& connection, httplib::DataSink& sink, std::string& out) {
  std::unique_lock lock(mutex_);
  if (stopping_) return false;
  if (!connection.started) {
    connection.started = true;
    out = kRetry;
    if (!connection.knows_version) {
      // An id without data sets the browser's Last-Event-ID without dispatching an event, so a
      // reconnect after a missed update is answered with it.
      connection.knows_version = true;
      connection.version = version_;
      out += "id: " + std::to_string(version_) + "\n";
    }
    out += "\n";
    if (connection.version == version_) return true;
  } else {
    const auto deadline = std::chrono::steady_clock::now() + keep_alive_;
    while (!stopping_ && connection.version == version_) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) {
        out = ": keep-alive\n\n";
        return true;
      }
      changed_.wait_for(
          lock, std::min<std::chrono::steady_clock::duration>(deadline - now, kLivenessCheck));
      if (stopping_ || connection.version != version_) break;
      lock.unlock();
      const bool alive = sink.is_writable();  // also false once the peer has closed
      lock.lock();
      if (!alive) return false;
    }
  }
  if (stopping_) return false;
  connection.version = version_;
  out += update_event(version_, events_);
  return true;
}

}  // namespace cca::server
