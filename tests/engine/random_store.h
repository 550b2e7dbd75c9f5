#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/filter.h"
#include "store/database.h"

namespace cca::testing {

// One event as the test writes it into the store's schema: strings by value, absent as nullopt.
struct StoredEvent {
  int64_t time_ms = 0;
  std::string event_name, session_id, user;
  std::optional<std::string> terminal, model, tool, decision, decision_source, error, status_code,
      version, os, practice_hint;
  std::optional<std::string> attributes;  // canonical JSON of the custom attributes
  std::optional<int> success;
  std::optional<double> input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens,
      cost_usd, duration_ms, prompt_length, attempt, tool_result_size_bytes;
};

struct StoredEmployee {
  std::string email, full_name, practice, level, location;
};

// Writes rows straight into a store's tables (no ingest pipeline), interning strings as the
// store does: what the engine reads, built independently of the ingest code.
class StoreWriter {
 public:
  explicit StoreWriter(store::Database& db);
  void insert(const std::vector<StoredEvent>& events);
  // Replaces the directory and bumps meta.directory_version, as a directory load does.
  void replace_directory(const std::vector<StoredEmployee>& employees);

 private:
  int64_t string_id(const std::optional<std::string>& value);

  store::Database& db_;
  int64_t next_key_ = 1;
  std::unordered_map<std::string, int64_t> string_ids_;
};

// A seeded random telemetry history with every shape the engine must handle: users in and out of
// the directory, practice hints that change between events, unknown event names, absent numbers,
// sessions shared by two users, sessions resumed days later, events at equal times and on hour
// boundaries.
struct RandomHistory {
  std::vector<StoredEvent> events;  // in time order
  std::vector<StoredEmployee> directory;
  std::vector<std::string> practices, levels, locations, models, emails, terminals;  // to pick from
  std::vector<std::string> tools, status_codes, errors;  // the last of each no event carries
  // Custom attribute keys (one the events never carry) and values to pick from per key (some
  // that no event carries).
  std::vector<std::pair<std::string, std::vector<std::string>>> attributes;
};

RandomHistory make_random_history(uint64_t seed, size_t sessions = 80);

// A random combination of the filters, each present about a third of the time, values drawn from
// ones the history holds and some it does not; times around [first, last], the data's span.
engine::Filter random_filter(const RandomHistory& history, int64_t first, int64_t last,
                             std::mt19937_64& random);
// The filter in words, for failure messages.
std::string describe(const engine::Filter& filter);

}  // namespace cca::testing
