// Load and soak on loopback: OTLP exports from `ccanalytics replay` processes (several exporters,
// every protocol) re-sending a fixed data set, the dashboard's questions, and SSE clients on
// /api/v1/stream, for CCANALYTICS_SOAK_MINUTES (default 2; `make soak SOAK_MINUTES=N`). No error
// answer, no crash, memory flat after warm-up, right answers at the end, and every stream told the
// final data version. Figures are printed as one JSON line (and written to
// CCANALYTICS_SOAK_REPORT when set); speed is reported, never asserted.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include "support/test_support.h"
#include "system/dashboard_questions.h"
#include "system/latency_log.h"
#include "system/replay_loop.h"
#include "system/rss_sampler.h"
#include "system/server_process.h"
#include "system/store_census.h"
#include "system/tagged_telemetry.h"
#include "system/update_stream_client.h"

namespace cca::system_test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kReplaySlots = 2;
constexpr int kExportersPerReplay = 3;
constexpr int kDashboards = 3;
// Between two questions of one dashboard client: a person's dashboard asks in bursts, and
// clients that never pause would only starve the exporters (which run niced) on two cores.
constexpr auto kThinkTime = std::chrono::milliseconds(2);
constexpr int kStreams = 4;
constexpr double kMemoryTolerance = 0.10;

double soak_minutes() {
  const char* given = std::getenv("CCANALYTICS_SOAK_MINUTES");
  return given ? std::stod(given) : 2.0;
}

// The dashboard's questions, each with no filter or a date window of its own: windows make
// answers that the cache has not seen, so questions are computed, not only looked up, and the
// cache (bounded in bytes) fills during warm-up.
std::string question_with_window(const std::string& question, std::mt19937_64& random) {
  if (question.find("from=") != std::string::npos || std::bernoulli_distribution(0.3)(random))
    return question;
  const int first = std::uniform_int_distribution<int>(1, 28)(random);
  const int last = std::min(31, first + std::uniform_int_distribution<int>(0, 14)(random));
  char window[64];
  std::snprintf(window, sizeof window, "from=2026-01-%02d&to=2026-01-%02d", first, last);
  return question + (question.find('?') == std::string::npos ? "?" : "&") + window;
}

// A question's name in the report: its path without /api/v1/, and what it breaks down by.
std::string question_label(std::string_view question) {
  std::string label(question.substr(8, question.find('?') - 8));
  if (const size_t by = question.find("by="); by != std::string_view::npos) {
    label.push_back(' ');
    label.append(question.substr(by, question.find('&', by) - by));
  }
  return label;
}

TEST(Soak, OtlpIngestDashboardsAndStreamsStayCorrectWithFlatMemory) {
  const double minutes = soak_minutes();
  const double total_seconds = minutes * 60;
  test::TempDir dir;
  const std::string telemetry = telemetry_file(dir.path(), false);

  // The reference: the same file ingested by the CLI into a fresh store.
  const std::string clean_db = dir.file("clean.db");
  ASSERT_EQ(run_to_end({"ingest", "--db", clean_db, "--telemetry", telemetry}, dir.file("clean")),
            0);
  const int64_t distinct_events = take_census(clean_db, kLogEventId).rows;

  ServerProcess server(dir.file("soak.db"), dir.file("serve"));
  const auto sample_every =
      std::chrono::milliseconds(std::max<int64_t>(2000, static_cast<int64_t>(total_seconds * 5)));
  RssSampler memory(server, sample_every);
  const auto started = Clock::now();
  const auto deadline = started + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(total_seconds));

  std::vector<std::unique_ptr<UpdateStreamClient>> streams;
  for (int i = 0; i < kStreams; ++i)
    streams.push_back(std::make_unique<UpdateStreamClient>(server));

  LatencyLog latency;
  std::atomic<uint64_t> questions_asked{0}, error_answers{0};
  std::mutex errors_mutex;
  std::vector<std::string> errors;
  std::vector<std::thread> dashboards;
  for (int d = 0; d < kDashboards; ++d)
    dashboards.emplace_back([&, d] {
      std::mt19937_64 random(static_cast<uint64_t>(d) + 1);
      const auto client = server.client();
      const auto& questions = dashboard_questions();
      while (Clock::now() < deadline) {
        const std::string& question = questions[random() % questions.size()];
        const std::string target = question_with_window(question, random);
        const auto asked = Clock::now();
        const auto answer = client->Get(target);
        latency.add(question_label(question),
                    std::chrono::duration<double, std::milli>(Clock::now() - asked).count());
        ++questions_asked;
        std::this_thread::sleep_for(kThinkTime);
        if (!answer || answer->status != 200) {
          ++error_answers;
          std::lock_guard lock(errors_mutex);
          if (errors.size() < 10)
            errors.push_back(target + ": " +
                             (answer ? "HTTP " + std::to_string(answer->status) + " " +
                                           answer->body.substr(0, 200)
                                     : httplib::to_string(answer.error())));
        }
      }
    });

  // The data is complete (every distinct event stored) by the end of the warm-up, so that memory
  // after it is measured on a fixed data set: the first quarter, or on a busy machine up to half
  // the run (memory_flat_violation).
  double complete_at = -1;
  {
    ReplayLoop replays(server, telemetry, dir.path(), kReplaySlots, kExportersPerReplay);
    while (Clock::now() < deadline) {
      if (complete_at < 0 && server.health()["events"].get<int64_t>() == distinct_events)
        complete_at = std::chrono::duration<double>(Clock::now() - started).count();
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    replays.stop();
    const ReplayLoop::Totals totals = replays.totals();
    for (const std::string& error : totals.errors) ADD_FAILURE() << error;
    EXPECT_EQ(totals.failures, 0u);
    for (auto& thread : dashboards) thread.join();
    server.wait_until_visible();

    EXPECT_TRUE(server.running()) << "the server died: " << server.stderr_text();
    EXPECT_EQ(error_answers.load(), 0u);
    for (const std::string& error : errors) ADD_FAILURE() << error;
    EXPECT_GE(complete_at, 0) << "the data never became complete";

    // Answers: those of a clean CLI ingest of the same file.
    ServerProcess clean(clean_db, dir.file("serve-clean"));
    expect_same_answers(ask_all(*server.client()), ask_all(*clean.client()),
                        "after the soak vs a clean ingest");

    // Every stream was told the final data version.
    const nlohmann::json health = server.health();
    const int64_t final_version = health["data_version"].get<int64_t>();
    EXPECT_EQ(health["events"].get<int64_t>(), distinct_events);
    const auto told_by = Clock::now() + std::chrono::seconds(10);
    for (const auto& stream : streams)
      while (stream->last_version() != final_version && Clock::now() < told_by)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (size_t i = 0; i < streams.size(); ++i)
      EXPECT_EQ(streams[i]->last_version(), final_version) << "stream " << i;

    const std::vector<RssSample> samples = memory.samples();
    const std::string violation =
        memory_flat_violation(samples, total_seconds, complete_at, kMemoryTolerance);
    EXPECT_EQ(violation, "");

    nlohmann::json rss = nlohmann::json::array();
    for (const RssSample& sample : samples)
      rss.push_back({std::round(sample.seconds), sample.kib / 1024});
    uint64_t updates = 0;
    for (const auto& stream : streams) updates += stream->updates();
    const nlohmann::json report = {
        {"minutes", minutes},
        {"replay_runs", totals.runs},
        {"otlp_requests", totals.requests},
        {"otlp_retries_after_backpressure", totals.retries},
        {"records_acknowledged", totals.records},
        {"distinct_events", distinct_events},
        {"data_complete_after_s", std::round(complete_at * 10) / 10},
        {"dashboard_questions", questions_asked.load()},
        {"error_answers", error_answers.load()},
        {"stream_updates_received", updates},
        {"final_data_version", final_version},
        {"rss_mib_median",
         {{"first_quarter", median_kib(samples, 0, total_seconds / 4) / 1024},
          {"second_quarter", median_kib(samples, total_seconds / 4, total_seconds / 2) / 1024},
          {"last_quarter", median_kib(samples, total_seconds * 3 / 4, total_seconds + 1) / 1024}}},
        {"rss_mib_over_time", rss},
        {"latency", latency.percentiles()},
    };
    std::cout << "soak report: " << report.dump() << std::endl;
    if (const char* path = std::getenv("CCANALYTICS_SOAK_REPORT"))
      std::ofstream(path) << report.dump(2) << "\n";
  }

  for (const auto& stream : streams) stream->expect_end();
  EXPECT_EQ(server.stop(), 0) << server.stderr_text();
  for (size_t i = 0; i < streams.size(); ++i) EXPECT_EQ(streams[i]->finish(), "") << "stream " << i;
}

}  // namespace
}  // namespace cca::system_test
