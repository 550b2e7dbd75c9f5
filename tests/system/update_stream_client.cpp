#include "system/update_stream_client.h"

namespace cca::system_test {

UpdateStreamClient::UpdateStreamClient(const ServerProcess& server) : client_(server.client()) {
  client_->set_read_timeout(3600, 0);  // a quiet stream sends a comment every 15 s
  thread_ = std::thread([this] {
    int status = 0;
    const auto result = client_->Get(
        "/api/v1/stream",
        [&](const httplib::Response& response) {
          status = response.status;
          return true;
        },
        [&](const char* data, size_t length) {
          take(data, length);
          return true;
        });
    if (!ending_.load())
      problem_ = "the stream ended while the server ran (HTTP " + std::to_string(status) + ", " +
                 httplib::to_string(result.error()) + ")";
    else if (status != 200)
      problem_ = "the stream answered HTTP " + std::to_string(status);
  });
}

UpdateStreamClient::~UpdateStreamClient() {
  if (thread_.joinable()) {
    ending_.store(true);
    client_->stop();
    thread_.join();
  }
}

void UpdateStreamClient::take(const char* data, size_t length) {
  pending_.append(data, length);
  size_t start = 0;
  for (size_t end; (end = pending_.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string_view line = std::string_view(pending_).substr(start, end - start);
    if (line.starts_with("id: ")) last_version_.store(std::stoll(std::string(line.substr(4))));
    if (line == "event: update") ++updates_;
  }
  pending_.erase(0, start);
}

std::string UpdateStreamClient::finish() {
  thread_.join();
  return problem_;
}

}  // namespace cca::system_test
