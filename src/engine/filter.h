#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/snapshot.h"

namespace cca::engine {

// The filters every analytics query takes. Empty lists do not filter; a list matches an event
// when any of its values does; different lists all apply.
struct Filter {
  std::optional<int64_t> from_ms;  // inclusive
  std::optional<int64_t> to_ms;    // exclusive
  std::vector<std::string> practice, level, location, model, email, terminal;
};

// A Filter resolved against one snapshot into lookup tables indexed by dictionary code, so that
// testing a row costs a few array reads.
class RowFilter {
 public:
  RowFilter(const Snapshot& snapshot, const Filter& filter);

  // The rows of a segment inside the time range.
  std::pair<size_t, size_t> row_range(const Segment& segment) const;

  bool accepts(const Segment& s, size_t row) const {
    const uint8_t user = user_verdict_[s.user[row]];
    if (user == kReject) return false;
    if (user == kCheckHint && !hint_accepted_[s.practice_hint[row]]) return false;
    if (!terminal_accepted_.empty() && !terminal_accepted_[s.terminal[row]]) return false;
    if (!model_accepted_.empty() && !model_accepted_[s.model[row]]) return false;
    return true;
  }

  // Whether the filter accepts any user at all (when not, queries can skip scanning).
  bool accepts_some_user() const { return accepts_some_user_; }

 private:
  // Per user: the user-level filters decide outright, except practice for users the directory
  // does not list, whose events each carry their own practice hint.
  static constexpr uint8_t kReject = 0, kAccept = 1, kCheckHint = 2;

  int64_t from_ms_, to_ms_;
  std::vector<uint8_t> user_verdict_;
  std::vector<uint8_t> hint_accepted_;      // by practice code; [0] is "no hint" (Unknown)
  std::vector<uint8_t> terminal_accepted_;  // empty: no terminal filter
  std::vector<uint8_t> model_accepted_;     // empty: no model filter
  bool accepts_some_user_ = false;
};

// Builds a table by code with 1 for the codes of the listed values that the dictionary knows.
std::vector<uint8_t> accepted_codes(const Dictionary& dictionary,
                                    const std::vector<std::string>& values);

}  // namespace cca::engine
