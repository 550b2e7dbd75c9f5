#include "engine/engine.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <thread>
#include <utility>

#include "engine/snapshot_file.h"

namespace cca::engine {
namespace {

// Connections reading a large batch of new events at once (start-up, a big ingest): the machine
// this runs on has two cores, and SQLite's row decoding is most of the load time.
constexpr int kLoadThreads = 2;

// Rows of the newest segment that compaction leaves alone, and that a refresh may merge again:
// live exporters deliver out of order within a window (each sends its own batches), so a fresh
// batch usually overlaps the newest rows. Keeping them in a segment of their own bounds what such
// a batch costs to that segment, instead of the segment every older row was compacted into.
constexpr size_t kNewestRows = 16'384;

// Merges time-ordered runs of rows into segments; on equal times earlier runs come first, which
// keeps store order because later runs hold later seqs. The first `split` rows become one
// segment and the rest another, when both are non-empty.
std::vector<Segment> merge_runs(const std::vector<const Segment*>& older, const Segment& newer,
                                const Dictionaries& dictionaries,
                                size_t split = std::numeric_limits<size_t>::max()) {
  size_t total = newer.size();
  for (const Segment* segment : older) total += segment->size();
  if (split >= total) split = 0;
  SegmentBuilder first(dictionaries), second(dictionaries);
  first.reserve(split == 0 ? total : split);
  if (split != 0) second.reserve(total - split);
  size_t appended = 0;
  const auto append = [&](const EventRow& row) {
    (split != 0 && appended >= split ? second : first).append(row);
    ++appended;
  };

  size_t j = 0;
  uint32_t newer_api = 0;
  const auto api = static_cast<uint8_t>(EventKind::kApiRequest);
  const auto take_newer = [&] {
    append(newer.row(j, newer_api));
    newer_api += newer.kind[j] == api;
    ++j;
  };
  for (const Segment* segment : older) {
    uint32_t older_api = 0;
    for (size_t i = 0; i < segment->size(); ++i) {
      while (j < newer.size() && newer.time_ms[j] < segment->time_ms[i]) take_newer();
      append(segment->row(i, older_api));
      older_api += segment->kind[i] == api;
    }
  }
  while (j < newer.size()) take_newer();
  std::vector<Segment> built;
  built.push_back(first.build());
  if (split != 0) built.push_back(second.build());
  return built;
}

// Builds each part's segment on its own thread: sorting, the api figures and the cell indexes
// are a third of a start-up.
std::vector<Segment> build_parts(std::vector<SegmentBuilder>& parts) {
  std::vector<Segment> built(parts.size());
  std::vector<std::exception_ptr> failures(parts.size());
  const auto build = [&](size_t i) {
    try {
      built[i] = parts[i].build();
    } catch (...) {
      failures[i] = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  for (size_t i = 1; i < parts.size(); ++i) workers.emplace_back(build, i);
  if (!parts.empty()) build(0);
  for (std::thread& worker : workers) worker.join();
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
  return built;
}

}  // namespace

Engine::Loaded::Loaded(const std::string& db_path, const std::string& practice_attribute)
    : dictionaries(std::make_shared<Dictionaries>()),
      reader(db_path, *dictionaries, practice_attribute),
      metric_loader(db_path, *dictionaries) {}

std::string default_snapshot_path(const std::string& db_path) {
  return db_path + ".snapshot";
}

Engine::Engine(const std::string& db_path, std::string practice_attribute)
    : Engine(db_path, EngineOptions{std::move(practice_attribute), {}, {}}) {}

Engine::Engine(const std::string& db_path, EngineOptions options)
    : db_path_(db_path),
      practice_attribute_(options.practice_attribute),
      options_(std::move(options)),
      loaded_(std::make_unique<Loaded>(db_path_, practice_attribute_)) {
  const auto started = std::chrono::steady_clock::now();
  // Read before any row: a deletion after it shows as a change, and the next refresh reloads.
  loaded_->retention_version = loaded_->reader.state().retention_version;
  start_.from_snapshot_file = !options_.snapshot_path.empty() && load_snapshot_file();
  if (!start_.from_snapshot_file) current_.store(empty_snapshot(*loaded_, 0));
  retention_version_.store(loaded_->retention_version);
  start_.events_from_file = snapshot()->events;
  refresh();
  const uint64_t events = snapshot()->events;
  start_.events_from_store =
      events >= start_.events_from_file ? events - start_.events_from_file : events;
  start_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // The load's builders and read buffers are gone: give their pages back to the system.
  malloc_trim(0);
}

void Engine::log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::fprintf(stderr, "ccanalytics: %s\n", line.c_str());
  }
}

bool Engine::load_snapshot_file() {
  const std::string& path = options_.snapshot_path;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return false;  // none yet: nothing to say
  const auto refuse = [&](const std::string& why) {
    log("snapshot file " + path + " not used (" + why + "); loading the store instead");
    return false;
  };
  try {
    const StoreState state = loaded_->reader.state();
    const SnapshotFileKey key = read_snapshot_file_key(path);
    if (key.practice_attribute != practice_attribute_)
      return refuse("written with another --practice-attribute");
    if (key.schema_version != loaded_->reader.schema_version())
      return refuse("written for another schema version");
    if (key.retention_version != state.retention_version)
      return refuse("rows were deleted from the store after it was written");
    if (key.last_seq > state.max_seq ||
        key.fingerprint != loaded_->reader.fingerprint(key.last_seq))
      return refuse("the store does not hold the rows it was written from");
    SnapshotFileData data = read_snapshot_file(path, *loaded_->dictionaries);
    if (data.key.last_seq != key.last_seq || data.key.fingerprint != key.fingerprint ||
        data.key.retention_version != key.retention_version ||
        data.key.schema_version != key.schema_version ||
        data.key.practice_attribute != key.practice_attribute)
      throw std::runtime_error("replaced while being read");
    auto base = empty_snapshot(*loaded_, 0);
    base->last_seq = data.key.last_seq;
    base->events = data.events;
    base->segments = std::move(data.segments);
    loaded_->latest_hints = std::move(data.latest_hints);
    loaded_->retention_version = key.retention_version;
    current_.store(std::move(base));
    file_last_seq_.store(key.last_seq);
    file_retention_version_.store(key.retention_version);
    file_events_.store(data.events);
    return true;
  } catch (const std::exception& failure) {
    // The dictionaries may hold part of the file: start over with fresh ones.
    loaded_ = std::make_unique<Loaded>(db_path_, practice_attribute_);
    loaded_->retention_version = loaded_->reader.state().retention_version;
    return refuse(failure.what());
  }
}

bool Engine::write_snapshot() {
  if (options_.snapshot_path.empty()) return false;
  std::lock_guard write_lock(write_mutex_);
  const auto started = std::chrono::steady_clock::now();
  SnapshotFileData data;
  std::shared_ptr<const Snapshot> current;
  {
    std::lock_guard lock(refresh_mutex_);
    current = snapshot();
    data.latest_hints = loaded_->latest_hints;
    data.key.retention_version = loaded_->retention_version;
  }
  if (current->events == 0) return false;
  data.key.last_seq = current->last_seq;
  data.key.practice_attribute = practice_attribute_;
  data.events = current->events;
  data.segments = current->segments;
  const std::string& path = options_.snapshot_path;
  try {
    store::Database db(db_path_, store::Database::Access::kReadEvenIfReadOnly);
    data.key.schema_version = db.query_int("PRAGMA user_version");
    data.key.fingerprint = store_fingerprint(db, data.key.last_seq);
    // After the fingerprint: rows deleted before it was taken show here, and the file would
    // never match.
    const int64_t retention_version =
        db.query_int("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'retention_version'");
    if (retention_version != data.key.retention_version || data.key.fingerprint == 0) {
      log("snapshot file " + path + " not written: rows were deleted from the store meanwhile");
      return false;
    }
    write_snapshot_file(path, data, *current->dictionaries);
  } catch (const std::exception& failure) {
    log("snapshot file not written: " + std::string(failure.what()));
    return false;
  }
  file_last_seq_.store(data.key.last_seq);
  file_retention_version_.store(data.key.retention_version);
  file_events_.store(data.events);
  std::error_code error;
  const auto bytes = std::filesystem::file_size(path, error);
  char line[160];
  std::snprintf(line, sizeof line, " (%llu events, %.0f MB) in %.2f s",
                static_cast<unsigned long long>(data.events),
                error ? 0.0 : static_cast<double>(bytes) / 1e6,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  log("wrote snapshot file " + path + line);
  return true;
}

uint64_t Engine::events_not_in_snapshot_file() const {
  const uint64_t events = snapshot()->events;
  if (file_retention_version_.load() != retention_version_.load()) return events;
  const uint64_t in_file = file_events_.load();
  return events >= in_file ? events - in_file : events;
}

Engine::~Engine() = default;

std::shared_ptr<Snapshot> Engine::empty_snapshot(const Loaded& loaded, uint64_t version) const {
  auto empty = std::make_shared<Snapshot>();
  empty->version = version;
  empty->dictionaries = loaded.dictionaries;
  empty->metrics = loaded.metric_loader.empty();
  auto no_directory = std::make_shared<Directory>();
  no_directory->version = -1;  // differs from any store's, so the first refresh reads it
  empty->directory = std::move(no_directory);
  return empty;
}

void Engine::note_latest_hints(Loaded& loaded, const Segment& segment) {
  std::vector<LatestHint>& latest_hints = loaded.latest_hints;
  if (latest_hints.size() < loaded.dictionaries->user.size())
    latest_hints.resize(loaded.dictionaries->user.size());
  for (size_t i = 0; i < segment.size(); ++i) {
    const uint32_t hint = segment.practice_hint[i];
    LatestHint& latest = latest_hints[segment.user[i]];
    if (hint != 0 && segment.time_ms[i] >= latest.time_ms) latest = {segment.time_ms[i], hint};
  }
}

std::vector<std::shared_ptr<const Segment>> Engine::add_segment(
    std::vector<std::shared_ptr<const Segment>> segments, Segment fresh, bool compact,
    const Dictionaries& dictionaries) {
  size_t first_overlapping = segments.size();
  while (first_overlapping > 0 && segments[first_overlapping - 1]->last_time() > fresh.first_time())
    --first_overlapping;
  if (first_overlapping < segments.size()) {
    // Held until merged: `segments` may own them alone (the parts of one load), and it lets go
    // of them below, before the merge.
    const std::vector<std::shared_ptr<const Segment>> merging(
        segments.begin() + static_cast<std::ptrdiff_t>(first_overlapping), segments.end());
    std::vector<const Segment*> older;
    size_t total = fresh.size();
    for (const auto& segment : merging) {
      older.push_back(segment.get());
      total += segment->size();
    }
    // Everything but the newest rows goes to a segment of its own, which the next late batch
    // is unlikely to overlap.
    const size_t split = total > 2 * kNewestRows ? total - kNewestRows : 0;
    segments.resize(first_overlapping);
    for (Segment& merged : merge_runs(older, fresh, dictionaries, split))
      segments.push_back(std::make_shared<const Segment>(std::move(merged)));
  } else {
    segments.push_back(std::make_shared<const Segment>(std::move(fresh)));
  }

  // Keep each segment more than twice the size of the next, but the newest: few segments,
  // amortised copying, and the rows late batches overlap kept small.
  while (compact && segments.size() >= 3 &&
         segments[segments.size() - 3]->size() <= 2 * segments[segments.size() - 2]->size()) {
    const size_t n = segments.size();
    std::vector<Segment> merged =
        merge_runs({segments[n - 3].get()}, *segments[n - 2], dictionaries);
    segments[n - 3] = std::make_shared<const Segment>(std::move(merged.front()));
    segments.erase(segments.begin() + static_cast<std::ptrdiff_t>(n - 2));
  }
  // The newest segment joins the others once it is no longer small.
  while (compact && segments.size() >= 2 && segments.back()->size() > kNewestRows &&
         segments[segments.size() - 2]->size() <= 2 * segments.back()->size()) {
    std::vector<Segment> merged =
        merge_runs({segments[segments.size() - 2].get()}, *segments.back(), dictionaries);
    segments.pop_back();
    segments.back() = std::make_shared<const Segment>(std::move(merged.front()));
  }
  return segments;
}

std::shared_ptr<Snapshot> Engine::load_changes(Loaded& loaded, const Snapshot& base,
                                               const StoreState& state) const {
  const bool new_events = state.max_seq > base.last_seq;
  const bool new_directory = state.directory_version != base.directory->version;
  const bool new_metrics = loaded.metric_loader.max_seq() > base.metrics->last_seq;
  if (!new_events && !new_directory && !new_metrics) return nullptr;

  auto next = std::make_shared<Snapshot>(base);
  next->version = base.version + 1;
  if (new_directory)
    next->directory = std::make_shared<const Directory>(loaded.reader.read_directory());
  if (new_events) {
    std::vector<SegmentBuilder> parts =
        loaded.reader.read_events(base.last_seq, state.max_seq, kLoadThreads);
    next->last_seq = state.max_seq;
    const bool one_part = parts.size() == 1;
    for (Segment& fresh : build_parts(parts)) {
      if (fresh.size() == 0) continue;
      next->events += fresh.size();
      note_latest_hints(loaded, fresh);
      next->segments =
          add_segment(std::move(next->segments), std::move(fresh), one_part, *loaded.dictionaries);
    }
  }
  if (new_metrics) next->metrics = loaded.metric_loader.load_after(*base.metrics);
  next->users = resolve_users(*next->directory, *loaded.dictionaries, loaded.latest_hints);
  return next;
}

void Engine::publish(std::shared_ptr<Snapshot> next) {
  const uint64_t version = next->version;
  current_.store(std::move(next), std::memory_order_release);
  version_.store(version, std::memory_order_release);
}

bool Engine::refresh() {
  std::lock_guard lock(refresh_mutex_);
  const std::shared_ptr<const Snapshot> current = snapshot();
  const StoreState state = loaded_->reader.state();
  if (state.retention_version != loaded_->retention_version) {
    // Rows were deleted: load everything again, beside the snapshot queries are reading.
    auto fresh = std::make_unique<Loaded>(db_path_, practice_attribute_);
    fresh->retention_version = state.retention_version;
    std::shared_ptr<Snapshot> next =
        load_changes(*fresh, *empty_snapshot(*fresh, current->version), state);
    loaded_ = std::move(fresh);
    retention_version_.store(state.retention_version);
    publish(std::move(next));  // never null: the empty snapshot's directory is always stale
    malloc_trim(0);  // the old snapshot's pages, once its last reader lets go, and the builders'
    return true;
  }
  std::shared_ptr<Snapshot> next = load_changes(*loaded_, *current, state);
  if (!next) return false;
  publish(std::move(next));
  return true;
}

}  // namespace cca::engine
