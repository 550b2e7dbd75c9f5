#include "generate/generator.h"

#include <filesystem>
#include <optional>
#include <queue>
#include <stdexcept>
#include <vector>

#include "common/time_util.h"
#include "generate/buffered_file.h"
#include "generate/employees_csv.h"
#include "generate/metrics_writer.h"
#include "generate/random.h"
#include "generate/scenario.h"
#include "generate/session.h"
#include "generate/session_plan.h"
#include "generate/telemetry_writer.h"
#include "generate/users.h"

namespace cca::generate {
namespace {

// Limits that keep memory and timestamps sane: a user holds ~500 bytes, a planned session 16
// (10 million sessions are about 900 million events, a terabyte of JSONL).
constexpr int kMaxUsers = 100'000;
constexpr int kMaxSessions = 10'000'000;
constexpr int kMaxDays = 36'500;

// Separate random streams, so that for instance more users do not change the batch sizes.
enum Stream : uint64_t {
  kUsersStream = 0,
  kPlanStream = 1,
  kOutputStream = 2,
  kSpendSpikeStream = 3,  // 16 and above: the sessions' streams (session_seed)
};

void check_range(const char* flag, int value, int max) {
  if (value < 1 || value > max) {
    throw std::runtime_error(std::string(flag) + " must be between 1 and " + std::to_string(max) +
                             " (got " + std::to_string(value) + ")");
  }
}

// Returns the window start in epoch ms; loads the scenario, if any, into scenario.
int64_t validate(const GenerateOptions& options, std::optional<Scenario>& scenario) {
  if (options.output_dir.empty()) throw std::runtime_error("--output-dir is required");
  check_range("--num-users", options.num_users, kMaxUsers);
  check_range("--num-sessions", options.num_sessions, kMaxSessions);
  check_range("--days", options.days, kMaxDays);
  const auto end_ms = parse_date_ms(options.end_date);
  if (!end_ms) {
    throw std::runtime_error("--end-date must be a valid date YYYY-MM-DD (got '" +
                             options.end_date + "')");
  }
  const int64_t start_ms = *end_ms - int64_t{options.days} * kMsPerDay;
  if (start_ms < 0) {
    throw std::runtime_error("--days " + std::to_string(options.days) + " before --end-date " +
                             options.end_date + " starts before 1970-01-01");
  }
  if (!options.scenario_file.empty()) {
    scenario = Scenario::load(options.scenario_file);
    try {
      if (scenario->shapes_days()) scenario->day_weights(start_ms, options.days);
    } catch (const std::runtime_error& error) {  // every day weighs 0
      throw std::runtime_error("scenario " + options.scenario_file + ": " + error.what());
    }
  }
  return start_ms;
}

// A session between its first and its last event.
struct ActiveSession {
  Session session;
  TelemetryWriter::SessionText text;
  size_t next_event = 0;
};

struct NextEvent {
  int64_t time_ms;
  uint32_t start_rank;  // ties go to the session that started first
  uint32_t slot;

  bool operator>(const NextEvent& other) const {
    return time_ms != other.time_ms ? time_ms > other.time_ms : start_rank > other.start_rank;
  }
};

// Merges the sessions into one time-ordered stream: each session is simulated when its start
// comes up and its events are drawn from a heap keyed by their time. Memory holds only the
// sessions in progress, however many sessions there are in all.
void write_telemetry(const GenerateOptions& options, const std::vector<User>& users,
                     const std::vector<PlannedSession>& plan, const Scenario* scenario,
                     TelemetryWriter& writer) {
  std::vector<ActiveSession> slots;
  std::vector<uint32_t> free_slots;
  std::priority_queue<NextEvent, std::vector<NextEvent>, std::greater<>> heap;

  size_t next_start = 0;
  while (next_start < plan.size() || !heap.empty()) {
    if (next_start < plan.size() &&
        (heap.empty() || plan[next_start].start_ms <= heap.top().time_ms)) {
      const PlannedSession& planned = plan[next_start];
      uint32_t slot;
      if (free_slots.empty()) {
        slot = static_cast<uint32_t>(slots.size());
        slots.emplace_back();
      } else {
        slot = free_slots.back();
        free_slots.pop_back();
      }
      ActiveSession& active = slots[slot];
      Random random(session_seed(options.seed, planned.ordinal));
      simulate_session(random, planned.start_ms, active.session, scenario);
      active.text = TelemetryWriter::session_text(users[planned.user], active.session.id);
      active.next_event = 0;
      heap.push({active.session.events.front().time_ms, static_cast<uint32_t>(next_start), slot});
      ++next_start;
      continue;
    }

    const NextEvent next = heap.top();
    heap.pop();
    ActiveSession& active = slots[next.slot];
    writer.write(active.session.events[active.next_event], active.text);
    if (++active.next_event < active.session.events.size()) {
      heap.push({active.session.events[active.next_event].time_ms, next.start_rank, next.slot});
    } else {
      free_slots.push_back(next.slot);
    }
  }
}

}  // namespace

GenerateSummary generate_dataset(const GenerateOptions& options) {
  std::optional<Scenario> scenario;
  const int64_t window_start_ms = validate(options, scenario);
  const Scenario* scenario_or_null = scenario ? &*scenario : nullptr;

  const std::filesystem::path dir(options.output_dir);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw std::runtime_error("cannot create output directory " + options.output_dir + ": " +
                             error.message());
  }

  GenerateSummary summary;
  summary.telemetry_path = (dir / "telemetry_logs.jsonl").string();
  summary.employees_path = (dir / "employees.csv").string();

  Random user_random(derive_seed(options.people_seed.value_or(options.seed), kUsersStream));
  const std::vector<User> users = make_users(options.num_users, user_random);
  BufferedFile employees(summary.employees_path);
  write_employees_csv(users, employees);

  Random plan_random(derive_seed(options.seed, kPlanStream));
  std::vector<PlannedSession> plan =
      plan_sessions(options.num_sessions, options.num_users, window_start_ms, options.days,
                    plan_random, scenario_or_null);
  if (scenario && scenario->has_spend_spikes()) {
    Random spike_random(derive_seed(options.seed, kSpendSpikeStream));
    apply_spend_spikes(plan, users, *scenario, spike_random);
  }

  Random output_random(derive_seed(options.seed, kOutputStream));
  TelemetryWriter writer(summary.telemetry_path, output_random);
  write_telemetry(options, users, plan, scenario_or_null, writer);
  // Both files appear together at the end: a failed run leaves the previous pair in place.
  writer.commit();
  employees.commit();
  summary.metrics_path = (dir / "otlp_metrics.jsonl").string();
  summary.metric_points =
      write_otlp_metrics(options, users, plan, summary.metrics_path, scenario_or_null);

  summary.events = writer.events();
  summary.batches = writer.batches();
  summary.telemetry_bytes = writer.bytes();
  summary.users = users.size();
  summary.sessions = plan.size();
  return summary;
}

}  // namespace cca::generate
