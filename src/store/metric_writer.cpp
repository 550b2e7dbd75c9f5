#include "store/metric_writer.h"

namespace cca::store {
namespace {

void bind_optional(Statement& s, int index, std::optional<double> value) {
  if (value) {
    s.bind_double(index, *value);
  } else {
    s.bind_null(index);
  }
}

void bind_id(Statement& s, int index, int64_t id) {
  if (id == 0) {
    s.bind_null(index);
  } else {
    s.bind_int(index, id);
  }
}

std::optional<double> optional_double(const Statement& s, int column) {
  if (s.column_is_null(column)) return std::nullopt;
  return s.column_double(column);
}

std::optional<int64_t> optional_int(const Statement& s, int column) {
  if (s.column_is_null(column)) return std::nullopt;
  return s.column_int(column);
}

}  // namespace

MetricWriter::MetricWriter(Database& db, StringDictionary& strings)
    : db_(db),
      strings_(strings),
      find_series_(db,
                   "SELECT id, last_start_ns, last_time_ns, last_value, last_count "
                   "FROM metric_series WHERE key_hi = ?1 AND key_lo = ?2"),
      insert_series_(db,
                     "INSERT INTO metric_series (key_hi, key_lo, name_id, unit_id, kind, "
                     "monotonic, user_id, session_id, terminal_id, model_id, type_id, "
                     "language_id, tool_id, decision_id, source_id, query_source_id, "
                     "practice_hint_id, resource_id, attributes_id) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
      insert_point_(db,
                    "INSERT OR IGNORE INTO metric_points (series_id, ingest_id, temporality, "
                    "start_ns, time_ns, value, count, delta, delta_count) "
                    "VALUES (?,?,?,?,?,?,?,?,?)"),
      update_series_(db,
                     "UPDATE metric_series SET last_start_ns = ?2, last_time_ns = ?3, "
                     "last_value = ?4, last_count = ?5 WHERE id = ?1") {}

int64_t MetricWriter::id_or_null(std::string_view value) {
  return value.empty() ? 0 : strings_.id_of(value);
}

MetricWriter::SeriesState MetricWriter::series_of(const MetricPointRow& p) {
  SeriesState state;
  find_series_.bind_int(1, static_cast<int64_t>(p.series_key.hi));
  find_series_.bind_int(2, static_cast<int64_t>(p.series_key.lo));
  if (find_series_.step()) {
    state.id = find_series_.column_int(0);
    state.last.start_ns = optional_int(find_series_, 1);
    state.last.time_ns = optional_int(find_series_, 2);
    state.last.value = optional_double(find_series_, 3);
    state.last.count = optional_double(find_series_, 4);
  }
  find_series_.reset();
  if (state.id != 0) return state;

  Statement& s = insert_series_;
  int i = 0;
  s.bind_int(++i, static_cast<int64_t>(p.series_key.hi));
  s.bind_int(++i, static_cast<int64_t>(p.series_key.lo));
  s.bind_int(++i, strings_.id_of(p.name));
  bind_id(s, ++i, id_or_null(p.unit));
  s.bind_text(++i, p.kind);
  s.bind_int(++i, p.monotonic ? 1 : 0);
  s.bind_int(++i, strings_.id_of(p.user));
  for (const std::string_view text :
       {p.session, p.terminal, p.model, p.type, p.language, p.tool, p.decision, p.source,
        p.query_source, p.practice_hint, p.resource_json, p.attributes_json})
    bind_id(s, ++i, id_or_null(text));
  s.step();
  s.reset();
  state.id = sqlite3_last_insert_rowid(db_.handle());
  return state;
}

bool MetricWriter::insert(const MetricPointRow& p, int64_t ingest_id) {
  const SeriesState series = series_of(p);
  const PointDelta d =
      point_delta(series.last, p.temporality, p.monotonic, p.start_ns, p.time_ns, p.value, p.count);
  Statement& s = insert_point_;
  s.bind_int(1, series.id);
  s.bind_int(2, ingest_id);
  s.bind_int(3, p.temporality);
  s.bind_int(4, p.start_ns);
  s.bind_int(5, p.time_ns);
  bind_optional(s, 6, p.value);
  bind_optional(s, 7, p.count);
  bind_optional(s, 8, d.delta);
  bind_optional(s, 9, d.delta_count);
  s.step();
  s.reset();
  if (sqlite3_changes(db_.handle()) == 0) return false;
  if (d.newest) {
    Statement& u = update_series_;
    u.bind_int(1, series.id);
    u.bind_int(2, p.start_ns);
    u.bind_int(3, p.time_ns);
    bind_optional(u, 4, p.value);
    bind_optional(u, 5, p.count);
    u.step();
    u.reset();
  }
  return true;
}

}  // namespace cca::store
