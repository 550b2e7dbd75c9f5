#include "engine/filter.h"

#include <algorithm>
#include <limits>

#include "engine/ascii_lower.h"

namespace cca::engine {

namespace {

// A table by code with 1 for the codes of the listed values that the dictionary knows.
std::vector<uint8_t> accepted_codes(const Dictionary& dictionary,
                                    const std::vector<std::string>& values) {
  std::vector<uint8_t> accepted(dictionary.size(), 0);
  for (const std::string& value : values) {
    const auto code = dictionary.find(value);
    // Nothing is absent "on purpose": an empty value matches no event.
    if (code && *code != Dictionary::kAbsent && *code < accepted.size()) accepted[*code] = 1;
  }
  return accepted;
}

}  // namespace

RowFilter::RowFilter(const Snapshot& snapshot, const Filter& filter)
    : from_ms_(filter.from_ms.value_or(std::numeric_limits<int64_t>::min())),
      to_ms_(filter.to_ms.value_or(std::numeric_limits<int64_t>::max())) {
  const Dictionaries& d = snapshot.dict();
  if (!filter.terminal.empty()) terminal_accepted_ = accepted_codes(d.terminal, filter.terminal);
  if (!filter.model.empty()) model_accepted_ = accepted_codes(d.model, filter.model);
  if (!filter.tool.empty()) tool_accepted_ = accepted_codes(d.tool, filter.tool);
  if (!filter.status_code.empty())
    status_accepted_ = accepted_codes(d.status_code, filter.status_code);
  if (!filter.error.empty()) error_accepted_ = accepted_codes(d.error, filter.error);
  if (!filter.attributes.empty()) {
    // A set passes when, for every filtered key, it holds one of that key's values.
    for (const auto& [key, values] : filter.attributes) {
      const auto key_code = d.attributes.keys.find(key);
      const std::vector<uint32_t> value_of =
          d.attributes.values_of(key_code ? *key_code : Dictionary::kAbsent);
      const std::vector<uint8_t> value_ok = accepted_codes(d.attributes.values, values);
      if (attributes_accepted_.empty()) attributes_accepted_.assign(value_of.size(), 1);
      for (size_t set = 0; set < attributes_accepted_.size(); ++set) {
        const uint32_t value = set < value_of.size() ? value_of[set] : 0;
        if (value >= value_ok.size() || !value_ok[value]) attributes_accepted_[set] = 0;
      }
    }
  }

  const bool by_practice = !filter.practice.empty() || !filter.scope_practices.empty();
  if (by_practice) {
    hint_accepted_ = filter.practice.empty() ? std::vector<uint8_t>(d.practice.size(), 1)
                                             : accepted_codes(d.practice, filter.practice);
    if (!filter.scope_practices.empty()) {
      const std::vector<uint8_t> in_scope = accepted_codes(d.practice, filter.scope_practices);
      for (size_t code = 0; code < hint_accepted_.size(); ++code)
        hint_accepted_[code] &= in_scope[code];
    }
    hint_accepted_[Dictionary::kAbsent] = hint_accepted_[d.unknown_practice];
  }
  const std::vector<uint8_t> practice_ok = hint_accepted_;
  const std::vector<uint8_t> level_ok =
      filter.level.empty() ? std::vector<uint8_t>() : accepted_codes(d.level, filter.level);
  const std::vector<uint8_t> location_ok = filter.location.empty()
                                               ? std::vector<uint8_t>()
                                               : accepted_codes(d.location, filter.location);
  std::vector<uint8_t> email_ok;
  if (!filter.email.empty()) {
    std::vector<std::string> lowered;
    for (const std::string& email : filter.email) lowered.push_back(ascii_lower(email));
    email_ok = accepted_codes(d.user, lowered);
  }

  const auto passes = [](const std::vector<uint8_t>& table, uint32_t code) {
    return table.empty() || (code < table.size() && table[code]);
  };
  user_verdict_.assign(snapshot.user_codes(), kReject);
  for (uint32_t code = 0; code < user_verdict_.size(); ++code) {
    const UserAttributes& user = snapshot.users[code];
    if (!passes(level_ok, user.level) || !passes(location_ok, user.location) ||
        !passes(email_ok, code))
      continue;
    if (!by_practice) {
      user_verdict_[code] = kAccept;
    } else if (user.directory_practice != 0) {
      user_verdict_[code] = passes(practice_ok, user.directory_practice) ? kAccept : kReject;
    } else {
      user_verdict_[code] = kCheckHint;
    }
    accepts_some_user_ = accepts_some_user_ || user_verdict_[code] != kReject;
  }
}

std::pair<size_t, size_t> RowFilter::row_range(const Segment& segment) const {
  return rows_between(segment, from_ms_, to_ms_);
}

std::pair<size_t, size_t> RowFilter::rows_between(const Segment& segment, int64_t from,
                                                  int64_t to) const {
  from = std::max(from, from_ms_);
  to = std::min(to, to_ms_);
  const auto& time = segment.time_ms;
  if (from >= to) return {0, 0};
  const auto begin = std::lower_bound(time.begin(), time.end(), from);
  const auto end = std::lower_bound(begin, time.end(), to);
  return {static_cast<size_t>(begin - time.begin()), static_cast<size_t>(end - time.begin())};
}

}  // namespace cca::engine
