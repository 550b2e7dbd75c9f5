#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "generate/buffered_file.h"
#include "generate/random.h"
#include "generate/session.h"
#include "generate/users.h"

namespace cca::generate {

// Writes events, in the order given, as telemetry_logs.jsonl: CloudWatch batches of 1-10 log
// events per line, each event's `message` a JSON object serialised into a string, laid out
// key for key and number for number as in the reference files.
class TelemetryWriter {
 public:
  // The text every event of one session shares, prepared once when the session starts.
  struct SessionText {
    std::string attributes_head;  // after event.timestamp's value, up to event.name's value
    std::string message_tail;     // after the event's own attributes: scope, resource, end
  };
  static SessionText session_text(const User& user, std::string_view session_id);

  // random draws batch sizes and log event ids.
  TelemetryWriter(const std::string& path, Random& random);

  void write(const SessionEvent& event, const SessionText& text);
  // Closes the last batch and moves the file into place.
  void commit();

  uint64_t events() const { return events_; }
  uint64_t batches() const { return batches_; }
  uint64_t bytes() const { return file_.bytes_written(); }

 private:
  BufferedFile file_;
  Random& random_;
  int batch_capacity_ = 0;
  int batch_size_ = 0;
  int64_t batch_first_ms_ = 0;
  uint64_t events_ = 0;
  uint64_t batches_ = 0;
};

}  // namespace cca::generate
