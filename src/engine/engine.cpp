#include "engine/engine.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <thread>
#include <utility>

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

Engine::Engine(const std::string& db_path, std::string practice_attribute)
    : db_path_(db_path),
      practice_attribute_(std::move(practice_attribute)),
      loaded_(std::make_unique<Loaded>(db_path_, practice_attribute_)) {
  // Read before any row: a deletion after it shows as a change, and the next refresh reloads.
  loaded_->retention_version = loaded_->reader.state().retention_version;
  current_.store(empty_snapshot(*loaded_, 0));
  refresh();
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
    publish(std::move(next));  // never null: the empty snapshot's directory is always stale
    return true;
  }
  std::shared_ptr<Snapshot> next = load_changes(*loaded_, *current, state);
  if (!next) return false;
  publish(std::move(next));
  return true;
}

}  // namespace cca::engine
