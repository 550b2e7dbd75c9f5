#include "clickhouse/session_days.h"

#include <stdexcept>
#include <vector>

#include "clickhouse/session_opens.h"
#include "clickhouse/sql_text.h"
#include "common/time_util.h"

namespace cca::clickhouse {

std::string session_days_columns() {
  return "day Date, session_id String, session_key UInt64, user String, practice_hint String, "
         "terminal String, " +
         additive_column_types() +
         "first AggregateFunction(min, Tuple(Int64, UInt64, UInt64)), "
         "last_ms AggregateFunction(max, Int64), first_ms AggregateFunction(min, Int64), "
         "opened UInt64";
}

std::string session_days_select(const std::string& events) {
  return "SELECT day, session_id, " + std::string(kSessionKey) +
         " AS session_key, user, practice_hint, terminal, " + additive_aggregates() +
         "minState(tuple(time_ms, key_hi, key_lo)) AS first, maxState(time_ms) AS last_ms, "
         "minState(time_ms) AS first_ms, countIf(bitAnd(opens, " +
         std::to_string(open_bit(kDayRollup, 0)) + ") != 0) AS opened FROM " + events +
         " WHERE session_id != '' GROUP BY " + kSessionDaysKey;
}

std::optional<std::string> session_days_read(const People& people, const engine::Filter& filter) {
  if (!filter.model.empty() || !filter.tool.empty() || !filter.status_code.empty() ||
      !filter.error.empty() || !filter.attributes.empty())
    return std::nullopt;
  std::optional<std::vector<std::string>> conditions = whole_day_conditions(people, filter);
  if (!conditions) return std::nullopt;
  if (!filter.terminal.empty()) conditions->push_back(in_list("terminal", filter.terminal));
  return std::string(kSessionDays) + " PREWHERE " + all_of(*conditions);
}

std::string sessions_of_several_rows(const std::string& read) {
  return "SELECT session_key FROM " + read + " WHERE opened = 0 UNION ALL SELECT " + kSessionKey +
         " FROM " + kSpanningCells + " WHERE dimension = ''";
}

std::string session_days_of(const ClickHouseClient& client, const std::string& read,
                            const std::vector<std::string>& ids,
                            const std::vector<std::string>& days) {
  const std::string prewhere = std::string(kSessionDays) + " PREWHERE ";
  if (!read.starts_with(prewhere)) throw std::logic_error("not a session_days_read: " + read);
  const std::string id_list = quote_list(ids), id_tuple = quote_tuple(ids);
  // A subquery of no table: a plain IN on a cluster too.
  return prewhere + "session_key IN (SELECT " + kSessionKey + " FROM (SELECT arrayJoin(" + id_list +
         ") AS session_id)) WHERE day " + in_subquery(client) + " (SELECT day FROM " +
         kSpanningCells + " WHERE dimension = '' AND session_id IN " + id_tuple +
         " UNION ALL SELECT arrayJoin(arrayMap(d -> toDate(d), " + quote_list(days) + "))) AND " +
         read.substr(prewhere.size()) + " AND session_id IN " + id_tuple;
}

}  // namespace cca::clickhouse
