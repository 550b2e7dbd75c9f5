#include "system/delivery_ledger.h"

#include <gtest/gtest.h>

namespace cca::system_test {

void DeliveryLedger::acknowledged(const std::vector<std::string>& tags) {
  std::lock_guard lock(mutex_);
  acknowledged_.insert(tags.begin(), tags.end());
}

void DeliveryLedger::unanswered(const std::vector<std::string>& tags) {
  std::lock_guard lock(mutex_);
  unanswered_.insert(tags.begin(), tags.end());
}

bool DeliveryLedger::is_acknowledged(const std::string& tag) const {
  std::lock_guard lock(mutex_);
  return acknowledged_.contains(tag);
}

size_t DeliveryLedger::acknowledged_count() const {
  std::lock_guard lock(mutex_);
  return acknowledged_.size();
}

void DeliveryLedger::expect_consistent(const StoreCensus& census,
                                       const std::unordered_set<std::string>& storable,
                                       const std::string& what) const {
  std::lock_guard lock(mutex_);
  EXPECT_EQ(census.integrity, "ok") << what;
  EXPECT_EQ(census.rows, census.distinct_identities) << what << ": an identity stored twice";

  size_t counted_twice = 0, not_sent = 0, lost = 0, acknowledged_storable = 0;
  std::string example;
  for (const auto& [tag, rows] : census.identities) {
    if (rows != 1) {
      ++counted_twice;
      example = "event " + tag + " stored " + std::to_string(rows) + " times";
    }
    if (!acknowledged_.contains(tag) && !unanswered_.contains(tag)) {
      ++not_sent;
      example = "event " + tag + " stored but never sent";
    }
  }
  for (const std::string& tag : acknowledged_) {
    if (!storable.contains(tag)) continue;
    ++acknowledged_storable;
    if (!census.identities.contains(tag)) {
      ++lost;
      example = "acknowledged event " + tag + " is not in the store";
    }
  }
  size_t in_flight_only = 0;
  for (const std::string& tag : unanswered_)
    if (storable.contains(tag) && !acknowledged_.contains(tag)) ++in_flight_only;

  EXPECT_EQ(counted_twice, 0u) << what << ": " << example;
  EXPECT_EQ(not_sent, 0u) << what << ": " << example;
  EXPECT_EQ(lost, 0u) << what << ": " << example;
  EXPECT_GE(static_cast<size_t>(census.rows), acknowledged_storable) << what;
  EXPECT_LE(static_cast<size_t>(census.rows), acknowledged_storable + in_flight_only) << what;
  std::cout << what << ": " << census.rows << " events stored; " << acknowledged_storable
            << " acknowledged, " << in_flight_only << " more in requests left unanswered"
            << std::endl;
}

}  // namespace cca::system_test
