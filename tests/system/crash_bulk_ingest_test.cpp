// POST /api/v1/ingest under concurrent load, the server killed (kill -9) at random moments: after
// each kill the store is sound and holds every acknowledged event once; after re-sending
// everything it answers like a clean ingest of the same data.
#include <gtest/gtest.h>

#include <random>

#include "support/test_support.h"
#include "system/crash_seed.h"
#include "system/dashboard_questions.h"
#include "system/kill_round.h"
#include "system/server_process.h"
#include "system/store_census.h"
#include "system/tagged_telemetry.h"

namespace cca::system_test {
namespace {

constexpr size_t kLinesPerRequest = 40;
constexpr int kKills = 4;

TEST(CrashConsistency, BulkHttpIngestKilledUnderConcurrentLoad) {
  std::mt19937_64 random(crash_seed());
  test::TempDir dir;
  const TaggedTelemetry data = tag_telemetry(telemetry_file(dir.path(), false));

  std::vector<std::string> bodies;
  std::vector<std::vector<std::string>> tags_of_request;
  for (size_t first = 0; first < data.lines.size(); first += kLinesPerRequest) {
    const size_t end = std::min(first + kLinesPerRequest, data.lines.size());
    bodies.push_back(jsonl({data.lines.begin() + first, data.lines.begin() + end}));
    std::vector<std::string> tags;
    for (size_t line = first; line < end; ++line)
      tags.insert(tags.end(), data.tags[line].begin(), data.tags[line].end());
    tags_of_request.push_back(std::move(tags));
  }

  // The independent reference: the same events ingested once, cleanly, by the CLI.
  const std::string tagged_file = dir.file("tagged.jsonl");
  test::write_file(tagged_file, jsonl(data.lines));
  const std::string clean_db = dir.file("clean.db");
  ASSERT_EQ(run_to_end({"ingest", "--db", clean_db, "--telemetry", tagged_file}, dir.file("clean")),
            0);
  const std::unordered_set<std::string> storable = identities_in(clean_db, kEventSequence);

  const std::string db = dir.file("crashed.db");
  DeliveryLedger ledger;
  const auto make_client = [&](ServerProcess& server) {
    return [&server, &bodies]() -> DeliverOnce {
      auto client = std::shared_ptr<httplib::Client>(server.client());
      return [client, &bodies](size_t index, std::string& error) {
        const auto answer = client->Post("/api/v1/ingest", bodies[index], "application/x-ndjson");
        if (!answer) {
          error = httplib::to_string(answer.error());
          return Delivery::kNoAnswer;
        }
        if (answer->status == 200) return Delivery::kAcknowledged;
        error = "HTTP " + std::to_string(answer->status) + ": " + answer->body.substr(0, 300);
        return answer->status == 503 ? Delivery::kBackpressure : Delivery::kRefused;
      };
    };
  };

  for (int kill = 1; kill <= kKills; ++kill) {
    ServerProcess server(db, dir.file("serve-" + std::to_string(kill)));
    if (kill > 1) {  // restarted on the store the last kill left: it serves all of it
      EXPECT_EQ(server.health()["events"].get<int64_t>(), take_census(db, kEventSequence).rows);
    }
    KillRound round;
    round.order = round_order(tags_of_request, ledger, random);
    round.kill_after = std::uniform_int_distribution<size_t>(
        1, std::max<size_t>(1, round.order.size() * 4 / 5))(random);
    run_round(round, make_client(server), tags_of_request, ledger, server, random);
    ledger.expect_consistent(take_census(db, kEventSequence), storable,
                             "after kill " + std::to_string(kill));
  }

  // Everything again, to the end: the store then holds exactly what a clean ingest holds.
  ServerProcess server(db, dir.file("serve-final"));
  KillRound all;
  for (size_t i = 0; i < bodies.size(); ++i) all.order.push_back(i);
  run_round(all, make_client(server), tags_of_request, ledger, server, random);
  const StoreCensus final_census = take_census(db, kEventSequence);
  ledger.expect_consistent(final_census, storable, "after re-sending everything");
  EXPECT_EQ(final_census.identities.size(), storable.size());

  ServerProcess clean(clean_db, dir.file("serve-clean"));
  expect_same_answers(ask_all(*server.client()), ask_all(*clean.client()),
                      "bulk ingest after kills vs a clean ingest");
  EXPECT_EQ(server.stop(), 0) << server.stderr_text();
}

}  // namespace
}  // namespace cca::system_test
