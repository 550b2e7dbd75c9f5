#include "clickhouse/session_opens.h"

#include <set>
#include <unordered_map>

#include "clickhouse/event_sql.h"
#include "clickhouse/sql_text.h"
#include "common/hash128_set.h"
#include "common/time_util.h"

namespace cca::clickhouse {
namespace {

std::string_view dimension_name(size_t dimension) {
  const RolledUpColumn* column = rollup_dimension_column(dimension);
  return column ? column->dimension : "";
}

// " AND <the condition on the events that have rows under the dimension>".
std::string rows_condition(size_t dimension) {
  const std::string condition = dimension_rows_condition(dimension);
  return condition.empty() ? "" : " AND " + condition;
}

// The rolled-up columns, comma-separated, as session_cells names them (by dimension): what the
// cell lookups select and group by after the session, hour, person and hint.
std::string rolled_up_list() {
  std::string list;
  for (const RolledUpColumn& column : kRolledUpColumns)
    list += std::string(list.empty() ? "" : ", ") + column.dimension;
  return list;
}

void append_sized(std::string& out, std::string_view text) {
  const uint32_t size = static_cast<uint32_t>(text.size());
  out.append(reinterpret_cast<const char*>(&size), sizeof size);
  out += text;
}

// A cell's identity: 128 bits of its table, dimension, period start, session, person, hint and
// value (the event identities' hash; a collision is as unlikely as theirs).
Hash128 cell_key(size_t table, size_t dimension, int64_t start_ms, std::string_view session,
                 std::string_view user, std::string_view hint, std::string_view value) {
  thread_local std::string bytes;
  bytes.clear();
  bytes += static_cast<char>(table);
  bytes += static_cast<char>(dimension);
  bytes.append(reinterpret_cast<const char*>(&start_ms), sizeof start_ms);
  for (const std::string_view text : {session, user, hint, value}) append_sized(bytes, text);
  return hash128(bytes);
}

// A session's (day, person, hint): more than one makes it spanning.
std::string combination(int64_t time_ms, std::string_view user, std::string_view hint) {
  const int64_t day = floor_div(time_ms, kMsPerDay);
  std::string text(reinterpret_cast<const char*>(&day), sizeof day);
  for (const std::string_view part : {user, hint}) append_sized(text, part);
  return text;
}

// A cell's columns after the session and hour.
std::string cell_columns() {
  return "user, practice_hint, " + rolled_up_list();
}

ExternalTable session_table(const std::vector<std::string_view>& ids) {
  ExternalTable table{"sessions", "id String", {}};
  for (const std::string_view id : ids) {
    append_tsv_field(table.tab_separated_rows, id);
    table.tab_separated_rows += '\n';
  }
  return table;
}

}  // namespace

std::string spanning_cells_select(const std::string& events) {
  return "SELECT session_id, d AS dimension, v AS value, day_of_cell AS day, s AS start_ms, "
         "u AS user, h AS practice_hint FROM " +
         events +
         " ARRAY JOIN span_dimensions AS d, span_values AS v, span_days AS day_of_cell, "
         "span_starts AS s, span_users AS u, span_hints AS h";
}

std::string session_cells_columns() {
  std::string columns =
      "session_id String, day Date, start_ms Int64, user String, practice_hint String";
  for (const RolledUpColumn& column : kRolledUpColumns)
    columns += std::string(", ") + column.dimension + " String";
  return columns;
}

std::string session_cells_layout() {
  return "PARTITION BY toYYYYMM(day) ORDER BY (session_id, start_ms, " + cell_columns() +
         ") SETTINGS index_granularity = 1024";
}

std::string session_cells_select(const std::string& events) {
  std::string values;
  for (const RolledUpColumn& column : kRolledUpColumns)
    values += std::string(", ") + column.value + " AS " + column.dimension;
  return "SELECT session_id, day, " + period_start("time_ms", kMsPerHour) +
         " AS start_ms, user, practice_hint" + values + " FROM " + events +
         " WHERE session_id != '' GROUP BY session_id, day, start_ms, " + cell_columns();
}

std::vector<std::string> session_opens_backfill(const std::vector<std::string>& days,
                                                size_t first_dimension) {
  std::vector<std::string> statements;
  for (const RollupTable& table : kRollupTables)
    for (size_t d = first_dimension; d < kRollupDimensionCount; ++d) {
      const std::string opened =
          "SELECT " + rollup_cell(table, d) + "user, practice_hint, " + kUserKey +
          " AS user_key, uniqExact(session_id) AS opened FROM events WHERE session_id != ''" +
          rows_condition(d) + " GROUP BY dimension, value, day, start_ms, user, practice_hint, " +
          "user_key";
      statements.push_back("INSERT INTO " + std::string(table.name) +
                           " (dimension, value, day, start_ms, user, practice_hint, user_key, "
                           "opened) " +
                           opened);
      statements.push_back("INSERT INTO " + std::string(table.totals) +
                           " (dimension, value, day, start_ms, opened) SELECT dimension, value, "
                           "day, start_ms, sum(opened) FROM (" +
                           opened + ") GROUP BY dimension, value, day, start_ms");
    }
  const std::string spanning =
      "SELECT session_id FROM session_days GROUP BY session_id HAVING uniqExact(day, user, "
      "practice_hint) > 1";
  for (size_t d = first_dimension; d < kRollupDimensionCount; ++d)
    statements.push_back("INSERT INTO " + std::string(kSpanningCells) + " SELECT session_id, " +
                         rollup_cell(kRollupTables[kHourRollup], d) +
                         "user, practice_hint FROM events WHERE session_id GLOBAL IN (" + spanning +
                         ")" + rows_condition(d) +
                         " GROUP BY session_id, dimension, value, day, start_ms, user, "
                         "practice_hint");
  for (const std::string& day : days)
    statements.push_back("INSERT INTO " + std::string(kSessionCells) + " " +
                         session_cells_select("events PREWHERE day = " + quote(day)));
  return statements;
}

SessionOpens::SessionOpens(const ClickHouseClient& reader, const std::vector<OpenedEvent>& events)
    : opens_(events.size()), spans_(events.size()) {
  struct Session {
    std::set<std::string> stored, written;  // (day, person, hint) combinations
    bool spanning = false;
    std::vector<SpanCell> stored_cells;  // to copy, when it becomes spanning now
  };
  std::unordered_map<std::string_view, Session> sessions;
  for (const OpenedEvent& e : events)
    if (!e.session.empty())
      sessions[e.session].written.insert(combination(e.time_ms, e.user, e.hint));
  if (sessions.empty()) return;
  std::vector<std::string_view> ids;
  for (const auto& entry : sessions) ids.push_back(entry.first);
  // Rows: session, hour, person, hint, then the rolled-up values.
  const std::vector<std::vector<std::string>> stored_rows =
      rows_of(reader.query("SELECT session_id, start_ms, " + cell_columns() + " FROM " +
                               kSessionCells + " WHERE session_id IN (SELECT id FROM sessions)",
                           session_table(ids)));
  const auto for_each_cell = [](const std::vector<std::string>& row, auto&& cell) {
    const int64_t hour = std::stoll(row.at(1));
    for (size_t d = 0; d < kRollupDimensionCount; ++d) {
      const std::string_view value = d == 0 ? std::string_view() : std::string_view(row.at(3 + d));
      if (has_rows(d, value)) cell(d, hour, value);
    }
  };

  // Every cell of the stored rows: each of their periods under each dimension.
  Hash128Set known_cells;
  for (const auto& row : stored_rows) {
    sessions.find(row.at(0))->second.stored.insert(
        combination(std::stoll(row.at(1)), row.at(2), row.at(3)));
    for_each_cell(row, [&](size_t d, int64_t hour, std::string_view value) {
      for (size_t t = 0; t < std::size(kRollupTables); ++t)
        known_cells.insert(
            cell_key(t, d, period_start_ms(kRollupTables[t], hour), row[0], row[2], row[3], value));
    });
  }
  for (auto& [id, session] : sessions) {
    size_t combinations = session.stored.size();
    for (const std::string& written : session.written)
      combinations += session.stored.contains(written) ? 0 : 1;
    session.spanning = combinations > 1;
  }
  // A session spanning from this block on takes its stored cells with it into spanning_cells (one
  // spanning already has listed them).
  Hash128Set copied;
  for (const auto& row : stored_rows) {
    Session& session = sessions.find(row[0])->second;
    if (!session.spanning || session.stored.size() > 1) continue;
    for_each_cell(row, [&](size_t d, int64_t hour, std::string_view value) {
      if (copied.insert(cell_key(kHourRollup, d, hour, row[0], row[2], row[3], value)))
        session.stored_cells.push_back(
            {static_cast<uint8_t>(d), std::string(value), row[2], row[3], hour});
    });
  }

  for (size_t i = 0; i < events.size(); ++i) {
    const OpenedEvent& e = events[i];
    if (e.session.empty()) continue;
    Session& session = sessions.find(e.session)->second;
    std::array<int64_t, std::size(kRollupTables)> starts;
    for (size_t t = 0; t < starts.size(); ++t)
      starts[t] = period_start_ms(kRollupTables[t], e.time_ms);
    for (size_t d = 0; d < kRollupDimensionCount; ++d) {
      const std::string_view value = e.values[d];
      if (!has_rows(d, value)) continue;
      for (size_t t = 0; t < starts.size(); ++t) {
        if (!known_cells.insert(cell_key(t, d, starts[t], e.session, e.user, e.hint, value)))
          continue;
        opens_[i] |= open_bit(t, d);
        if (t == kHourRollup && session.spanning)
          spans_[i].push_back({static_cast<uint8_t>(d), std::string(value), std::string(e.user),
                               std::string(e.hint), starts[t]});
      }
    }
    if (!session.stored_cells.empty()) {
      for (SpanCell& cell : session.stored_cells) spans_[i].push_back(std::move(cell));
      session.stored_cells.clear();
    }
  }
}

void SessionOpens::append_columns(std::string& out, size_t event) const {
  out += '\t';
  out += std::to_string(opens_[event]);
  const std::vector<SpanCell>& cells = spans_[event];
  if (cells.empty()) {
    out += "\t[]\t[]\t[]\t[]\t[]\t[]";
    return;
  }
  std::vector<std::string_view> texts;
  const auto strings = [&](auto&& text_of) {
    texts.clear();
    for (const SpanCell& cell : cells) texts.push_back(text_of(cell));
    out += '\t';
    append_tsv_array(out, texts);
  };
  std::vector<std::string> dates;
  for (const SpanCell& cell : cells) dates.push_back(format_date(cell.start_ms));
  strings([](const SpanCell& cell) { return dimension_name(cell.dimension); });
  strings([](const SpanCell& cell) { return std::string_view(cell.value); });
  size_t next_date = 0;
  strings([&](const SpanCell&) { return std::string_view(dates[next_date++]); });
  out += "\t[";
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(cells[i].start_ms);
  }
  out += ']';
  strings([](const SpanCell& cell) { return std::string_view(cell.user); });
  strings([](const SpanCell& cell) { return std::string_view(cell.hint); });
}

}  // namespace cca::clickhouse
