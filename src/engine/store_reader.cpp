#include "engine/store_reader.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <unordered_map>
#include <utility>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "common/event_record.h"
#include "engine/parallel.h"

namespace cca::engine {
namespace {

// NULLs become values no stored row can hold (string ids start at 1, numbers are >= 0), which
// saves a sqlite3_column_type call per column: most of the load is SQLite's per-call overhead.
constexpr std::string_view kSelectEvents = R"sql(
SELECT time_ms, event_name_id, session_id, user_id, ifnull(terminal_id, 0), ifnull(model_id, 0),
       ifnull(tool_id, 0), ifnull(decision_id, 0), ifnull(decision_source_id, 0),
       ifnull(error_id, 0), ifnull(status_code_id, 0), ifnull(version_id, 0),
       ifnull(os_type_id, 0), ifnull(practice_hint_id, 0), ifnull(query_source_id, 0),
       ifnull(attributes_id, 0),
       ifnull(success, -1),
       ifnull(input_tokens, -1), ifnull(output_tokens, -1), ifnull(cache_read_tokens, -1),
       ifnull(cache_creation_tokens, -1), ifnull(cost_usd, -1), ifnull(duration_ms, -1),
       ifnull(prompt_length, -1), ifnull(attempt, -1), ifnull(tool_result_size_bytes, -1),
       ifnull(ttft_ms, -1), cost_estimated
FROM events WHERE seq > ?1 AND seq <= ?2 ORDER BY seq)sql";
constexpr int kSuccessColumn = 16;
constexpr int kFirstNumberColumn = 17;
constexpr int kCostEstimatedColumn = 27;
constexpr std::string_view kStringById = "SELECT value FROM strings WHERE id = ?1";
// Below this many rows a second connection costs more than it saves.
constexpr int64_t kRowsPerThread = 50'000;

// Keeps the reads of one refresh consistent with each other while ingests commit.
class ReadTransaction {
 public:
  explicit ReadTransaction(store::Database& db) : db_(db) { db_.exec("BEGIN"); }
  ~ReadTransaction() { sqlite3_exec(db_.handle(), "COMMIT", nullptr, nullptr, nullptr); }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  store::Database& db_;
};

// Where a read's rows go: one builder, or the builders of the time ranges a load by time splits
// the rows into (bounds[i - 1] <= time_ms < bounds[i] to builder i).
struct TimeRangeBuilders {
  void append(const EventRow& row) {
    const auto range = std::upper_bound(bounds.begin(), bounds.end(), row.time_ms) - bounds.begin();
    builders[static_cast<size_t>(range)].append(row);
  }

  const std::vector<int64_t>& bounds;
  std::vector<SegmentBuilder>& builders;
};

template <class Sink>
void read_range(store::Database& db, int64_t after_seq, int64_t up_to_seq, StringCodes& shared,
                std::string_view practice_attribute, Sink& out) {
  ReadTransaction transaction(db);
  store::Statement string_by_id(db, kStringById);
  store::Statement select(db, kSelectEvents);
  select.bind_int(1, after_seq);
  select.bind_int(2, up_to_seq);
  // A thread-local copy of the translations, so that the shared table's lock is taken on misses.
  std::array<std::vector<uint32_t>, kStringColumns> local;
  const auto code_for = [&](int column, int64_t string_id) -> uint32_t {
    if (string_id <= 0) return Dictionary::kAbsent;
    std::vector<uint32_t>& codes = local[column];
    const auto index = static_cast<size_t>(string_id);
    if (index >= codes.size()) codes.resize(std::max(index + 1, codes.size() * 2), 0);
    if (codes[index] == 0)
      codes[index] = shared.resolve(static_cast<StringColumn>(column), string_id, string_by_id) + 1;
    return codes[index] - 1;
  };

  sqlite3_stmt* const statement = select.get();
  const auto number = [&](int column) {
    const double value = sqlite3_column_double(statement, column);
    return value < 0 ? kAbsentNumber : value;
  };
  uint32_t codes[kStringColumns];
  std::unordered_map<double, uint32_t> attempt_codes;  // a handful of values: 1, 2, 3
  std::vector<uint32_t> set_practice;                  // by set code: practice code + 1, 0: not yet
  while (select.step()) {
    for (int column = 0; column < kStringColumns; ++column)
      codes[column] = code_for(column, sqlite3_column_int64(statement, column + 1));
    EventRow row;
    row.time_ms = sqlite3_column_int64(statement, 0);
    row.event_name = codes[kEventNameColumn];
    row.session = codes[kSessionColumn];
    row.user = codes[kUserColumn];
    row.terminal = codes[kTerminalColumn];
    row.model = codes[kModelColumn];
    row.tool = codes[kToolColumn];
    row.decision = codes[kDecisionColumn];
    row.decision_source = codes[kDecisionSourceColumn];
    row.error = codes[kErrorColumn];
    row.status_code = codes[kStatusCodeColumn];
    row.version = codes[kVersionColumn];
    row.os = codes[kOsColumn];
    row.practice_hint = codes[kPracticeHintColumn];
    row.query_source = codes[kQuerySourceColumn];
    row.attributes = codes[kAttributesColumn];
    if (!practice_attribute.empty() && row.attributes != 0) {
      if (row.attributes >= set_practice.size()) set_practice.resize(row.attributes + 1, 0);
      uint32_t& practice = set_practice[row.attributes];
      if (practice == 0)
        practice = shared.attribute_practice(row.attributes, practice_attribute) + 1;
      if (practice > 1) row.practice_hint = practice - 1;
    }
    const int64_t success = sqlite3_column_int64(statement, kSuccessColumn);
    row.success = success < 0 ? -1 : static_cast<int8_t>(success != 0);
    int column = kFirstNumberColumn;
    for (double* field : {&row.input_tokens, &row.output_tokens, &row.cache_read_tokens,
                          &row.cache_creation_tokens, &row.cost_usd, &row.duration_ms,
                          &row.prompt_length, &row.attempt, &row.tool_result_size_bytes,
                          &row.ttft_ms})
      *field = number(column++);
    row.cost_estimated = sqlite3_column_int64(statement, kCostEstimatedColumn) != 0;
    if (!std::isnan(row.attempt)) {
      auto [it, fresh] = attempt_codes.try_emplace(row.attempt, 0);
      if (fresh) it->second = shared.attempt_code(row.attempt);
      row.attempt_code = it->second;
    }
    out.append(row);
  }
}

// Rows spread evenly over after_seq < seq <= up_to_seq: for each of `samples` evenly spaced
// seqs, the first row after it (seqs have gaps where rows were deleted). Calls take(statement)
// with each row's `columns` selected.
void sample_rows(store::Database& db, int64_t after_seq, int64_t up_to_seq, int64_t samples,
                 std::string_view columns, const std::function<void(store::Statement&)>& take) {
  store::Statement next(db, "SELECT " + std::string(columns) +
                                " FROM events WHERE seq > ?1 AND seq <= ?2 ORDER BY seq LIMIT 1");
  const int64_t span = up_to_seq - after_seq;
  for (int64_t i = 0; i < samples; ++i) {
    next.bind_int(1, after_seq + span * i / samples);
    next.bind_int(2, up_to_seq);
    if (next.step()) take(next);
    next.reset();
  }
}

// The connection of a parallel reader's `worker`: the reader's own for the first, a new one
// (kept in `own`) for the others, since an SQLite connection serves one thread at a time.
store::Database& worker_connection(size_t worker, store::Database& first, const std::string& path,
                                   std::optional<store::Database>& own) {
  if (worker == 0) return first;
  own.emplace(path, store::Database::Access::kReadEvenIfReadOnly);
  return *own;
}

}  // namespace

uint64_t store_fingerprint(store::Database& db, int64_t last_seq) {
  constexpr int64_t kSamples = 64;
  ReadTransaction transaction(db);
  store::Statement at(db, "SELECT key_hi, key_lo FROM events WHERE seq = ?1");
  at.bind_int(1, last_seq);
  if (last_seq <= 0 || !at.step()) return 0;
  std::vector<int64_t> values = {last_seq, at.column_int(0), at.column_int(1)};
  at.reset();
  sample_rows(db, 0, last_seq, kSamples, "seq, key_hi, key_lo", [&](store::Statement& row) {
    for (int column = 0; column < 3; ++column) values.push_back(row.column_int(column));
  });
  const uint64_t hash = XXH3_64bits(values.data(), values.size() * sizeof(int64_t));
  return hash == 0 ? 1 : hash;
}

Dictionary& StringCodes::dictionary(StringColumn column) {
  Dictionaries& d = dictionaries_;
  Dictionary* const by_column[kStringColumns] = {
      &d.event_name, &d.session,         &d.user,  &d.terminal,    &d.model,   &d.tool,
      &d.decision,   &d.decision_source, &d.error, &d.status_code, &d.version, &d.os,
      &d.practice,   &d.query_source};
  return *by_column[column];
}

uint32_t StringCodes::attempt_code(double attempt) {
  const std::string text = format_attempt(attempt);
  std::lock_guard lock(mutex_);
  return dictionaries_.attempt.intern(text);
}

uint32_t StringCodes::attribute_practice(uint32_t set, std::string_view practice_key) {
  std::lock_guard lock(mutex_);
  const std::string_view value = dictionaries_.attributes.value_in(set, practice_key);
  return value.empty() ? 0 : dictionaries_.practice.intern(value);
}

uint32_t StringCodes::resolve(StringColumn column, int64_t string_id,
                              store::Statement& string_by_id) {
  std::lock_guard lock(mutex_);
  std::vector<uint32_t>& codes = codes_[column];
  const auto index = static_cast<size_t>(string_id);
  if (index >= codes.size()) codes.resize(std::max(index + 1, codes.size() * 2), 0);
  if (codes[index] == 0) {
    string_by_id.bind_int(1, string_id);
    const std::string_view value = string_by_id.step() ? string_by_id.column_text(0) : "";
    codes[index] = (column == kAttributesColumn ? dictionaries_.attributes.intern(value)
                                                : dictionary(column).intern(value)) +
                   1;
    string_by_id.reset();  // a statement left mid-step would pin the WAL
  }
  return codes[index] - 1;
}

StoreReader::StoreReader(const std::string& db_path, Dictionaries& dictionaries,
                         std::string practice_attribute)
    : db_path_(db_path),
      practice_attribute_(std::move(practice_attribute)),
      dictionaries_(dictionaries),
      // Read-write when it can (a missing -shm file cannot stop WAL reads then), read-only when the
      // store cannot be written.
      db_(db_path, store::Database::Access::kReadEvenIfReadOnly),
      codes_(dictionaries) {}

StoreState StoreReader::state() {
  ReadTransaction transaction(db_);
  StoreState state;
  state.max_seq = db_.query_int("SELECT max(seq) FROM events");
  state.directory_version =
      db_.query_int("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'directory_version'");
  state.retention_version =
      db_.query_int("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'retention_version'");
  return state;
}

int64_t StoreReader::schema_version() {
  return db_.query_int("PRAGMA user_version");
}

std::vector<SegmentBuilder> StoreReader::read_events(int64_t after_seq, int64_t up_to_seq,
                                                     int threads) {
  const int64_t span = up_to_seq - after_seq;
  const int64_t parts = std::clamp<int64_t>(span / kRowsPerThread, 1, std::max(threads, 1));
  std::vector<SegmentBuilder> builders;
  for (int64_t part = 0; part < parts; ++part) {
    builders.emplace_back(dictionaries_);
    // A large range fills its columns in one go: at most its share of the rows.
    if (span / parts >= kRowsPerThread)
      builders.back().reserve(static_cast<size_t>(span / parts + 1));
  }
  const auto bound = [&](int64_t part) { return after_seq + span * part / parts; };
  run_in_parallel(static_cast<size_t>(parts), [&](size_t part) {
    std::optional<store::Database> own;
    const auto p = static_cast<int64_t>(part);
    read_range(worker_connection(part, db_, db_path_, own), bound(p), bound(p + 1), codes_,
               practice_attribute_, builders[part]);
  });
  return builders;
}

std::vector<int64_t> StoreReader::sample_times(int64_t after_seq, int64_t up_to_seq, int samples) {
  ReadTransaction transaction(db_);
  std::vector<int64_t> times;
  sample_rows(db_, after_seq, up_to_seq, samples, "time_ms",
              [&](store::Statement& row) { times.push_back(row.column_int(0)); });
  std::sort(times.begin(), times.end());
  return times;
}

void StoreReader::read_events_by_time(
    int64_t after_seq, int64_t up_to_seq, int64_t chunk_rows, const std::vector<int64_t>& bounds,
    int threads, const std::function<void(size_t, std::vector<SegmentBuilder>&)>& take) {
  const int64_t chunks =
      std::max<int64_t>(1, (up_to_seq - after_seq + chunk_rows - 1) / chunk_rows);
  std::atomic<int64_t> next_chunk{0};
  std::atomic<bool> failed{false};  // the other threads stop at their next chunk
  run_in_parallel(static_cast<size_t>(std::max(threads, 1)), [&](size_t worker) {
    try {
      std::optional<store::Database> own;
      store::Database& connection = worker_connection(worker, db_, db_path_, own);
      std::vector<SegmentBuilder> builders;
      for (size_t i = 0; i <= bounds.size(); ++i) builders.emplace_back(dictionaries_);
      TimeRangeBuilders sink{bounds, builders};
      for (int64_t chunk = next_chunk++; chunk < chunks && !failed; chunk = next_chunk++) {
        const int64_t from = after_seq + chunk * chunk_rows;
        read_range(connection, from, std::min(up_to_seq, from + chunk_rows), codes_,
                   practice_attribute_, sink);
        take(static_cast<size_t>(chunk), builders);
      }
    } catch (...) {
      failed = true;
      throw;
    }
  });
}

Directory StoreReader::read_directory() {
  ReadTransaction transaction(db_);
  Directory directory;
  directory.version =
      db_.query_int("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'directory_version'");
  store::Statement select(db_,
                          "SELECT lower(trim(email)), full_name, practice, level, location, "
                          "ifnull(trim(user_id), '') FROM employees");
  while (select.step()) {
    directory.employees.push_back(
        {std::string(select.column_text(0)), std::string(select.column_text(1)),
         std::string(select.column_text(2)), std::string(select.column_text(3)),
         std::string(select.column_text(4)), std::string(select.column_text(5))});
  }
  std::sort(directory.employees.begin(), directory.employees.end(),
            [](const Employee& a, const Employee& b) { return a.email < b.email; });
  // Emails differing only in case are one person to the telemetry: keep the first.
  directory.employees.erase(
      std::unique(directory.employees.begin(), directory.employees.end(),
                  [](const Employee& a, const Employee& b) { return a.email == b.email; }),
      directory.employees.end());
  directory.index_user_ids();
  return directory;
}

}  // namespace cca::engine
