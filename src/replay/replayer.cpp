#include "replay/replayer.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <thread>

#include "replay/cloudwatch_events.h"
#include "replay/log_request.h"
#include "replay/otlp_sender.h"

namespace cca::replay {
namespace {

using Clock = std::chrono::steady_clock;

// Maps the files' clock to the wall clock: the first event is sent at once, the rest at
// `speed` times the pace they were recorded at.
class Pace {
 public:
  Pace(double speed, Clock::time_point start) : speed_(speed), start_(start) {}

  void anchor(int64_t first_ms) {
    std::call_once(anchored_, [&] { first_ms_ = first_ms; });
  }

  // When an item stamped `ms` is due; nullopt when pacing is off.
  std::optional<Clock::time_point> due(int64_t ms) const {
    if (speed_ <= 0) return std::nullopt;
    const double offset_ms = static_cast<double>(ms - first_ms_) / speed_;
    return start_ + std::chrono::microseconds(static_cast<int64_t>(offset_ms * 1000));
  }

 private:
  double speed_;
  Clock::time_point start_;
  std::once_flag anchored_;
  int64_t first_ms_ = 0;
};

// A bounded hand-over from the reader to one exporter, so memory stays flat on any file size.
class EventQueue {
 public:
  explicit EventQueue(size_t capacity) : capacity_(capacity) {}

  void push(ReplayEvent&& event) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(event));
    not_empty_.notify_one();
  }

  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

  std::optional<ReplayEvent> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    ReplayEvent event = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return event;
  }

 private:
  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<ReplayEvent> items_;
  bool closed_ = false;
};

// Tallies of all senders.
class Tally {
 public:
  void add(const SendOutcome& outcome, uint64_t items, bool metrics) {
    std::lock_guard lock(mutex_);
    ++report_.requests;
    report_.retries += outcome.retries;
    if (metrics) ++report_.metric_requests;
    if (!outcome.delivered) {
      ++report_.failures;
      if (!metrics) report_.records_failed += items;
      std::cerr << "replay: gave up on a " << (metrics ? "metrics" : "logs") << " export of "
                << items << (metrics ? " lines" : " records") << ": " << outcome.error << "\n";
      return;
    }
    if (!metrics) {
      report_.records_sent += items - std::min(items, outcome.rejected);
      report_.records_rejected += outcome.rejected;
    }
  }

  ReplayReport take() { return report_; }

 private:
  std::mutex mutex_;
  ReplayReport report_;
};

// Gathers one exporter's events, in the order given, into batches of up to `limit` records, and
// hands each to `send`: when it is full, and the rest on flush().
class Batcher {
 public:
  using Send = std::function<void(const std::vector<ReplayEvent>&)>;

  Batcher(size_t limit, Send send) : limit_(std::max<size_t>(limit, 1)), send_(std::move(send)) {}

  void add(ReplayEvent&& event) {
    batch_.push_back(std::move(event));
    if (batch_.size() >= limit_) flush();
  }

  void flush() {
    if (batch_.empty()) return;
    send_(batch_);
    batch_.clear();
  }

 private:
  size_t limit_;
  Send send_;
  std::vector<ReplayEvent> batch_;
};

// Reads the telemetry files in order, handing each event to the exporter that takes its session.
void read_events(const ReplayOptions& options, size_t exporters,
                 const std::function<void(size_t exporter, ReplayEvent&&)>& take) {
  const std::hash<std::string> hash;
  for (const std::string& path : options.telemetry_files)
    read_cloudwatch_events(path, [&](ReplayEvent&& event) {
      const size_t exporter = hash(event.session) % exporters;
      take(exporter, std::move(event));
    });
}

void run_exporter(const ReplayOptions& options, const Pace& pace, EventQueue& queue, Tally& tally) {
  const auto sender = make_sender(options);
  Batcher batcher(options.batch, [&](const std::vector<ReplayEvent>& batch) {
    tally.add(sender->export_logs(logs_request(batch)), batch.size(), false);
  });
  while (std::optional<ReplayEvent> event = queue.pop()) {
    if (const auto due = pace.due(event->time_ms); due && *due > Clock::now()) {
      batcher.flush();  // what is due goes now, not when the next event is
      std::this_thread::sleep_until(*due);
    }
    batcher.add(std::move(*event));
  }
  batcher.flush();
}

// A logs request built before the clock starts (preload), and how many records it holds.
struct BuiltRequest {
  opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest request;
  size_t records = 0;
};

// Every exporter's logs requests, the ones its run_exporter would send unpaced.
std::vector<std::vector<BuiltRequest>> build_requests(const ReplayOptions& options,
                                                      size_t exporters) {
  std::vector<std::vector<BuiltRequest>> requests(exporters);
  std::vector<Batcher> batchers;
  batchers.reserve(exporters);
  for (size_t i = 0; i < exporters; ++i)
    batchers.emplace_back(options.batch, [&requests, i](const std::vector<ReplayEvent>& batch) {
      requests[i].push_back({logs_request(batch), batch.size()});
    });
  read_events(options, exporters, [&](size_t exporter, ReplayEvent&& event) {
    batchers[exporter].add(std::move(event));
  });
  for (Batcher& batcher : batchers) batcher.flush();
  return requests;
}

void send_built(const ReplayOptions& options, const std::vector<BuiltRequest>& requests,
                Tally& tally) {
  const auto sender = make_sender(options);
  for (const BuiltRequest& built : requests)
    tally.add(sender->export_logs(built.request), built.records, false);
}

// The earliest point time of an OTLP/JSON metrics export, in ms; nullopt without points.
std::optional<int64_t> metrics_time_ms(const std::string& line) {
  const nlohmann::json request = nlohmann::json::parse(line);
  std::optional<int64_t> earliest;
  for (const auto& resource : request.value("resourceMetrics", nlohmann::json::array()))
    for (const auto& scope : resource.value("scopeMetrics", nlohmann::json::array()))
      for (const auto& metric : scope.value("metrics", nlohmann::json::array()))
        for (const auto& [kind, data] : metric.items()) {
          if (!data.is_object() || !data.contains("dataPoints")) continue;
          for (const auto& point : data["dataPoints"]) {
            const auto& time = point.value("timeUnixNano", nlohmann::json());
            const int64_t ms =
                (time.is_string() ? std::stoll(time.get<std::string>()) : time.get<int64_t>()) /
                1'000'000;
            earliest = earliest ? std::min(*earliest, ms) : ms;
          }
        }
  return earliest;
}

void run_metrics(const ReplayOptions& options, const Pace& pace, Tally& tally) {
  const auto sender = make_sender(options);
  for (const std::string& path : options.metrics_files) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      if (options.speed > 0) {
        if (const auto ms = metrics_time_ms(line))
          if (const auto due = pace.due(*ms)) std::this_thread::sleep_until(*due);
      }
      tally.add(sender->export_metrics(line), 1, true);
    }
  }
}

}  // namespace

ReplayReport replay(const ReplayOptions& options) {
  if (options.preload && options.speed > 0)
    throw std::invalid_argument(
        "preload sends without pacing: give --as-fast-as-possible (speed 0), not --speed");
  const size_t exporters = static_cast<size_t>(std::max(options.exporters, 1));
  // With preload the logs requests are all built before the clock starts; else a reader streams
  // the events to the exporters through bounded queues while they send.
  std::vector<std::vector<BuiltRequest>> built;
  std::vector<std::unique_ptr<EventQueue>> queues;
  if (options.preload) {
    built = build_requests(options, exporters);
    size_t requests = 0;
    for (const auto& mine : built) requests += mine.size();
    // A load test starts its own clocks (server CPU time, concurrent queries) on this line.
    std::cerr << "replay: " << requests << " requests built; sending" << std::endl;
  } else {
    for (size_t i = 0; i < exporters; ++i)
      queues.push_back(std::make_unique<EventQueue>(std::max<size_t>(options.batch * 4, 1024)));
  }

  Tally tally;
  const auto started = Clock::now();
  Pace pace(options.speed, started);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < exporters; ++i)
    threads.emplace_back([&, i] {
      if (options.preload)
        send_built(options, built[i], tally);
      else
        run_exporter(options, pace, *queues[i], tally);
    });

  // Metrics are paced on the clock of the logs: the first log event anchors both, so a metrics
  // sender waits until the logs have started (with preload, unpaced, they have).
  bool anchored = options.preload || options.telemetry_files.empty();
  std::mutex anchor_mutex;
  std::condition_variable anchor_set;
  std::exception_ptr metrics_error;
  std::thread metrics_thread;
  if (!options.metrics_files.empty())
    metrics_thread = std::thread([&] {
      {
        std::unique_lock lock(anchor_mutex);
        anchor_set.wait(lock, [&] { return anchored; });
      }
      try {
        run_metrics(options, pace, tally);
      } catch (...) {
        metrics_error = std::current_exception();
      }
    });

  std::exception_ptr read_error;
  if (!options.preload) {
    try {
      read_events(options, exporters, [&](size_t exporter, ReplayEvent&& event) {
        if (!anchored) {
          pace.anchor(event.time_ms);
          std::lock_guard lock(anchor_mutex);
          anchored = true;
          anchor_set.notify_all();
        }
        queues[exporter]->push(std::move(event));
      });
    } catch (...) {
      read_error = std::current_exception();
    }
  }
  {
    std::lock_guard lock(anchor_mutex);
    anchored = true;
    anchor_set.notify_all();
  }
  for (auto& queue : queues) queue->close();
  for (auto& thread : threads) thread.join();
  if (metrics_thread.joinable()) metrics_thread.join();
  if (read_error) std::rethrow_exception(read_error);
  if (metrics_error) std::rethrow_exception(metrics_error);

  ReplayReport report = tally.take();
  report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return report;
}

}  // namespace cca::replay
