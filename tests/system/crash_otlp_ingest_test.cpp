// OTLP log exports from several exporters (the replay client's senders, in this process, so that
// the test knows which exports were acknowledged) over HTTP/protobuf and gRPC, the server killed
// (kill -9) at random moments: after each kill the store is sound and holds every acknowledged
// event once; after re-sending everything it answers like a clean ingest of the same data.
#include <gtest/gtest.h>

#include <random>

#include "replay/cloudwatch_events.h"
#include "replay/log_request.h"
#include "replay/otlp_sender.h"
#include "support/test_support.h"
#include "system/crash_seed.h"
#include "system/dashboard_questions.h"
#include "system/kill_round.h"
#include "system/server_process.h"
#include "system/store_census.h"
#include "system/tagged_telemetry.h"

namespace cca::system_test {
namespace {

namespace logs_v1 = opentelemetry::proto::collector::logs::v1;

constexpr size_t kRecordsPerExport = 200;
constexpr int kExporters = 4;
constexpr int kKills = 4;

Delivery classify(const replay::SendOutcome& outcome, std::string& error) {
  if (outcome.delivered) return Delivery::kAcknowledged;
  error = outcome.error;
  // 503 and gRPC UNAVAILABLE are the server's backpressure (and, for gRPC, also a lost peer).
  if (error.starts_with("HTTP 503") || error.starts_with("gRPC 14:"))
    return Delivery::kBackpressure;
  if (error.starts_with("connection:") || error.starts_with("gRPC 4:")) return Delivery::kNoAnswer;
  return Delivery::kRefused;
}

class OtlpCrash : public ::testing::TestWithParam<replay::Protocol> {};

TEST_P(OtlpCrash, ExportsKilledUnderLoadFromSeveralExporters) {
  std::mt19937_64 random(crash_seed());
  test::TempDir dir;
  const TaggedTelemetry data = tag_telemetry(telemetry_file(dir.path(), false));
  const std::string tagged_file = dir.file("tagged.jsonl");
  test::write_file(tagged_file, jsonl(data.lines));

  // The exports, built as the replay command builds them, with the tags of their records.
  std::vector<logs_v1::ExportLogsServiceRequest> exports;
  std::vector<std::vector<std::string>> tags_of_request;
  std::vector<replay::ReplayEvent> batch;
  const auto flush = [&] {
    if (batch.empty()) return;
    std::vector<std::string> tags;
    for (const auto& event : batch)
      for (const auto& attribute : event.attributes)
        if (attribute.key == "event.sequence") tags.push_back(attribute.text);
    ASSERT_EQ(tags.size(), batch.size());
    exports.push_back(replay::logs_request(batch));
    tags_of_request.push_back(std::move(tags));
    batch.clear();
  };
  replay::read_cloudwatch_events(tagged_file, [&](replay::ReplayEvent&& event) {
    batch.push_back(std::move(event));
    if (batch.size() == kRecordsPerExport) flush();
  });
  flush();

  const std::string clean_db = dir.file("clean.db");
  ASSERT_EQ(run_to_end({"ingest", "--db", clean_db, "--telemetry", tagged_file}, dir.file("clean")),
            0);
  const std::unordered_set<std::string> storable = identities_in(clean_db, kEventSequence);

  const std::string db = dir.file("crashed.db");
  DeliveryLedger ledger;
  const auto make_client = [&](ServerProcess& server) {
    return [&server, &exports]() -> DeliverOnce {
      auto options = std::make_shared<replay::ReplayOptions>();
      options->protocol = GetParam();
      options->endpoint =
          GetParam() == replay::Protocol::kGrpc ? server.grpc_endpoint() : server.http_endpoint();
      options->max_attempts = 1;  // retries are the round's, which knows when the server is gone
      std::shared_ptr<replay::OtlpSender> sender = replay::make_sender(*options);
      return [options, sender, &exports](size_t index, std::string& error) {
        return classify(sender->export_logs(exports[index]), error);
      };
    };
  };

  for (int kill = 1; kill <= kKills; ++kill) {
    ServerProcess server(db, dir.file("serve-" + std::to_string(kill)));
    if (kill > 1) {  // restarted on the store the last kill left: it serves all of it
      EXPECT_EQ(server.health()["events"].get<int64_t>(), take_census(db, kEventSequence).rows);
    }
    KillRound round;
    round.clients = kExporters;
    round.order = round_order(tags_of_request, ledger, random);
    round.kill_after = std::uniform_int_distribution<size_t>(
        1, std::max<size_t>(1, round.order.size() * 4 / 5))(random);
    run_round(round, make_client(server), tags_of_request, ledger, server, random);
    ledger.expect_consistent(take_census(db, kEventSequence), storable,
                             "after kill " + std::to_string(kill));
  }

  ServerProcess server(db, dir.file("serve-final"));
  KillRound all;
  all.clients = kExporters;
  for (size_t i = 0; i < exports.size(); ++i) all.order.push_back(i);
  run_round(all, make_client(server), tags_of_request, ledger, server, random);
  server.wait_until_visible();
  const StoreCensus final_census = take_census(db, kEventSequence);
  ledger.expect_consistent(final_census, storable, "after re-sending everything");
  EXPECT_EQ(final_census.identities.size(), storable.size());

  ServerProcess clean(clean_db, dir.file("serve-clean"));
  expect_same_answers(ask_all(*server.client()), ask_all(*clean.client()),
                      "OTLP exports after kills vs a clean ingest");
  EXPECT_EQ(server.stop(), 0) << server.stderr_text();
}

INSTANTIATE_TEST_SUITE_P(Protocols, OtlpCrash,
                         ::testing::Values(replay::Protocol::kHttpProtobuf,
                                           replay::Protocol::kGrpc),
                         [](const auto& info) {
                           return info.param == replay::Protocol::kGrpc ? "Grpc" : "HttpProtobuf";
                         });

}  // namespace
}  // namespace cca::system_test
