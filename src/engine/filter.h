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
  // Attributes of single events: only events that carry one of the values match (a tool filter
  // keeps tool_decision and tool_result events of those tools, a status_code or error filter
  // api_error events).
  std::vector<std::string> tool, status_code, error;
  // Custom attributes: (key, accepted values), the key without its "attr." prefix.
  std::vector<std::pair<std::string, std::vector<std::string>>> attributes;
  // The practices the asker may see (a scoped token); empty: all. Unlike `practice`, a question's
  // own filter, it holds for every part of an answer, facets included.
  std::vector<std::string> scope_practices;
};

// A Filter resolved against one snapshot into lookup tables indexed by dictionary code, so that
// testing a row costs a few array reads.
class RowFilter {
 public:
  RowFilter(const Snapshot& snapshot, const Filter& filter);

  // The rows of a segment inside the time range.
  std::pair<size_t, size_t> row_range(const Segment& segment) const;

  bool accepts(const Segment& s, size_t row) const {
    return accepts_event(s.tool[row], s.status_code[row], s.error[row]) &&
           accepts(s.user[row], s.practice_hint[row], s.terminal[row], s.model[row],
                   s.attributes[row]);
  }
  // For a cell of an index whose cells carry every filtered attribute (see choose_cells()).
  bool accepts(const Cell& cell) const {
    return accepts_event(cell.tool, cell.status_code, cell.error) &&
           accepts(cell.user, cell.practice_hint, cell.terminal, cell.model, cell.attributes);
  }

  int64_t from_ms() const { return from_ms_; }
  int64_t to_ms() const { return to_ms_; }
  // The rows of a segment in [from, to) (clipped to the filter's range).
  std::pair<size_t, size_t> rows_between(const Segment& segment, int64_t from, int64_t to) const;

  // Whether the filter accepts any user at all (when not, queries can skip scanning).
  bool accepts_some_user() const { return accepts_some_user_; }
  bool filters_model() const { return !model_accepted_.empty(); }
  bool filters_tool() const { return !tool_accepted_.empty(); }
  // A status code or error filter: only single events carry those attributes.
  bool filters_api_error() const { return !status_accepted_.empty() || !error_accepted_.empty(); }

  // The same test on the codes of rows kept outside segments (metric series), but for the custom
  // attribute filters, which the caller applies to the series' own attributes. Metric points are
  // not API errors: a status code or error filter rejects them all.
  bool accepts_series(uint32_t user_code, uint32_t hint, uint32_t terminal, uint32_t model,
                      uint32_t tool) const {
    return !filters_api_error() && accepts_event(tool, 0, 0) &&
           accepts(user_code, hint, terminal, model);
  }

 private:
  bool accepts(uint32_t user_code, uint32_t hint, uint32_t terminal, uint32_t model) const {
    const uint8_t user = user_verdict_[user_code];
    if (user == kReject) return false;
    if (user == kCheckHint && !hint_accepted_[hint]) return false;
    if (!terminal_accepted_.empty() && !terminal_accepted_[terminal]) return false;
    if (!model_accepted_.empty() && !model_accepted_[model]) return false;
    return true;
  }
  bool accepts(uint32_t user_code, uint32_t hint, uint32_t terminal, uint32_t model,
               uint32_t attributes) const {
    if (!attributes_accepted_.empty() && !attributes_accepted_[attributes]) return false;
    return accepts(user_code, hint, terminal, model);
  }
  // Tables indexed by code hold 0 for the absent code (0), so events without the attribute fail.
  bool accepts_event(uint32_t tool, uint32_t status_code, uint32_t error) const {
    if (!tool_accepted_.empty() && !tool_accepted_[tool]) return false;
    if (!status_accepted_.empty() && !status_accepted_[status_code]) return false;
    if (!error_accepted_.empty() && !error_accepted_[error]) return false;
    return true;
  }

  // Per user: the user-level filters decide outright, except practice for users the directory
  // does not list, whose events each carry their own practice hint.
  static constexpr uint8_t kReject = 0, kAccept = 1, kCheckHint = 2;

  int64_t from_ms_, to_ms_;
  std::vector<uint8_t> user_verdict_;
  std::vector<uint8_t> hint_accepted_;      // by practice code; [0] is "no hint" (Unknown)
  std::vector<uint8_t> terminal_accepted_;  // empty: no terminal filter
  std::vector<uint8_t> model_accepted_;     // empty: no model filter
  std::vector<uint8_t> tool_accepted_, status_accepted_, error_accepted_;  // likewise
  std::vector<uint8_t> attributes_accepted_;  // by attribute set code; empty: no such filter
  bool accepts_some_user_ = false;
};

}  // namespace cca::engine
