// GET /api/v1/stream: updates after an ingest, Last-Event-ID, keep-alive comments, the bound on
// open streams and streams ending when the server stops.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/time_util.h"
#include "engine/temp_store.h"
#include "server/running_server.h"
#include "server/telemetry_text.h"

namespace cca::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const int64_t kStart = days_from_civil(2026, 3, 2) * kMsPerDay;
// Generous: the stream promises a second; a loaded CI machine may take longer.
constexpr auto kPatience = 20s;

// One block of the stream (lines up to a blank line), fields as the SSE format defines them.
struct Block {
  std::optional<std::string> id, event, data, retry;
  bool comment = false;
};

std::vector<Block> parse_blocks(const std::string& text) {
  std::vector<Block> blocks;
  size_t at = 0;
  while (true) {
    const size_t end = text.find("\n\n", at);
    if (end == std::string::npos) break;
    Block block;
    size_t line_at = at;
    while (line_at < end) {
      const size_t line_end = std::min(text.find('\n', line_at), end);
      const std::string line = text.substr(line_at, line_end - line_at);
      line_at = line_end + 1;
      if (line.starts_with(":")) {
        block.comment = true;
        continue;
      }
      const size_t colon = line.find(": ");
      const std::string field = line.substr(0, colon);
      const std::string value = colon == std::string::npos ? "" : line.substr(colon + 2);
      if (field == "id") block.id = value;
      if (field == "event") block.event = value;
      if (field == "data") block.data = value;
      if (field == "retry") block.retry = value;
    }
    blocks.push_back(block);
    at = end + 2;
  }
  return blocks;
}

std::vector<Block> updates(const std::vector<Block>& blocks) {
  std::vector<Block> out;
  for (const Block& block : blocks)
    if (block.event == "update") out.push_back(block);
  return out;
}

// Reads GET /api/v1/stream on its own thread until destroyed or the server ends the stream.
class StreamReader {
 public:
  StreamReader(int port, httplib::Headers headers = {}) : client_("127.0.0.1", port) {
    client_.set_read_timeout(60, 0);
    thread_ = std::thread([this, headers] {
      client_.Get(
          "/api/v1/stream", headers,
          [this](const httplib::Response& response) {
            std::lock_guard lock(mutex_);
            status_ = response.status;
            content_type_ = response.get_header_value("Content-Type");
            changed_.notify_all();
            return true;
          },
          [this](const char* data, size_t length) {
            std::lock_guard lock(mutex_);
            text_.append(data, length);
            changed_.notify_all();
            return !closing_.load();
          });
      std::lock_guard lock(mutex_);
      finished_ = true;
      changed_.notify_all();
    });
  }
  ~StreamReader() {
    closing_ = true;
    client_.stop();
    thread_.join();
  }

  // Waits until the blocks read so far satisfy the predicate; false after kPatience.
  bool wait_for(const std::function<bool(const std::vector<Block>&)>& done) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kPatience, [&] { return done(parse_blocks(text_)); });
  }
  bool wait_finished() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kPatience, [&] { return finished_; });
  }
  // The response's status, once its headers have arrived (0 after kPatience without them).
  int wait_status() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, kPatience, [&] { return status_ != 0 || finished_; });
    return status_;
  }
  std::vector<Block> blocks() {
    std::lock_guard lock(mutex_);
    return parse_blocks(text_);
  }
  int status() {
    std::lock_guard lock(mutex_);
    return status_;
  }
  std::string content_type() {
    std::lock_guard lock(mutex_);
    return content_type_;
  }

 private:
  httplib::Client client_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string text_, content_type_;
  int status_ = 0;
  bool finished_ = false;
  std::atomic<bool> closing_{false};
  std::thread thread_;
};

uint64_t ingest(httplib::Client& client, uint64_t seed) {
  const auto events = testing::telemetry_events(seed, 3, kStart);
  std::string body;
  for (const auto& event : events) body += testing::cloudwatch_line({event}) + "\n";
  const auto response = client.Post("/api/v1/ingest", body, "application/x-ndjson");
  EXPECT_TRUE(response);
  if (response) {
    EXPECT_EQ(200, response->status) << response->body;
  }
  return events.size();
}

uint64_t data_version(httplib::Client& client) {
  const auto response = client.Get("/health");
  return json::parse(response->body)["data_version"].get<uint64_t>();
}

bool has_id(const std::vector<Block>& blocks) {
  return !blocks.empty() && blocks.front().id.has_value();
}

TEST(StreamTest, AnIngestWhileOpenSendsAnUpdateWithALargerId) {
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  StreamReader reader(server.port());
  // The stream opens with the current version as its id and no event.
  ASSERT_TRUE(reader.wait_for(has_id));
  EXPECT_EQ(200, reader.status());
  EXPECT_EQ("text/event-stream", reader.content_type());
  const Block opening = reader.blocks().front();
  EXPECT_FALSE(opening.event.has_value());
  EXPECT_TRUE(opening.retry.has_value());
  const uint64_t before = std::stoull(*opening.id);
  EXPECT_EQ(data_version(*client), before);

  const uint64_t sent = ingest(*client, 7);
  ASSERT_TRUE(
      reader.wait_for([](const std::vector<Block>& blocks) { return !updates(blocks).empty(); }));
  const Block update = updates(reader.blocks()).back();
  ASSERT_TRUE(update.id && update.data);
  const uint64_t id = std::stoull(*update.id);
  EXPECT_GT(id, before);
  const json data = json::parse(*update.data);
  EXPECT_EQ(id, data["data_version"].get<uint64_t>());
  // The store was empty: the update counts exactly what was sent.
  ASSERT_TRUE(reader.wait_for([&](const std::vector<Block>& blocks) {
    return json::parse(*updates(blocks).back().data)["events"].get<uint64_t>() == sent;
  }));
  EXPECT_EQ(data_version(*client), std::stoull(*updates(reader.blocks()).back().id));
}

TEST(StreamTest, LastEventIdOlderThanTheDataGetsAnUpdateAtOnce) {
  testing::TempStore store;
  auto options = testing::test_options(store.path());
  options.stream_keep_alive_ms = 50;
  testing::RunningServer server(options);
  auto client = server.client();
  const uint64_t sent = ingest(*client, 3);
  const uint64_t current = data_version(*client);
  ASSERT_GT(current, 0u);

  for (const std::string& old : {std::to_string(current - 1), std::string("not-a-version")}) {
    StreamReader reader(server.port(), {{"Last-Event-ID", old}});
    ASSERT_TRUE(reader.wait_for([](const std::vector<Block>& blocks) {
      return !updates(blocks).empty();
    })) << old;
    const Block update = updates(reader.blocks()).front();
    EXPECT_EQ(std::to_string(current), update.id) << old;
    EXPECT_EQ(sent, json::parse(*update.data)["events"].get<uint64_t>());
  }

  // A client that has seen the current version gets keep-alives only, until the data changes.
  StreamReader current_reader(server.port(), {{"Last-Event-ID", std::to_string(current)}});
  ASSERT_TRUE(current_reader.wait_for([](const std::vector<Block>& blocks) {
    int comments = 0;
    for (const Block& block : blocks) comments += block.comment;
    return comments >= 2;
  }));
  EXPECT_TRUE(updates(current_reader.blocks()).empty());
  for (const Block& block : current_reader.blocks()) EXPECT_FALSE(block.id.has_value());
  ingest(*client, 4);
  ASSERT_TRUE(current_reader.wait_for(
      [](const std::vector<Block>& blocks) { return !updates(blocks).empty(); }));
  EXPECT_GT(std::stoull(*updates(current_reader.blocks()).front().id), current);
}

TEST(StreamTest, QuietStreamsSendKeepAliveComments) {
  testing::TempStore store;
  auto options = testing::test_options(store.path());
  options.stream_keep_alive_ms = 50;
  testing::RunningServer server(options);
  StreamReader reader(server.port());
  ASSERT_TRUE(reader.wait_for([](const std::vector<Block>& blocks) {
    int comments = 0;
    for (const Block& block : blocks) comments += block.comment;
    return comments >= 3;
  }));
  EXPECT_TRUE(updates(reader.blocks()).empty());
}

TEST(StreamTest, StreamsBeyondTheBoundAre503AndTheApiStillAnswers) {
  testing::TempStore store;
  auto options = testing::test_options(store.path());
  options.max_streams = 2;
  options.stream_keep_alive_ms = 50;
  testing::RunningServer server(options);
  auto first = std::make_unique<StreamReader>(server.port());
  StreamReader second(server.port());
  ASSERT_TRUE(first->wait_for(has_id));
  ASSERT_TRUE(second.wait_for(has_id));

  auto client = server.client();
  const auto refused = client->Get("/api/v1/stream");
  ASSERT_TRUE(refused);
  EXPECT_EQ(503, refused->status);
  EXPECT_EQ("too_many_streams", json::parse(refused->body)["error"]["code"]);
  EXPECT_EQ(200, client->Get("/health")->status);
  EXPECT_EQ(200, client->Get("/api/v1/summary")->status);

  // A closed stream frees its slot once the server notices, at its next write at the latest.
  first.reset();
  bool admitted = false;
  for (auto deadline = std::chrono::steady_clock::now() + kPatience;
       !admitted && std::chrono::steady_clock::now() < deadline;) {
    StreamReader third(server.port());
    admitted = third.wait_status() == 200 && third.wait_for(has_id);
    if (!admitted) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(admitted);
}

TEST(StreamTest, StoppingTheServerEndsOpenStreams) {
  testing::TempStore store;
  auto options = testing::test_options(store.path());
  options.stream_keep_alive_ms = 3'600'000;  // only stop() can end the wait
  auto server = std::make_unique<testing::RunningServer>(options);
  StreamReader reader(server->port());
  ASSERT_TRUE(reader.wait_for(has_id));
  server.reset();
  EXPECT_TRUE(reader.wait_finished());
}

}  // namespace
}  // namespace cca::server
