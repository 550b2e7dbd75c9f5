#include "engine/engine.h"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <mutex>
#include <queue>
#include <stdexcept>
#include <utility>

#include "engine/parallel.h"
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
std::vector<Segment> merge_runs(const std::vector<const Segment*>& runs,
                                const Dictionaries& dictionaries,
                                size_t split = std::numeric_limits<size_t>::max()) {
  size_t total = 0;
  for (const Segment* run : runs) total += run->size();
  if (split >= total) split = 0;
  SegmentBuilder first(dictionaries), second(dictionaries);
  first.reserve(split == 0 ? total : split);
  if (split != 0) second.reserve(total - split);
  size_t appended = 0;
  const auto api = static_cast<uint8_t>(EventKind::kApiRequest);

  // Each run's next row, smallest (time, run) first. A run's rows are taken while they come
  // before every other run's next one: runs that do not overlap cost a heap step each.
  struct Cursor {
    size_t row = 0;
    uint32_t api_rank = 0;
  };
  using Head = std::pair<int64_t, size_t>;
  std::vector<Cursor> cursors(runs.size());
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
  for (size_t r = 0; r < runs.size(); ++r)
    if (runs[r]->size() != 0) heads.emplace(runs[r]->time_ms[0], r);
  while (!heads.empty()) {
    const size_t r = heads.top().second;
    heads.pop();
    const Head limit =
        heads.empty() ? Head{std::numeric_limits<int64_t>::max(), runs.size()} : heads.top();
    const Segment& run = *runs[r];
    Cursor& cursor = cursors[r];
    do {
      (split != 0 && appended >= split ? second : first)
          .append(run.row(cursor.row, cursor.api_rank));
      ++appended;
      cursor.api_rank += run.kind[cursor.row] == api;
      ++cursor.row;
    } while (cursor.row < run.size() && Head{run.time_ms[cursor.row], r} < limit);
    if (cursor.row < run.size()) heads.emplace(run.time_ms[cursor.row], r);
  }
  std::vector<Segment> built;
  built.push_back(first.build());
  if (split != 0) built.push_back(second.build());
  return built;
}

// Builds each part's segment on its own thread: sorting, the api figures and the cell indexes
// are a third of a start-up.
std::vector<Segment> build_parts(std::vector<SegmentBuilder>& parts) {
  std::vector<Segment> built(parts.size());
  run_in_parallel(parts.size(), [&](size_t i) { built[i] = parts[i].build(); });
  return built;
}

// A first load of many rows in memory near its result's: the rows are read in chunks, each
// chunk's rows sorted into time ranges of about segment_rows rows (bounds from a sample of the
// rows' times), and each range's runs merged into a segment of its own once all are read, a
// range's runs let go of as soon as it is built. (Reading every row into builders and merging
// the parts took three times the result for a moment: 27 GB for 100 M events.)
std::vector<Segment> load_by_time(StoreReader& reader, const Dictionaries& dictionaries,
                                  int64_t after_seq, int64_t up_to_seq, size_t segment_rows) {
  constexpr int kTimeSamples = 4096;
  const auto span = static_cast<size_t>(up_to_seq - after_seq);
  const size_t ranges = (span + segment_rows - 1) / segment_rows;
  const std::vector<int64_t> times = reader.sample_times(after_seq, up_to_seq, kTimeSamples);
  std::vector<int64_t> bounds;
  for (size_t i = 1; i < ranges && !times.empty(); ++i) {
    const int64_t bound = times[times.size() * i / ranges];
    if (bounds.empty() || bound > bounds.back()) bounds.push_back(bound);
  }

  struct Run {
    size_t chunk;
    Segment rows;
  };
  std::vector<std::vector<Run>> runs(bounds.size() + 1);  // by time range
  std::mutex runs_mutex;
  reader.read_events_by_time(after_seq, up_to_seq, static_cast<int64_t>(segment_rows), bounds,
                             kLoadThreads,
                             [&](size_t chunk, std::vector<SegmentBuilder>& builders) {
                               for (size_t range = 0; range < builders.size(); ++range) {
                                 if (builders[range].size() == 0) continue;
                                 Segment run = builders[range].build(/*with_indexes=*/false);
                                 std::lock_guard lock(runs_mutex);
                                 runs[range].push_back({chunk, std::move(run)});
                               }
                             });

  std::vector<Segment> segments(runs.size());
  std::atomic<size_t> next_range{0};
  run_in_parallel(static_cast<size_t>(kLoadThreads), [&](size_t) {
    for (size_t range = next_range++; range < runs.size(); range = next_range++) {
      std::vector<Run>& range_runs = runs[range];
      // In seq order, so that rows of equal times keep the store's order.
      std::sort(range_runs.begin(), range_runs.end(),
                [](const Run& a, const Run& b) { return a.chunk < b.chunk; });
      std::vector<const Segment*> in_order;
      for (const Run& run : range_runs) in_order.push_back(&run.rows);
      if (!in_order.empty())
        segments[range] = std::move(merge_runs(in_order, dictionaries).front());
      std::vector<Run>().swap(range_runs);
    }
  });
  return segments;
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
    const Dictionaries& dictionaries, size_t segment_rows) {
  size_t first_overlapping = segments.size();
  while (first_overlapping > 0 && segments[first_overlapping - 1]->last_time() > fresh.first_time())
    --first_overlapping;
  if (first_overlapping < segments.size()) {
    // Held until merged: `segments` may own them alone (the parts of one load), and it lets go
    // of them below, before the merge.
    const std::vector<std::shared_ptr<const Segment>> merging(
        segments.begin() + static_cast<std::ptrdiff_t>(first_overlapping), segments.end());
    std::vector<const Segment*> runs;
    size_t total = fresh.size();
    for (const auto& segment : merging) {
      runs.push_back(segment.get());
      total += segment->size();
    }
    // Everything but the newest rows goes to a segment of its own, which the next late batch
    // is unlikely to overlap.
    const size_t split = total > 2 * kNewestRows ? total - kNewestRows : 0;
    segments.resize(first_overlapping);
    runs.push_back(&fresh);
    for (Segment& merged : merge_runs(runs, dictionaries, split))
      segments.push_back(std::make_shared<const Segment>(std::move(merged)));
  } else {
    segments.push_back(std::make_shared<const Segment>(std::move(fresh)));
  }

  // Keep each segment more than twice the size of the next, but the newest: few segments,
  // amortised copying, and the rows late batches overlap kept small. No compaction makes a
  // segment of more than segment_rows: a merge holds its rows twice, the second time wide.
  const auto mergeable = [&](size_t a, size_t b) {
    return segments[a]->size() <= 2 * segments[b]->size() &&
           segments[a]->size() + segments[b]->size() <= segment_rows;
  };
  while (compact && segments.size() >= 3 && mergeable(segments.size() - 3, segments.size() - 2)) {
    const size_t n = segments.size();
    std::vector<Segment> merged =
        merge_runs({segments[n - 3].get(), segments[n - 2].get()}, dictionaries);
    segments[n - 3] = std::make_shared<const Segment>(std::move(merged.front()));
    segments.erase(segments.begin() + static_cast<std::ptrdiff_t>(n - 2));
  }
  // The newest segment joins the others once it is no longer small.
  while (compact && segments.size() >= 2 && segments.back()->size() > kNewestRows &&
         mergeable(segments.size() - 2, segments.size() - 1)) {
    std::vector<Segment> merged =
        merge_runs({segments[segments.size() - 2].get(), segments.back().get()}, dictionaries);
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
    const size_t segment_rows = std::max<size_t>(options_.segment_rows, 1);
    const auto span = static_cast<size_t>(state.max_seq - base.last_seq);
    std::vector<Segment> fresh_segments;
    bool compact = false;
    if (base.segments.empty() && span > 2 * segment_rows) {
      fresh_segments = load_by_time(loaded.reader, *loaded.dictionaries, base.last_seq,
                                    state.max_seq, segment_rows);
    } else {
      std::vector<SegmentBuilder> parts =
          loaded.reader.read_events(base.last_seq, state.max_seq, kLoadThreads);
      compact = parts.size() == 1;
      fresh_segments = build_parts(parts);
    }
    next->last_seq = state.max_seq;
    for (Segment& fresh : fresh_segments) {
      if (fresh.size() == 0) continue;
      next->events += fresh.size();
      note_latest_hints(loaded, fresh);
      next->segments = add_segment(std::move(next->segments), std::move(fresh), compact,
                                   *loaded.dictionaries, segment_rows);
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
