// The crash tests' verdict catches what it is there to catch: an acknowledged event lost, an
// event counted twice, an event stored that was never sent.
#include "system/delivery_ledger.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

namespace cca::system_test {
namespace {

StoreCensus census_of(const std::unordered_map<std::string, int>& identities) {
  StoreCensus census;
  census.integrity = "ok";
  census.identities = identities;
  for (const auto& [tag, rows] : identities) census.rows += rows;
  census.distinct_identities = census.rows;
  return census;
}

// The failures expect_consistent reports, joined.
std::string verdict(const DeliveryLedger& ledger, const StoreCensus& census) {
  const std::unordered_set<std::string> storable = {"1", "2", "3", "4", "5"};
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    ledger.expect_consistent(census, storable, "check");
  }
  std::string text;
  for (int i = 0; i < failures.size(); ++i) text += failures.GetTestPartResult(i).message();
  return text;
}

// Events 1 and 2 acknowledged, 3 in flight when the server died.
class DeliveryLedgerTest : public ::testing::Test {
 protected:
  DeliveryLedgerTest() {
    ledger_.acknowledged({"1", "2"});
    ledger_.unanswered({"3"});
  }
  DeliveryLedger ledger_;
};

TEST_F(DeliveryLedgerTest, AcceptsAcknowledgedEventsWithOrWithoutThoseInFlight) {
  EXPECT_EQ(verdict(ledger_, census_of({{"1", 1}, {"2", 1}})), "");
  EXPECT_EQ(verdict(ledger_, census_of({{"1", 1}, {"2", 1}, {"3", 1}})), "");
}

TEST_F(DeliveryLedgerTest, FlagsALostAcknowledgedEvent) {
  EXPECT_NE(verdict(ledger_, census_of({{"1", 1}, {"3", 1}}))
                .find("acknowledged event 2 is not in the store"),
            std::string::npos);
}

TEST_F(DeliveryLedgerTest, FlagsAnEventCountedTwice) {
  EXPECT_NE(verdict(ledger_, census_of({{"1", 1}, {"2", 2}})).find("event 2 stored 2 times"),
            std::string::npos);
}

TEST_F(DeliveryLedgerTest, FlagsAnEventNeverSent) {
  EXPECT_NE(verdict(ledger_, census_of({{"1", 1}, {"2", 1}, {"4", 1}}))
                .find("event 4 stored but never sent"),
            std::string::npos);
}

TEST_F(DeliveryLedgerTest, FlagsAStoreThatIsNotSound) {
  StoreCensus census = census_of({{"1", 1}, {"2", 1}});
  census.integrity = "*** in database main ***";
  EXPECT_NE(verdict(ledger_, census).find("in database main"), std::string::npos);
}

}  // namespace
}  // namespace cca::system_test
