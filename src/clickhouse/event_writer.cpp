#include "clickhouse/event_writer.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>

#include "clickhouse/session_opens.h"
#include "clickhouse/sql_text.h"
#include "common/time_util.h"

namespace cca::clickhouse {
namespace {

// The `present` bits, in the order the engine keeps its optional figures.
enum PresentBit : uint16_t {
  kInputTokens = 1u << 0,
  kOutputTokens = 1u << 1,
  kCacheReadTokens = 1u << 2,
  kCacheCreationTokens = 1u << 3,
  kCostUsd = 1u << 4,
  kDurationMs = 1u << 5,
  kPromptLength = 1u << 6,
  kAttempt = 1u << 7,
  kToolResultSize = 1u << 8,
  kTtftMs = 1u << 9,
  kCacheCreation5m = 1u << 10,
  kCacheCreation1h = 1u << 11,
};

void append_number(std::string& out, const OptionalNumber& number, uint16_t bit,
                   uint16_t& present) {
  if (number.present) present |= bit;
  char buffer[32];
  // %.17g round-trips every double exactly.
  const int n = std::snprintf(buffer, sizeof buffer, "%.17g", number.present ? number.value : 0.0);
  out.append(buffer, n);
  out += '\t';
}

void field(std::string& out, std::string_view text) {
  append_tsv_field(out, text);
  out += '\t';
}

// The custom attributes' JSON object ({"key": "value", ...}, keys sorted) as parallel arrays.
void split_attributes(std::string_view json, std::vector<std::string_view>& keys,
                      std::vector<std::string_view>& values) {
  keys.clear();
  values.clear();
  if (json.empty()) return;
  thread_local simdjson::ondemand::parser parser;
  thread_local std::string padded;
  padded.assign(json);
  padded.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  simdjson::ondemand::document document =
      parser.iterate(padded.data(), padded.size(), padded.capacity());
  for (auto entry : document.get_object()) {
    std::string_view key = entry.unescaped_key();
    std::string_view value = entry.value().get_string();
    keys.push_back(key);
    values.push_back(value);
  }
}

}  // namespace

EventWriter::EventWriter(const ClickHouseClient& client)
    : client_(client), identities_(up_to_date_replicas(client.url()), client.timeout()) {}

bool EventWriter::add(const EventRecord& e, uint64_t ingest_id) {
  if (!pending_keys_.insert(e.key)) return false;
  const int32_t day = static_cast<int32_t>(floor_div(e.time_ms, kMsPerDay));
  const size_t begin = block_.size();
  std::string& out = block_;
  out += format_date(e.time_ms);
  out += '\t';
  out += std::to_string(e.time_ms);
  out += '\t';
  out += std::to_string(e.key.hi);
  out += '\t';
  out += std::to_string(e.key.lo);
  out += '\t';
  out += std::to_string(ingest_id);
  out += '\t';
  for (const std::string_view text :
       {e.log_event_id, e.event_name, e.session_id, e.user, e.user_email, e.user_uid,
        e.account_uuid, e.organization_id, e.terminal, e.model, e.tool_name, e.decision,
        e.decision_source, e.decision_type})
    field(out, text);
  out += std::to_string(e.success);
  out += '\t';
  for (const std::string_view text : {e.error, e.status_code, e.query_source, e.speed})
    field(out, text);
  uint16_t present = 0;
  append_number(out, e.input_tokens, kInputTokens, present);
  append_number(out, e.output_tokens, kOutputTokens, present);
  append_number(out, e.cache_read_tokens, kCacheReadTokens, present);
  append_number(out, e.cache_creation_tokens, kCacheCreationTokens, present);
  append_number(out, e.cost_usd, kCostUsd, present);
  append_number(out, e.duration_ms, kDurationMs, present);
  append_number(out, e.prompt_length, kPromptLength, present);
  append_number(out, e.attempt, kAttempt, present);
  append_number(out, e.tool_result_size_bytes, kToolResultSize, present);
  append_number(out, e.ttft_ms, kTtftMs, present);
  append_number(out, e.cache_creation_5m_tokens, kCacheCreation5m, present);
  append_number(out, e.cache_creation_1h_tokens, kCacheCreation1h, present);
  out += std::to_string(present);
  out += '\t';
  out += e.cost_estimated ? "1\t" : "0\t";
  for (const std::string_view text :
       {e.practice_hint, e.os_type, e.os_version, e.host_arch, e.host_name, e.service_version})
    field(out, text);
  split_attributes(e.attributes_json, attribute_keys_, attribute_values_);
  append_tsv_array(out, attribute_keys_);
  out += '\t';
  append_tsv_array(out, attribute_values_);
  out += '\t';
  for (const std::string_view text :
       {e.attributes_json, e.resource_json, e.scope_json, e.envelope_json})
    field(out, text);
  append_tsv_field(out, e.extra_json);
  // The session marks follow when the block is written (session_opens.h).
  PendingRow row{e.key, day, e.time_ms, begin, block_.size(), cell_text_.size(), {}};
  const std::string attempt = e.attempt.present ? format_attempt(e.attempt.value) : "";
  const std::string_view cell_fields[] = {
      e.session_id, e.user,        e.practice_hint,   e.model,
      e.terminal,   e.tool_name,   e.event_name,      e.service_version,
      e.os_type,    e.status_code, e.decision_source, attempt,
      e.error};
  static_assert(std::size(cell_fields) == std::tuple_size_v<decltype(row.cell_sizes)> &&
                std::size(cell_fields) == 2 + kRollupDimensionCount);
  for (size_t i = 0; i < std::size(cell_fields); ++i) {
    cell_text_ += cell_fields[i];
    row.cell_sizes[i] = static_cast<uint32_t>(cell_fields[i].size());
  }
  rows_.push_back(row);
  return true;
}

void EventWriter::quarantine(const QuarantineRow& q, uint64_t ingest_id, int64_t received_ms) {
  // Identity of a quarantined record: what it was and why, so a re-ingest adds no copies (the
  // table's ReplacingMergeTree collapses them).
  std::string identity(q.reason);
  identity += '\n';
  identity += q.raw;
  const Hash128 key = hash128(identity);
  std::string& out = quarantine_block_;
  out += std::to_string(key.hi) + '\t' + std::to_string(key.lo) + '\t' + std::to_string(ingest_id) +
         '\t' + std::to_string(received_ms) + '\t';
  field(out, q.source);
  out += std::to_string(q.line);
  out += '\t';
  for (const std::string_view text : {q.kind, q.reason, q.field, q.detail}) field(out, text);
  append_tsv_field(out, q.raw);
  out += '\n';
}

EventWriter::Block EventWriter::take() {
  Block block{std::move(block_), std::move(cell_text_), std::move(rows_),
              std::move(quarantine_block_)};
  block_.clear();
  cell_text_.clear();
  rows_.clear();
  quarantine_block_.clear();
  pending_keys_ = Hash128Set();
  return block;
}

FlushCounts EventWriter::wait_in_flight() {
  if (!in_flight_.valid()) return {};
  in_flight_events_ = 0;
  try {
    return in_flight_.get();
  } catch (...) {
    take();  // the ingest fails: nothing of it stays pending
    throw;
  }
}

void EventWriter::flush_discard() {
  try {
    wait_in_flight();
  } catch (const std::exception&) {
    // The failure was reported, or is being: nothing of that block is kept either way.
  }
  take();
}

FlushCounts EventWriter::flush() {
  FlushCounts counts = wait_in_flight();
  return counts += write(take());
}

FlushCounts EventWriter::flush_in_background() {
  const FlushCounts counts = wait_in_flight();
  in_flight_events_ = rows_.size();
  in_flight_ = std::async(std::launch::async,
                          [this, block = take()]() mutable { return write(std::move(block)); });
  return counts;
}

FlushCounts EventWriter::write(Block block) const {
  FlushCounts counts;
  const std::vector<PendingRow>& rows = block.rows;
  if (!rows.empty()) {
    // Which of these identities ClickHouse holds already, on the days they fall on.
    ExternalTable keys{"pending", "hi UInt64, lo UInt64", {}};
    std::vector<int32_t> days;
    for (const PendingRow& row : rows) {
      keys.tab_separated_rows +=
          std::to_string(row.key.hi) + '\t' + std::to_string(row.key.lo) + '\n';
      days.push_back(row.day);
    }
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    std::string day_list;
    for (const int32_t day : days) {
      if (!day_list.empty()) day_list += ',';
      day_list += quote(format_date(static_cast<int64_t>(day) * kMsPerDay));
    }
    const std::string stored =
        identities_.query("SELECT key_hi, key_lo FROM events WHERE day IN (" + day_list +
                              ") AND (key_hi, key_lo) IN (SELECT hi, lo FROM pending)",
                          keys);
    Hash128Set known;
    for_each_tsv_row(stored, [&](const std::vector<std::string>& fields) {
      if (fields.size() == 2) known.insert({std::stoull(fields[0]), std::stoull(fields[1])});
    });
    std::vector<const PendingRow*> fresh_rows;
    std::vector<OpenedEvent> opened;
    for (const PendingRow& row : rows) {
      if (known.contains(row.key)) {
        ++counts.duplicates;
        continue;
      }
      fresh_rows.push_back(&row);
      OpenedEvent& event = opened.emplace_back();
      event.time_ms = row.time_ms;
      size_t at = row.cells_begin;
      const auto next = [&](size_t i) {
        const std::string_view text(block.cells.data() + at, row.cell_sizes[i]);
        at += row.cell_sizes[i];
        return text;
      };
      event.session = next(0);
      event.user = next(1);
      event.hint = next(2);
      for (size_t d = 1; d < kRollupDimensionCount; ++d) event.values[d] = next(2 + d);
    }
    counts.inserted = fresh_rows.size();
    const SessionOpens marks(identities_, opened);
    std::string fresh;
    fresh.reserve(block.events.size() + fresh_rows.size() * 24);
    for (size_t i = 0; i < fresh_rows.size(); ++i) {
      fresh.append(block.events, fresh_rows[i]->begin, fresh_rows[i]->end - fresh_rows[i]->begin);
      marks.append_columns(fresh, i);
      fresh += '\n';
    }
    if (!fresh.empty()) client_.insert("INSERT INTO events FORMAT TabSeparated", fresh);
  }
  if (!block.quarantine.empty())
    client_.insert("INSERT INTO quarantine FORMAT TabSeparated", block.quarantine);
  return counts;
}

}  // namespace cca::clickhouse
