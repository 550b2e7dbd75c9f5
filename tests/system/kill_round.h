#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "system/delivery_ledger.h"
#include "system/server_process.h"

namespace cca::system_test {

// How one attempt to deliver a request ended.
enum class Delivery {
  kAcknowledged,  // 2xx: the server says it has the data
  kBackpressure,  // 503 / UNAVAILABLE while the server lives: try again shortly
  kNoAnswer,      // no answer (connection lost): the server is gone
  kRefused,       // any other answer: a failure of the test
};

// A client of one load thread: delivers request `index` once; `error` says what went wrong.
using DeliverOnce = std::function<Delivery(size_t index, std::string& error)>;

// One round of concurrent load: `clients` threads, each made by `make_client`, deliver the
// requests in `order`, retrying backpressure; the ledger learns the tags of each acknowledged
// and each unanswered request. With `kill_after` set, the server is killed (kill -9) once that
// many requests of the round are acknowledged, plus a random delay of up to 20 ms; the round
// then ends with the threads' requests in flight unanswered. Returns the acknowledged requests.
struct KillRound {
  std::vector<size_t> order;
  size_t kill_after = 0;  // 0: no kill, deliver everything
  int clients = 4;
};
size_t run_round(const KillRound& round, const std::function<DeliverOnce()>& make_client,
                 const std::vector<std::vector<std::string>>& tags_of_request,
                 DeliveryLedger& ledger, ServerProcess& server, std::mt19937_64& random);

// The requests of a round after a kill: every request not acknowledged yet, plus a random tenth
// of the acknowledged ones again (redelivery must not count twice), shuffled.
std::vector<size_t> round_order(const std::vector<std::vector<std::string>>& tags_of_request,
                                const DeliveryLedger& ledger, std::mt19937_64& random);

}  // namespace cca::system_test
