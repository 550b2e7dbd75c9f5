#include "system/kill_round.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace cca::system_test {

std::vector<size_t> round_order(const std::vector<std::vector<std::string>>& tags_of_request,
                                const DeliveryLedger& ledger, std::mt19937_64& random) {
  std::vector<size_t> order;
  std::bernoulli_distribution again(0.1);
  for (size_t i = 0; i < tags_of_request.size(); ++i) {
    const auto& tags = tags_of_request[i];
    const bool done = std::all_of(tags.begin(), tags.end(), [&](const std::string& tag) {
      return ledger.is_acknowledged(tag);
    });
    if (!done || again(random)) order.push_back(i);
  }
  std::shuffle(order.begin(), order.end(), random);
  return order;
}

size_t run_round(const KillRound& round, const std::function<DeliverOnce()>& make_client,
                 const std::vector<std::vector<std::string>>& tags_of_request,
                 DeliveryLedger& ledger, ServerProcess& server, std::mt19937_64& random) {
  std::atomic<size_t> next{0}, acknowledged{0};
  std::atomic<bool> killing{false};
  std::atomic<int> working{round.clients};
  std::mutex errors_mutex;
  std::vector<std::string> errors;

  std::vector<std::thread> threads;
  for (int c = 0; c < round.clients; ++c)
    threads.emplace_back([&, deliver = make_client()] {
      struct Done {
        std::atomic<int>& working;
        ~Done() { --working; }
      } done{working};
      for (size_t slot; (slot = next.fetch_add(1)) < round.order.size();) {
        const size_t index = round.order[slot];
        for (int attempt = 0;; ++attempt) {
          std::string error;
          const Delivery outcome = deliver(index, error);
          if (outcome == Delivery::kAcknowledged) {
            ledger.acknowledged(tags_of_request[index]);
            ++acknowledged;
            break;
          }
          if (killing.load() && outcome != Delivery::kRefused) {
            // Sent to a server that is being killed: it may or may not have the data.
            ledger.unanswered(tags_of_request[index]);
            return;
          }
          if (outcome == Delivery::kBackpressure && attempt < 600) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
          }
          ledger.unanswered(tags_of_request[index]);
          std::lock_guard lock(errors_mutex);
          errors.push_back("request " + std::to_string(index) + ": " + error);
          return;
        }
      }
    });

  if (round.kill_after > 0) {
    while (acknowledged.load() < round.kill_after && working.load() > 0 && server.running())
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    std::uniform_int_distribution<int> delay_us(0, 20'000);
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
    killing.store(true);  // before the kill, so that the threads take a lost answer for one
    server.kill_now();
  }
  for (auto& thread : threads) thread.join();
  for (const std::string& error : errors) ADD_FAILURE() << error;
  return acknowledged.load();
}

}  // namespace cca::system_test
