#include "clickhouse/people_queries.h"

#include <algorithm>
#include <future>
#include <limits>
#include <string>
#include <unordered_set>
#include <vector>

#include "clickhouse/event_sql.h"
#include "clickhouse/rollups.h"
#include "clickhouse/session_days.h"
#include "clickhouse/session_opens.h"
#include "clickhouse/sql_text.h"
#include "common/time_util.h"
#include "engine/ascii_lower.h"
#include "engine/directory.h"
#include "store/employee_directory.h"

namespace cca::clickhouse {

using engine::Filter;
using engine::Metric;

namespace {

using Rows = std::vector<std::vector<std::string>>;

// Which of two events at the same millisecond comes first: ClickHouse keeps no store order, so
// the identity decides (see the header).
constexpr std::string_view kEventOrder = "tuple(time_ms, key_hi, key_lo)";

const std::string& metric_columns() {
  static const std::string columns = aliased_metrics(kMetricExpressions);
  return columns;
}

// An order's value as SQL over the aliases: whether it has one (ratios over nothing have none,
// and sort last) and what it is.
struct OrderValue {
  std::string has = "1", value;
};

std::string m(int i) {
  return "toFloat64(m" + std::to_string(i) + ")";
}

OrderValue ratio(const std::string& numerator, const std::string& denominator) {
  return {"(" + denominator + ") != 0",
          "if((" + denominator + ") != 0, (" + numerator + ") / (" + denominator + "), 0)"};
}

// engine::metric_value over the aliases m0 ... m17 (read_metrics' order), in the engine's order of
// operations.
OrderValue metric_order(Metric metric) {
  switch (metric) {
    case Metric::kEvents:
      return {"1", m(0)};
    case Metric::kSessions:
      return {"1", m(1)};
    case Metric::kUsers:
      return {"1", m(2)};
    case Metric::kUserPrompts:
      return {"1", m(3)};
    case Metric::kApiRequests:
      return {"1", m(4)};
    case Metric::kApiErrors:
      return {"1", m(5)};
    case Metric::kToolDecisions:
      return {"1", m(6)};
    case Metric::kToolResults:
      return {"1", m(7)};
    case Metric::kApiAborts:
      return {"1", m(11)};
    case Metric::kInputTokens:
      return {"1", m(12)};
    case Metric::kOutputTokens:
      return {"1", m(13)};
    case Metric::kCacheReadTokens:
      return {"1", m(14)};
    case Metric::kCacheCreationTokens:
      return {"1", m(15)};
    case Metric::kCostUsd:
      return {"1", m(16)};
    case Metric::kToolAcceptRate:
      return ratio(m(9), m(6));
    case Metric::kToolSuccessRate:
      return ratio(m(10), m(7));
    case Metric::kApiErrorRate:
      return ratio(m(5), m(4) + " + " + m(5));
    case Metric::kApiFailureRate: {
      const std::string errors = "(" + m(5) + " - " + m(11) + ")";
      return ratio(errors, m(4) + " + " + errors);
    }
    case Metric::kCostPerSession:
      return ratio(m(16), m(1));
    case Metric::kCostPer1kOutputTokens:
      return {m(13) + " != 0", "if(" + m(13) + " != 0, " + m(16) + " / " + m(13) + " * 1000, 0)"};
    case Metric::kCacheHitRatio:
      return ratio(m(14), m(14) + " + " + m(15) + " + " + m(12));
    case Metric::kTokensPerPrompt:
      return ratio(m(12) + " + " + m(13) + " + " + m(14) + " + " + m(15), m(3));
  }
  return {"0", "0"};
}

// ORDER BY for a value: rows with one first, then by it, ties by `id` ascending.
std::string order_by(const OrderValue& value, bool ascending, std::string_view id) {
  return " ORDER BY (" + value.has + ") DESC, " + value.value + (ascending ? " ASC" : " DESC") +
         ", " + std::string(id) + " ASC";
}

// The page's rows of a list: offset and limit each held to the largest Int64, so that their sum
// cannot overflow however large a page the caller asks for.
std::string limit_clause(size_t limit, size_t offset) {
  const uint64_t most = std::numeric_limits<int64_t>::max();
  return " LIMIT " + std::to_string(std::min<uint64_t>(offset, most)) + ", " +
         std::to_string(std::min<uint64_t>(limit, most));
}

uint64_t count_of(const std::string& answer) {
  const Rows rows = rows_of(answer);
  return rows.empty() ? 0 : std::stoull(rows[0].at(0));
}

std::optional<std::string> text_or_absent(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

// The latest directory, as the engine holds it (sorted by email, user ids indexed), so that a
// person resolves by engine::Directory's own rules.
engine::Directory read_directory(const ClickHouseClient& client) {
  engine::Directory directory;
  for (auto& row : rows_of(client.query(
           "SELECT email, full_name, practice, level, location, user_id FROM employees "
           "WHERE version = (SELECT max(version) FROM employees) AND email != '' ORDER BY "
           "email"))) {
    if (row.size() != 6) continue;
    directory.employees.push_back({std::move(row[0]), std::move(row[1]), std::move(row[2]),
                                   std::move(row[3]), std::move(row[4]), std::move(row[5])});
  }
  directory.index_user_ids();
  return directory;
}

// A user row's identity fields (engine/users.cpp identity()): the directory's practice, level
// and location, an empty field falling back as a missing row does; for users it does not list,
// practice is the newest hint (`hint`, empty when no event had one).
engine::UserRow identity(const std::string& email, const engine::Employee* employee,
                         const std::string& hint) {
  engine::UserRow row;
  row.email = email;
  const auto listed = [&](const std::string engine::Employee::*field) -> std::string {
    return employee != nullptr && !(employee->*field).empty() ? employee->*field : "";
  };
  const std::string unknown(store::kUnknownValue);
  row.practice = listed(&engine::Employee::practice);
  if (row.practice.empty()) row.practice = hint.empty() ? unknown : hint;
  row.level = listed(&engine::Employee::level);
  if (row.level.empty()) row.level = unknown;
  row.location = listed(&engine::Employee::location);
  if (row.location.empty()) row.location = unknown;
  if (employee != nullptr) {
    row.full_name = employee->full_name;
    if (employee->email != row.email) row.directory_email = employee->email;
  }
  return row;
}

// 'a', 'b': the values for an IN list, empty ones included.
std::string quoted_values(const std::vector<std::string>& values) {
  std::string sql;
  for (const std::string& value : values) {
    if (!sql.empty()) sql += ", ";
    sql += quote(value);
  }
  return sql;
}

// The latest practice hint of each user, over every event they sent.
std::string latest_hint_column() {
  return "argMaxIf(practice_hint, " + std::string(kEventOrder) + ", practice_hint != '')";
}

// A page of sessions ordered by start or end, read from a few candidate sessions rather than
// from every one. Take descending order by start: each session_days row has its own first event,
// and a session's start is the earliest of its rows'. The candidates are the sessions of the N
// rows with the latest firsts (among the rows of the days nearest that end of the order, enough
// of them to hold N), and `cutoff` the N-th of those firsts. Every other session has every row's
// first at or before the cutoff (rows of earlier days lie before those days), so it starts at or
// before it. The page of the candidates (each over all its rows, for exact figures) is then the
// page of all sessions when it is full and its last session starts after the cutoff. Otherwise N
// grows fourfold. End orders take each row's last event, ascending orders the other end; so that
// a few hundred sessions are grouped instead of every one (at 100 M events, 1.15 M), or a day's.
// nullopt when only every day would hold the page, or the page is not full (the sessions end
// within it). `rows`: "session_days PREWHERE ...".
constexpr size_t kNearestDaysThrough = 100'000;  // pages that end further into the order group all
// Where a page's rows (list_sessions' page_of) hold a session's start and end.
constexpr size_t kStartField = 4, kEndField = 5;
template <typename PageOf>
std::optional<Rows> page_from_nearest_days(const ClickHouseClient& client, const People& people,
                                           const Filter& filter, const std::string& rows,
                                           const engine::SessionOrder& order, size_t limit,
                                           size_t offset, PageOf&& page_of) {
  const bool by_start = order.field == engine::SessionField::kStart;
  const size_t value_field = by_start ? kStartField : kEndField;
  const std::string row_value =
      by_start ? "tupleElement(" + std::string(kSessionFirst) + ", 1)" : kSessionLast;
  const std::string direction = order.ascending ? " ASC" : " DESC";
  // Sessions per day, nearest first: the day rollup's count where it has one, else the rows'
  // (a day's rows are at least its sessions). They choose only the days searched: the page is
  // checked against the cutoff below whatever they are. The rollup's are read first over the week
  // of the filter's days nearest that end of the store's (People::event_days), which the rollup's
  // order by day confines the read to, and over all of them when the search goes past that week:
  // its days are the first of all (a practice's sessions over every day of 100 M events: 33 ms
  // for all days' counts, 20 for the week's; the page 97 ms median -> 85).
  const auto per_day = [&](const std::string& counts) {
    return rows_of(client.query(counts + " ORDER BY day" + direction));
  };
  const std::optional<std::string> counted = sessions_per_day(people, filter);
  const std::string every_day =
      counted ? *counted : "SELECT day, count() FROM " + rows + " GROUP BY day";
  std::optional<std::string> in_week;
  if (const auto store_days = people.event_days(); store_days && counted) {
    const int64_t nearest_day =
        order.ascending
            ? std::max(store_days->first,
                       filter.from_ms ? floor_div(*filter.from_ms, kMsPerDay) : store_days->first)
            : std::min(store_days->second,
                       filter.to_ms ? floor_div(*filter.to_ms, kMsPerDay) - 1 : store_days->second);
    const int64_t first_day = order.ascending ? nearest_day : nearest_day - 6;
    Filter week = filter;
    week.from_ms = std::max(filter.from_ms.value_or(INT64_MIN), first_day * kMsPerDay);
    week.to_ms = std::min(filter.to_ms.value_or(INT64_MAX), (first_day + 7) * kMsPerDay);
    in_week = sessions_per_day(people, week);
  }
  Rows days = per_day(in_week ? *in_week : every_day);
  bool all_days = !in_week;
  size_t covered = 0, wanted = 2 * (offset + limit);
  for (size_t i = 0;; ++i) {
    if (i + 1 >= days.size()) {
      if (all_days) break;
      all_days = true;
      days = per_day(every_day);
      if (i + 1 >= days.size()) break;
    }
    covered += std::stoull(days[i].at(1));
    if (covered < wanted) continue;
    // The wanted rows nearest the end of the order, among those days'.
    const std::string nearest = "SELECT session_id, " + row_value + " AS v, day FROM " + rows +
                                " AND day " + (order.ascending ? "<= " : ">= ") +
                                quote(days[i].at(0)) + " ORDER BY v" + direction + " LIMIT " +
                                std::to_string(wanted);
    std::vector<std::string> ids, found_on;
    int64_t cutoff = 0;  // the last of those rows' values in the order
    for (const auto& row : rows_of(client.query(nearest))) {
      ids.push_back(row.at(0));
      cutoff = std::stoll(row.at(1));
      found_on.push_back(row.at(2));
    }
    if (ids.empty()) return std::nullopt;
    Rows page = page_of(session_days_of(client, rows, ids, found_on));
    if (page.size() == limit) {
      const int64_t last = std::stoll(page.back().at(value_field));
      if (order.ascending ? last < cutoff : last > cutoff) return page;
    }
    wanted *= 4;
  }
  return std::nullopt;
}

// A session_days read and a session's figures over its rows there (list_sessions' source).
struct SessionRows {
  const std::string& rows;  // "session_days PREWHERE ..."
  const std::string &start, &end, &metrics;
};

// The sessions that can be among the first `wanted` of `rows` ordered by `value`, and the days
// they were found on.
struct Candidates {
  std::vector<std::string> ids, days;
};

// Of the sessions with one row among `rows` (most), those at or before the wanted-th in the order
// by that row alone, without grouping; of the others (sessions_of_several_rows), those at or
// before it grouped. Grouping every session instead took ClickHouse 2 s and 650 MiB for a page by
// cost over every day of 52 M events. The wanted-th value comes first, from the values alone: the
// one-row sessions' first `wanted` by their row's metrics (8 bytes a row for cost), and every
// several-row session's, grouped by number where numbers tell them apart, with no aggregate
// state or session id read (at 100 M events their rows lie in nearly every granule of 1,024).
// Only the rows at or before it are then read whole, ids and states among them, beside the
// several-row sessions at or before it grouped. Those rows come with their numbers, and the rows
// of several-row sessions among them are dropped here: no set test of every row's number against
// those sessions (sessions by cost over every day of 103 M events: 110-113 ms where they took
// 118-161 with that test).
Candidates candidates_by_value(const ClickHouseClient& client, const People& people,
                               const SessionRows& source, const OrderValue& value, bool ascending,
                               size_t wanted) {
  static const std::string kRowMetrics = aliased_metrics(kSessionDayRowMetricExpressions);
  // Their numbers as values: ClickHouse would run a subquery once for each IN over it (under a
  // practice filter over every day of 52 M events, the statement took 425-570 ms that way and
  // 150-180 after a read of 35). Each once: a spanning session comes once for each hour of it
  // (over every day of 100 M events, 7,809 numbers of 3,571 sessions, parsed in each part: the
  // candidates of a page by cost took ClickHouse 165-280 ms that way and 114-148 this way).
  std::string keys;
  std::unordered_set<std::string> several_set;
  for (const auto& row : rows_of(client.query("SELECT DISTINCT session_key FROM (" +
                                              sessions_of_several_rows(source.rows) + ")"))) {
    keys += (keys.empty() ? "" : ",") + row.at(0);
    several_set.insert(row.at(0));
  }
  const std::string several_rows = source.rows + " AND session_key " + in_subquery(client) +
                                   " (SELECT arrayJoin([" + keys + "]))";
  const std::string valued =
      ", toUInt8(" + value.has + ") AS h, toFloat64(" + value.value + ") AS v";
  // A row's first time from `first_ms`, the time of `first` (whose tupleElement ClickHouse 18.16
  // refuses in PREWHERE: "Argument at index 1 for function tupleElement must be constant").
  const std::string one_row = "SELECT finalizeAggregation(first_ms) AS t0, " +
                              std::string(kSessionLast) + " AS t1, " + kRowMetrics + valued;
  const std::string one_row_rows =
      " FROM " + source.rows +
      (keys.empty() ? ""
                    : " AND session_key " + std::string(in_subquery(client, true)) +
                          " (SELECT arrayJoin([" + keys + "]))");
  const std::string ranked = std::string(" ORDER BY h DESC, v") + (ascending ? " ASC" : " DESC");
  const std::string wanted_rows = " LIMIT " + std::to_string(wanted);

  // The values: (h, v) as ClickHouse wrote them (the shortest text that reads back as the same
  // double), and the several-row sessions' numbers.
  struct Valued {
    bool has;
    double value;
    std::string text, key;
  };
  std::vector<Valued> values;
  size_t several_row_count = 0;  // the several-row sessions' rows
  const auto read_values = [&](const std::string& answer, bool keyed) {
    for (auto& row : rows_of(answer)) {
      if (keyed) several_row_count += std::stoull(row.at(3));
      values.push_back({row.at(0) == "1", std::stod(row.at(1)), std::move(row.at(1)),
                        keyed ? std::move(row.at(2)) : ""});
    }
  };
  std::future<std::string> several_values;
  if (!keys.empty()) {
    const std::string session =
        people.several_row_session_keys_unique() ? "session_key" : "session_id";
    several_values = std::async(
        std::launch::async,
        [&client](const std::string& statement) { return client.query(statement); },
        "SELECT h, v, k, c FROM (SELECT any(session_key) AS k, count() AS c, " + source.start +
            " AS t0, " + source.end + " AS t1, " + source.metrics + valued + " FROM " +
            several_rows + " GROUP BY " + session + ")");
  }
  read_values(
      client.query("SELECT h, v FROM (" + one_row + one_row_rows + ")" + ranked + wanted_rows),
      false);
  if (several_values.valid()) read_values(several_values.get(), true);
  // Whether `a` comes before `b` by value alone.
  const auto before = [ascending](const auto& a, const auto& b) {
    if (a.has != b.has) return a.has;
    return ascending ? a.value < b.value : a.value > b.value;
  };
  std::sort(values.begin(), values.end(), before);

  std::string one_row_at_or_before, several_keys;
  if (values.size() >= wanted) {
    const Valued& last = values[wanted - 1];
    const std::string h = last.has ? "1" : "0";
    one_row_at_or_before = " AND (h > " + h + " OR (h = " + h + " AND v " +
                           (ascending ? "<= " : ">= ") + last.text + "))";
    values.resize(std::upper_bound(values.begin(), values.end(), last, before) - values.begin());
  }
  for (const Valued& found : values)
    if (!found.key.empty()) several_keys += (several_keys.empty() ? "" : ",") + found.key;

  const std::string first_ones = ranked + ", sid ASC" + wanted_rows;
  std::future<std::string> several_best;
  if (!several_keys.empty())
    several_best = std::async(
        std::launch::async,
        [&client](const std::string& statement) { return client.query(statement); },
        "SELECT sid, h, v, d FROM (SELECT session_id AS sid, any(day) AS d, " + source.start +
            " AS t0, " + source.end + " AS t1, " + source.metrics + valued + " FROM " +
            source.rows + " AND session_key " + in_subquery(client) + " (SELECT arrayJoin([" +
            several_keys + "])) GROUP BY sid)" + first_ones);
  // The rows at or before the last wanted value, of sessions of one row, and the several-row
  // sessions there; at most wanted + several_row_count rows, so that the wanted of the one-row
  // sessions are there after the others' rows are dropped.
  struct Best {
    bool has;
    double value;
    std::string sid, day;
  };
  std::vector<Best> best;
  for (auto& row : rows_of(client.query(
           "SELECT sid, h, v, d, session_key FROM (" + one_row +
           ", session_id AS sid, day AS d, session_key FROM " + source.rows + one_row_at_or_before +
           ")" + ranked + ", sid ASC LIMIT " + std::to_string(wanted + several_row_count))))
    if (!several_set.count(row.at(4)))
      best.push_back(
          {row.at(1) == "1", std::stod(row.at(2)), std::move(row.at(0)), std::move(row.at(3))});
  if (several_best.valid())
    for (auto& row : rows_of(several_best.get()))
      best.push_back(
          {row.at(1) == "1", std::stod(row.at(2)), std::move(row.at(0)), std::move(row.at(3))});
  // The order of ClickHouse's ORDER BY h DESC, v, sid ASC (strings byte by byte).
  std::sort(best.begin(), best.end(), [&](const Best& a, const Best& b) {
    if (before(a, b) || before(b, a)) return before(a, b);
    return a.sid < b.sid;
  });
  if (best.size() > wanted) best.resize(wanted);
  Candidates found;
  for (Best& row : best) {
    found.ids.push_back(std::move(row.sid));
    found.days.push_back(std::move(row.day));
  }
  return found;
}

}  // namespace

engine::SessionsPage PeopleQueries::list_sessions(const Filter& filter,
                                                  const engine::SessionOrder& order, size_t limit,
                                                  size_t offset) const {
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  // The matching sessions' rows: session_days when the filter allows, else the events. `order`
  // orders a session's rows by their first event (time, then identity).
  struct {
    std::string rows, order, start, end;
    const std::string* metrics;
  } source;
  static const std::string kSessionDayMetrics = aliased_metrics(kSessionDayMetricExpressions);
  std::optional<std::string> session_days = session_days_read(people, filter);
  const bool from_session_days = session_days.has_value();
  if (session_days) {
    source = {std::move(*session_days), kSessionFirst,
              "tupleElement(min(" + std::string(kSessionFirst) + "), 1)",
              "max(" + std::string(kSessionLast) + ")", &kSessionDayMetrics};
  } else {
    source = {"events WHERE (" + where(people, filter) + ") AND session_id != ''",
              std::string(kEventOrder), "min(time_ms)", "max(time_ms)", &metric_columns()};
  }
  // The total is counted while the page is read: the summary's sessions where a rollup counts
  // them, else the distinct ids of the rows.
  const MetricSource summary = metric_source(people, filter, std::nullopt);
  const std::string total =
      summary.counts_sessions
          ? "SELECT " + summary.metric_expressions->at(1) + " FROM " + summary.filtered_table
          : "SELECT uniqExact(session_id) FROM " + source.rows;
  std::future<std::string> counted =
      std::async(std::launch::async, [&] { return client_.query(total); });

  OrderValue value;
  switch (order.field) {
    case engine::SessionField::kStart:
      value.value = "t0";
      break;
    case engine::SessionField::kEnd:
      value.value = "t1";
      break;
    case engine::SessionField::kDuration:
      value.value = "(t1 - t0)";
      break;
    case engine::SessionField::kMetric:
      value = metric_order(order.metric);
      break;
  }
  const auto first = [&](const std::string& column) {
    return "argMin(" + column + ", " + source.order + ") AS first_" + column;
  };
  // The page's sessions among those `rows` hold first; then their first event's person resolved
  // here (People::resolve). Resolved in ClickHouse, a transform over every listed person for the
  // page's rows alone, the directory's 5,000 people cost the statement 20-30 ms to parse and
  // analyze at 52 M events (every page, filtered or not).
  const std::string ordering = order_by(value, order.ascending, "sid");
  // The page of the sessions of `rows`.
  const auto page_of = [&](const std::string& rows) {
    const std::string page_rows = "SELECT session_id AS sid, " + first("user") + ", " +
                                  first("practice_hint") + ", " + first("terminal") + ", " +
                                  source.start + " AS t0, " + source.end + " AS t1, " +
                                  *source.metrics + " FROM " + rows + " GROUP BY sid" + ordering +
                                  limit_clause(limit, offset);
    return rows_of(
        client_.query("SELECT sid, first_user, first_practice_hint, first_terminal, t0, t1, " +
                      metric_aliases() + " FROM (" + page_rows + ")" + ordering));
  };
  std::optional<Rows> rows;
  if (from_session_days && limit > 0 && limit <= kNearestDaysThrough &&
      offset <= kNearestDaysThrough - limit &&
      (order.field == engine::SessionField::kStart || order.field == engine::SessionField::kEnd))
    rows =
        page_from_nearest_days(client_, people, filter, source.rows, order, limit, offset, page_of);
  engine::SessionsPage page;
  page.total = count_of(counted.get());
  if (!rows) {
    if (offset >= page.total || limit == 0) return page;
    if (from_session_days && limit <= kNearestDaysThrough &&
        offset <= kNearestDaysThrough - limit) {
      const Candidates found = candidates_by_value(
          client_, people, {source.rows, source.start, source.end, *source.metrics}, value,
          order.ascending, offset + limit);
      rows = found.ids.empty()
                 ? Rows()
                 : page_of(session_days_of(client_, source.rows, found.ids, found.days));
    } else {
      rows = page_of(source.rows);
    }
  }
  for (const auto& row : *rows) {
    engine::SessionRow session;
    session.session_id = row.at(0);
    session.email = row.at(1);
    const People::Resolved person = people.resolve(row.at(1), row.at(2));
    session.practice = person.practice;
    session.level = person.level;
    session.location = person.location;
    session.terminal = text_or_absent(row.at(3));
    session.start_ms = std::stoll(row.at(kStartField));
    session.end_ms = std::stoll(row.at(kEndField));
    session.metrics = read_metrics(row, 6);
    page.rows.push_back(std::move(session));
  }
  return page;
}

std::optional<engine::SessionEvents> PeopleQueries::session_detail(
    const Filter& filter, std::string_view session_id) const {
  if (session_id.empty()) return std::nullopt;
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  const std::string condition = where(people, filter);
  // The events table is ordered by person and split by day: the session's people and days, from
  // session_cells (ordered by session), let ClickHouse read only their granules, not every event.
  const std::string in = in_subquery(client_);
  const std::string cells =
      std::string(kSessionCells) + " WHERE session_id = " + quote(session_id) + ")";
  const std::string session = "user " + in + " (SELECT user FROM " + cells + " AND day " + in +
                              " (SELECT day FROM " + cells +
                              " AND session_id = " + quote(session_id);

  // Every event of the session in order, marked whether it matches: who and where come from the
  // first matching one, else the first, its person resolved here (People::resolve): three
  // transforms over the directory made the statement 120 KB at 1,750 people, which ClickHouse
  // 18.16 parsed and analyzed for every session asked about.
  enum Field {
    kMatches,
    kUser,
    kPracticeHint,
    kTerminal,
    kTime,
    kEventName,
    kModel,
    kTool,
    kDecision,
    kDecisionSource,
    kStatusCode,
    kError,
    kSuccess,
    kPresent,
    kNumbers  // attempt, then the figures in the order of `numbers` below
  };
  const Rows events = rows_of(client_.query(
      "SELECT (" + condition +
      ") AS matches, user, practice_hint, terminal, time_ms, event_name, model, tool_name, "
      "decision, decision_source, "
      "status_code, error, success, present, attempt, input_tokens, output_tokens, "
      "cache_read_tokens, cache_creation_tokens, cost_usd, duration_ms, prompt_length, "
      "tool_result_size_bytes FROM events WHERE " +
      session + " ORDER BY " + std::string(kEventOrder)));
  if (events.empty()) return std::nullopt;

  engine::SessionEvents detail;
  const std::vector<std::string>* who = &events.front();
  for (const auto& event : events) {
    if (event.at(kMatches) != "1") continue;
    if (detail.events.empty()) who = &event;
    engine::EventValues v;
    v.time_ms = std::stoll(event.at(kTime));
    v.event_name = event.at(kEventName);
    v.model = text_or_absent(event.at(kModel));
    v.tool = text_or_absent(event.at(kTool));
    v.decision = text_or_absent(event.at(kDecision));
    v.decision_source = text_or_absent(event.at(kDecisionSource));
    v.status_code = text_or_absent(event.at(kStatusCode));
    v.error = text_or_absent(event.at(kError));
    v.success = static_cast<int8_t>(std::stoi(event.at(kSuccess)));
    // The `present` bits of the ClickHouse writer (event_writer.cpp); the engine keeps token and
    // cost figures only for api_request events.
    const unsigned present = static_cast<unsigned>(std::stoul(event.at(kPresent)));
    const bool api_request = v.event_name == "api_request";
    const auto number = [&](size_t field, unsigned bit, bool kept) {
      return kept && (present & (1u << bit)) ? std::stod(event.at(field)) : engine::kAbsentNumber;
    };
    v.attempt = number(kNumbers, 7, true);
    v.input_tokens = number(kNumbers + 1, 0, api_request);
    v.output_tokens = number(kNumbers + 2, 1, api_request);
    v.cache_read_tokens = number(kNumbers + 3, 2, api_request);
    v.cache_creation_tokens = number(kNumbers + 4, 3, api_request);
    v.cost_usd = number(kNumbers + 5, 4, api_request);
    v.duration_ms = number(kNumbers + 6, 5, true);
    v.prompt_length = number(kNumbers + 7, 6, true);
    v.tool_result_size_bytes = number(kNumbers + 8, 8, true);
    detail.events.push_back(std::move(v));
  }
  engine::SessionRow& row = detail.row;
  row.session_id = std::string(session_id);
  row.email = who->at(kUser);
  const People::Resolved person = people.resolve(row.email, who->at(kPracticeHint));
  row.practice = person.practice;
  row.level = person.level;
  row.location = person.location;
  row.terminal = text_or_absent(who->at(kTerminal));
  if (!detail.events.empty()) {
    row.start_ms = detail.events.front().time_ms;
    row.end_ms = detail.events.back().time_ms;
    // Only the days of the matching events: ClickHouse has no index on the session.
    const Rows metrics =
        rows_of(client_.query("SELECT " + std::string(kMetricColumns) +
                              " FROM events WHERE day >= " + quote(format_date(*row.start_ms)) +
                              " AND day <= " + quote(format_date(*row.end_ms)) + " AND " + session +
                              " AND (" + condition + ")"));
    if (!metrics.empty()) row.metrics = read_metrics(metrics[0], 0);
  }
  return detail;
}

engine::UsersPage PeopleQueries::list_users(const Filter& filter, const engine::UserOrder& order,
                                            size_t limit, size_t offset) const {
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  // Each person's figures, from a rollup when the filter allows; their active days need each
  // row's day, which month rows do not keep. Where the figures come from months, the days are
  // read apart, from the day rows' few columns (day, person, whether it holds work), and joined:
  // over 100 M events the day rows' figures would be 30 times the month rows'.
  const engine::Dimension by_person{engine::Dimension::kEmail};
  const MetricSource source = metric_source(people, filter, by_person);
  const MetricSource daily = metric_source(people, filter, by_person, 0, true);
  const bool days_apart = daily.filtered_table != source.filtered_table;
  const std::string active_days = "uniqExactIf(day, " + std::string(daily.has_work) + ")";
  engine::UsersPage page;
  const std::string count = "SELECT uniqExact(user) FROM " + source.filtered_table;
  if (limit == 0) {
    page.total = count_of(client_.query(count));
    return page;
  }
  // The total is counted while the page is read, and the directory read.
  std::future<std::string> counted =
      std::async(std::launch::async, [&] { return client_.query(count); });
  std::future<engine::Directory> listed =
      std::async(std::launch::async, [&] { return read_directory(client_); });

  std::string ordering;
  if (order.field == engine::UserField::kEmail) {
    ordering = std::string(" ORDER BY u ") + (order.ascending ? "ASC" : "DESC");
  } else {
    OrderValue value;
    switch (order.field) {
      case engine::UserField::kFirstSeen:
        value.value = "t0";
        break;
      case engine::UserField::kLastSeen:
        value.value = "t1";
        break;
      case engine::UserField::kActiveDays:
        value.value = "days";
        break;
      case engine::UserField::kMetric:
      case engine::UserField::kEmail:
        value = metric_order(order.metric);
        break;
    }
    ordering = order_by(value, order.ascending, "u");
  }
  const std::string figures = "SELECT user AS u, " + std::string(source.first) + " AS t0, " +
                              std::string(source.last) + " AS t1, " +
                              (days_apart ? "" : active_days + " AS days, ") +
                              aliased_metrics(*source.metric_expressions) + " FROM " +
                              source.filtered_table + " GROUP BY u";
  const std::string people_rows =
      days_apart ? "SELECT u, t0, t1, days, " + metric_aliases(source.metric_expressions->size()) +
                       " FROM (" + figures + ") ANY LEFT JOIN (SELECT user AS u, " + active_days +
                       " AS days FROM " + daily.filtered_table + " GROUP BY u) USING u"
                 : figures;
  const Rows rows = rows_of(client_.query(people_rows + ordering + limit_clause(limit, offset)));
  page.total = count_of(counted.get());
  const engine::Directory directory = listed.get();
  if (rows.empty()) return page;

  // Practice for the users the directory does not list: their newest hint over every event.
  std::vector<std::string> unlisted;
  for (const auto& row : rows)
    if (directory.find_user(row.at(0)) == nullptr) unlisted.push_back(row.at(0));
  std::vector<std::pair<std::string, std::string>> hints;
  if (!unlisted.empty()) {
    for (const auto& row : rows_of(client_.query("SELECT user, " + latest_hint_column() +
                                                 " FROM events WHERE user IN (" +
                                                 quoted_values(unlisted) + ") GROUP BY user")))
      hints.emplace_back(row.at(0), row.at(1));
  }
  for (const auto& row : rows) {
    const std::string& user = row.at(0);
    std::string hint;
    for (const auto& [who, latest] : hints)
      if (who == user) hint = latest;
    engine::UserRow user_row = identity(user, directory.find_user(user), hint);
    user_row.first_seen_ms = std::stoll(row.at(1));
    user_row.last_seen_ms = std::stoll(row.at(2));
    user_row.active_days = std::stoull(row.at(3));
    user_row.metrics = read_metrics(row, 4);
    page.rows.push_back(std::move(user_row));
  }
  return page;
}

std::optional<engine::UserProfile> PeopleQueries::user_profile(const Filter& filter,
                                                               std::string_view email) const {
  const std::string lowered = engine::ascii_lower(email);
  const engine::Directory directory = read_directory(client_);
  // Whether any event is the user's, and their newest hint (of hints at the same millisecond any
  // one, as ClickHouse keeps no insertion order): from the person's month rollup rows over all
  // events, a few a month, rather than their events in every day's partition.
  const Rows seen = rows_of(client_.query(
      "SELECT count(), argMaxIf(practice_hint, last, practice_hint != '') FROM (SELECT "
      "practice_hint, maxMerge(last_ms) AS last FROM " +
      std::string(kRollupTables[kMonthRollup].name) +
      " PREWHERE dimension = '' AND user = " + quote(lowered) + " GROUP BY practice_hint)"));
  const bool has_events = !seen.empty() && seen[0].at(0) != "0";
  const engine::Employee* employee =
      has_events ? directory.find_user(lowered) : directory.find(lowered);
  if (!has_events && employee == nullptr) return std::nullopt;

  engine::UserProfile profile;
  profile.row = identity(lowered, employee, has_events ? seen[0].at(1) : std::string());
  if (!has_events) return profile;
  const bool email_filtered_out =
      !filter.email.empty() &&
      std::none_of(filter.email.begin(), filter.email.end(),
                   [&](const std::string& value) { return engine::ascii_lower(value) == lowered; });
  if (email_filtered_out) return profile;

  Filter own = filter;
  own.email = {lowered};
  const std::shared_ptr<const People> shared_people = People::of(client_, people_);
  const People& people = *shared_people;
  // One row per day, then (WITH TOTALS, after an empty line) the totals over every day; from the
  // person's day rollup rows where the filter allows (a row per day and hint, where their events
  // are a granule or two in each day's partition: over 103 M events 460 ms).
  const MetricSource source = metric_source(people, own, std::nullopt, kMsPerDay, true);
  const std::string answer =
      client_.query(select_metrics(source, {{"toUInt32(day)", "d"}},
                                   {source.first, source.last,
                                    "uniqExactIf(day, " + std::string(source.has_work) + ")"}) +
                    " WITH TOTALS ORDER BY d");
  const Rows rows = rows_of(answer);
  if (rows.empty()) throw ClickHouseError(ClickHouseError::Kind::kRefused, "no totals row");
  for (size_t i = 0; i + 1 < rows.size(); ++i) {
    const engine::MetricSet day = read_metrics(rows[i], 1);
    profile.calendar.push_back(
        {std::stoll(rows[i].at(0)) * kMsPerDay, day.events, day.sessions, day.cost_usd});
  }
  const auto& totals = rows.back();
  profile.row.metrics = read_metrics(totals, 1);
  if (profile.row.metrics.events > 0) {
    profile.row.first_seen_ms = std::stoll(totals.at(1 + kMetricFields));
    profile.row.last_seen_ms = std::stoll(totals.at(2 + kMetricFields));
    profile.row.active_days = std::stoull(totals.at(3 + kMetricFields));
  }
  return profile;
}

}  // namespace cca::clickhouse
