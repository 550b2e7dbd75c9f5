#pragma once

#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "system/store_census.h"

namespace cca::system_test {

// What a client knows of its deliveries, by event identity: which events were in a request the
// server acknowledged (2xx), and which were in a request that was sent but never answered (in
// flight when the server was killed). Thread-safe.
class DeliveryLedger {
 public:
  void acknowledged(const std::vector<std::string>& tags);
  void unanswered(const std::vector<std::string>& tags);
  bool is_acknowledged(const std::string& tag) const;
  size_t acknowledged_count() const;

  // The store after a kill against what was delivered: sound (integrity_check), every event
  // counted once, every acknowledged event there (those the rules accept: `storable`, the events
  // a clean ingest of the same data stores), and nothing there that was not acknowledged or in
  // flight, so the total lies between the acknowledged events and those plus the ones in flight.
  void expect_consistent(const StoreCensus& census, const std::unordered_set<std::string>& storable,
                         const std::string& what) const;

 private:
  mutable std::mutex mutex_;
  std::unordered_set<std::string> acknowledged_;
  std::unordered_set<std::string> unanswered_;
};

}  // namespace cca::system_test
