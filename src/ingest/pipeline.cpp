#include "ingest/pipeline.h"

#include <sys/resource.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "ingest/cloudwatch_parser.h"

namespace cca::ingest {
namespace {

struct WorkItem {
  Chunk chunk;
  EventBatch batch;
};

// The pipeline's shared state; one mutex guards it all (hand-offs are per 1 MB chunk, so
// contention is negligible against the parse and write work).
class Stages {
 public:
  explicit Stages(size_t items) {
    for (size_t i = 0; i < items; ++i) {
      pool_.push_back(std::make_unique<WorkItem>());
      free_.push_back(pool_.back().get());
    }
  }

  WorkItem* take_free() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !free_.empty() || failed_; });
    if (failed_) return nullptr;
    WorkItem* item = free_.front();
    free_.pop_front();
    return item;
  }

  void give_free(WorkItem* item) {
    std::lock_guard lock(mutex_);
    free_.push_back(item);
    changed_.notify_all();
  }

  void push_to_parse(WorkItem* item) {
    std::lock_guard lock(mutex_);
    to_parse_.push_back(item);
    changed_.notify_all();
  }

  // nullptr when input is over or the pipeline failed.
  WorkItem* take_to_parse() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !to_parse_.empty() || input_done_ || failed_; });
    if (failed_ || to_parse_.empty()) return nullptr;
    WorkItem* item = to_parse_.front();
    to_parse_.pop_front();
    return item;
  }

  void push_parsed(WorkItem* item) {
    std::lock_guard lock(mutex_);
    parsed_.emplace(item->chunk.sequence, item);
    changed_.notify_all();
  }

  // The next batch in input order; nullptr when all are written or the pipeline failed.
  WorkItem* take_next_parsed() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] {
      return failed_ || parsed_.count(next_to_write_) ||
             (input_done_ && next_to_write_ == chunks_total_);
    });
    if (failed_ || (input_done_ && next_to_write_ == chunks_total_)) return nullptr;
    WorkItem* item = parsed_[next_to_write_];
    parsed_.erase(next_to_write_++);
    return item;
  }

  void input_done(uint64_t chunks_total) {
    std::lock_guard lock(mutex_);
    input_done_ = true;
    chunks_total_ = chunks_total;
    changed_.notify_all();
  }

  void fail(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = error;
    failed_ = true;
    changed_.notify_all();
  }

  std::exception_ptr error() {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::unique_ptr<WorkItem>> pool_;
  std::deque<WorkItem*> free_, to_parse_;
  std::map<uint64_t, WorkItem*> parsed_;
  uint64_t next_to_write_ = 0;
  uint64_t chunks_total_ = 0;
  bool input_done_ = false;
  bool failed_ = false;
  std::exception_ptr error_;
};

}  // namespace

void run_cloudwatch_pipeline(ChunkReader& reader, const PipelineOptions& options,
                             const std::function<void(EventBatch&)>& write) {
  const unsigned parse_threads = std::max(1u, options.parse_threads);
  Stages stages(2 * parse_threads + 2);

  std::vector<std::thread> parsers;
  for (unsigned i = 0; i < parse_threads; ++i) {
    parsers.emplace_back([&stages] {
      // The single writer is the critical path; parsers run ahead (the queue is bounded) and
      // should only take the CPU it leaves. A lower priority gives it a core whenever it has work.
      setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 5);
      std::unique_ptr<CloudWatchParser> parser = make_cloudwatch_parser();
      try {
        while (WorkItem* item = stages.take_to_parse()) {
          item->batch.clear();
          item->batch.sequence = item->chunk.sequence;
          parser->parse_chunk(item->chunk.buffer.data(), item->chunk.size, item->chunk.first_line,
                             item->batch);
          for (EventRecord& event : item->batch.events) compute_client_key(event);
          stages.push_parsed(item);
        }
      } catch (...) {
        stages.fail(std::current_exception());
      }
    });
  }
  std::thread writer([&stages, &write] {
    try {
      while (WorkItem* item = stages.take_next_parsed()) {
        write(item->batch);
        stages.give_free(item);
      }
    } catch (...) {
      stages.fail(std::current_exception());
    }
  });

  try {
    uint64_t chunks = 0;
    while (WorkItem* item = stages.take_free()) {
      if (!reader.next(item->chunk)) {
        stages.give_free(item);
        break;
      }
      ++chunks;
      stages.push_to_parse(item);
    }
    stages.input_done(chunks);
  } catch (...) {
    stages.fail(std::current_exception());
  }

  for (std::thread& t : parsers) t.join();
  writer.join();
  if (std::exception_ptr error = stages.error()) std::rethrow_exception(error);
}

}  // namespace cca::ingest
