#include "server/metric_json.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

namespace cca::server {
namespace {

constexpr size_t kFields = engine::kMetricCount;
// Longest key ("cost_per_1k_output_tokens") with quotes, colon and comma, plus the longest number.
constexpr size_t kFieldBytes = 32 + 32;

// "\"events\":" and so on, in the order of engine::all_metrics(), built once: answers write these
// keys tens of thousands of times.
const std::array<std::string, kFields>& encoded_keys() {
  static const std::array<std::string, kFields> keys = [] {
    std::array<std::string, kFields> built;
    size_t i = 0;
    for (const engine::Metric metric : engine::all_metrics()) {
      const std::string_view name = engine::metric_name(metric);
      std::string key(name.size() + 3, '"');
      name.copy(key.data() + 1, name.size());
      key[name.size() + 2] = ':';
      built[i++] = std::move(key);
    }
    return built;
  }();
  return keys;
}

// Writes straight into the output: a timeseries writes hundreds of thousands of fields, and the
// bookkeeping of a writer call per field would cost more than the numbers.
class FieldWriter {
 public:
  FieldWriter(char* out, const MetricFields& fields) : p_(out), fields_(fields) {}

  void count(uint64_t value) {
    if (!next()) return;
    p_ = std::to_chars(p_, p_ + 24, value).ptr;
  }
  void number(double value) {
    if (!next()) return;
    write_number(value);
  }
  void ratio(double numerator, double denominator) {
    if (!next()) return;
    if (denominator == 0) {
      null_value();
    } else {
      write_number(numerator / denominator);
    }
  }
  void null_field() {
    if (next()) null_value();
  }
  char* end() const { return p_; }

 private:
  // Moves to the next field; writes its key and answers true when the answer carries it.
  bool next() {
    const size_t field = field_++;
    if (!fields_[field]) return false;
    if (written_++ > 0) *p_++ = ',';
    const std::string& key = encoded_keys()[field];
    std::memcpy(p_, key.data(), key.size());
    p_ += key.size();
    return true;
  }
  void write_number(double value) {
    // Token sums are whole numbers: integer text is the same below 1e15 and much faster.
    if (std::abs(value) < 1e15 && value == std::trunc(value)) {
      p_ = std::to_chars(p_, p_ + 24, static_cast<int64_t>(value)).ptr;
    } else if (std::isfinite(value)) {
      p_ = std::to_chars(p_, p_ + 32, value).ptr;
    } else {
      null_value();
    }
  }
  void null_value() {
    std::memcpy(p_, "null", 4);
    p_ += 4;
  }

  char* p_;
  const MetricFields& fields_;
  size_t field_ = 0;
  size_t written_ = 0;
};

}  // namespace

void write_metrics(JsonWriter& json, const engine::MetricSet& m, const MetricFields& fields) {
  // Field by field rather than through engine::metric_value(); a test holds the two together.
  using engine::EventKind;
  FieldWriter out(json.begin_raw(kFields * kFieldBytes), fields);
  const auto decisions = static_cast<double>(m.count(EventKind::kToolDecision));
  const auto results = static_cast<double>(m.count(EventKind::kToolResult));
  const auto requests = static_cast<double>(m.count(EventKind::kApiRequest));
  const auto errors = static_cast<double>(m.count(EventKind::kApiError));
  out.count(m.events);
  out.count(m.sessions);
  out.count(m.users);
  out.count(m.count(EventKind::kUserPrompt));
  out.count(m.count(EventKind::kApiRequest));
  out.count(m.count(EventKind::kApiError));
  out.count(m.count(EventKind::kToolDecision));
  out.count(m.count(EventKind::kToolResult));
  out.count(m.api_aborts);
  out.number(m.input_tokens);
  out.number(m.output_tokens);
  out.number(m.cache_read_tokens);
  out.number(m.cache_creation_tokens);
  out.number(m.cost_usd);
  out.ratio(static_cast<double>(m.accepted_decisions), decisions);
  out.ratio(static_cast<double>(m.successful_results), results);
  out.ratio(errors, requests + errors);
  const double failures = errors - static_cast<double>(m.api_aborts);
  out.ratio(failures, requests + failures);
  out.ratio(m.cost_usd, static_cast<double>(m.sessions));
  if (m.output_tokens == 0) {
    out.null_field();
  } else {
    out.number(m.cost_usd / m.output_tokens * 1000);
  }
  out.ratio(m.cache_read_tokens, m.cache_read_tokens + m.cache_creation_tokens + m.input_tokens);
  out.ratio(m.input_tokens + m.output_tokens + m.cache_read_tokens + m.cache_creation_tokens,
            static_cast<double>(m.count(EventKind::kUserPrompt)));
  json.end_raw(out.end());
}

}  // namespace cca::server
