#include "clickhouse/rollups.h"

#include "clickhouse/session_opens.h"
#include "clickhouse/sql_text.h"

namespace cca::clickhouse {
namespace {

using engine::Dimension;

const RolledUpColumn& rolled_up(std::string_view dimension) {
  for (const RolledUpColumn& column : kRolledUpColumns)
    if (column.dimension == dimension) return column;
  throw std::logic_error("not a rolled-up column: " + std::string(dimension));
}

bool on_period(const std::optional<int64_t>& time, const RollupTable& table) {
  return !time || period_start_ms(table, *time) == *time;
}

// The first month start at or after `time`.
int64_t month_at_or_after(int64_t time) {
  const RollupTable& months = kRollupTables[kMonthRollup];
  const int64_t start = period_start_ms(months, time);
  return start == time ? start : period_start_ms(months, start + 32 * kMsPerDay);
}

}  // namespace

const RolledUpColumn* rolled_up_column(const People& people, Dimension dimension) {
  const std::string value = key_expression(people, dimension);
  for (const RolledUpColumn& rolled_up : kRolledUpColumns)
    if (value == rolled_up.value) return &rolled_up;
  return nullptr;
}

std::string dimension_rows_condition(size_t dimension) {
  const RolledUpColumn* column = rollup_dimension_column(dimension);
  return column && column->sparse ? std::string(column->value) + " != ''" : "";
}

int64_t period_start_ms(const RollupTable& table, int64_t time_ms) {
  if (table.period_ms > 0) return floor_div(time_ms, table.period_ms) * table.period_ms;
  const CivilDate date = civil_from_days(floor_div(time_ms, kMsPerDay));
  return days_from_civil(date.year, date.month, 1) * kMsPerDay;
}

std::string period_start_sql(const RollupTable& table) {
  if (table.period_ms > 0) return period_start("time_ms", table.period_ms);
  return "(toStartOfMonth(day) - toDate('1970-01-01')) * " + std::to_string(kMsPerDay);
}

std::string rollup_cell(const RollupTable& table, size_t dimension) {
  const RolledUpColumn* column = rollup_dimension_column(dimension);
  return quote(column ? column->dimension : "") + " AS dimension, " +
         (column ? std::string(column->value) : "''") + " AS value, " + table.day + " AS day, " +
         period_start_sql(table) + " AS start_ms, ";
}

namespace {

// rollup_read's, and beside `by`'s rows those of more rolled-up dimensions (`beside`), which the
// filter names none of.
std::optional<RollupRead> read_of(const People& people, const engine::Filter& filter,
                                  std::optional<Dimension> by, const std::vector<Dimension>& beside,
                                  int64_t bucket_ms, bool per_day) {
  if (!filter.attributes.empty()) return std::nullopt;

  // The one rolled-up column the question filters or groups on, if any.
  const RolledUpColumn* column = nullptr;
  const std::vector<std::string>* accepted = nullptr;
  const std::pair<const RolledUpColumn&, const std::vector<std::string>*> filtered[] = {
      {rolled_up("model"), &filter.model},
      {rolled_up("terminal"), &filter.terminal},
      {rolled_up("tool_name"), &filter.tool},
      {rolled_up("status_code"), &filter.status_code},
      {rolled_up("error"), &filter.error}};
  for (const auto& [name, values] : filtered) {
    if (values->empty()) continue;
    if (column) return std::nullopt;
    column = &name;
    accepted = values;
  }
  std::string key;
  if (by) {
    if (const RolledUpColumn* grouped = rolled_up_column(people, *by)) {
      if (column && column != grouped) return std::nullopt;
      column = grouped;
      key = "value";
    } else if (is_person(*by)) {
      key = key_expression(people, *by);
    } else {
      return std::nullopt;
    }
  }
  std::vector<std::string> dimensions = {column ? column->dimension : ""};
  for (const Dimension dimension : beside) {
    const RolledUpColumn* also = rolled_up_column(people, dimension);
    if (!also || accepted || key != "value") return std::nullopt;
    dimensions.push_back(also->dimension);
  }

  // The rollups' rows test their people by number; the spanning cells beside them (read's
  // `conditions`), which hold no numbers, by email.
  std::vector<std::string> people_conditions, numbered_people_conditions;
  add_people_conditions(people, filter, PeopleOf::kEvents, people_conditions);
  add_people_conditions(people, filter, PeopleOf::kNumberedEvents, numbered_people_conditions);
  const auto conditions_over = [&](std::optional<int64_t> from_ms, std::optional<int64_t> to_ms,
                                   const std::vector<std::string>& of_people) {
    std::vector<std::string> conditions = {dimensions.size() == 1
                                               ? "dimension = " + quote(dimensions.front())
                                               : in_list("dimension", dimensions)};
    if (accepted) conditions.push_back(in_list("value", *accepted));
    engine::Filter range = filter;
    range.from_ms = from_ms;
    range.to_ms = to_ms;
    if (from_ms) conditions.push_back("start_ms >= " + std::to_string(*from_ms));
    if (to_ms) conditions.push_back("start_ms < " + std::to_string(*to_ms));
    add_day_conditions(range, conditions);
    conditions.insert(conditions.end(), of_people.begin(), of_people.end());
    return all_of(conditions);
  };
  const auto rows_over = [&](std::optional<int64_t> from_ms, std::optional<int64_t> to_ms) {
    return conditions_over(from_ms, to_ms, numbered_people_conditions);
  };
  const bool about_people = !people_conditions.empty() || (by && is_person(*by));
  const bool values_share_groups = accepted && accepted->size() > 1 && key != "value";
  for (const RollupTable& table : kRollupTables) {
    const bool months = table.period_ms == 0;
    if ((months ? bucket_ms != 0 || per_day : bucket_ms % table.period_ms != 0) ||
        !on_period(filter.from_ms, table) || !on_period(filter.to_ms, table))
      continue;
    const bool periods_share_groups = table.period_ms == kMsPerHour && bucket_ms != kMsPerHour;
    const bool counts_sessions = !values_share_groups && !periods_share_groups;
    RollupRead read{{{&table, rows_over(filter.from_ms, filter.to_ms)}},
                    conditions_over(filter.from_ms, filter.to_ms, people_conditions),
                    table.period,
                    key};
    read.counts_sessions = counts_sessions;
    read.totals = counts_sessions && !about_people;
    // A range of whole days over whole months and more: the months from rollup_month.
    if (&table == &kRollupTables[kDayRollup] && bucket_ms == 0 && !per_day &&
        read.counts_sessions) {
      const RollupTable& month_table = kRollupTables[kMonthRollup];
      const std::optional<int64_t> first_month =
          filter.from_ms ? std::optional(month_at_or_after(*filter.from_ms)) : std::nullopt;
      const std::optional<int64_t> end_of_months =
          filter.to_ms ? std::optional(period_start_ms(month_table, *filter.to_ms)) : std::nullopt;
      if (!first_month || !end_of_months || *first_month < *end_of_months) {
        read.parts = {{&month_table, rows_over(first_month, end_of_months)}};
        std::vector<std::string> in_months;
        if (first_month) {
          if (*first_month != *filter.from_ms)
            read.parts.push_back({&table, rows_over(filter.from_ms, first_month)});
          in_months.push_back("start_ms >= " + std::to_string(*first_month));
        }
        if (end_of_months) {
          if (*end_of_months != *filter.to_ms)
            read.parts.push_back({&table, rows_over(end_of_months, filter.to_ms)});
          in_months.push_back("start_ms < " + std::to_string(*end_of_months));
        }
        read.spanning_period =
            in_months.empty() ? month_table.period
                              : "if(" + all_of(in_months) + ", " + month_table.period + ", day)";
      }
    }
    return read;
  }
  return std::nullopt;
}

}  // namespace

std::optional<RollupRead> rollup_read(const People& people, const engine::Filter& filter,
                                      std::optional<Dimension> by, int64_t bucket_ms,
                                      bool per_day) {
  return read_of(people, filter, by, {}, bucket_ms, per_day);
}

namespace {

// The metric set over rollup rows whose sessions are counted: the rows' opened counts, less each
// spanning session's cells among them, plus the spanning sessions themselves (a spanning cell is
// its session, value, person, hint and `cell`, its period as the rows count it).
const std::vector<std::string> kCountedMetricExpressions = rollup_metric_expressions(
    "sum(opened) + uniqExactIf(session_id, session_id != '') - uniqExactIf(session_id, value, "
    "cell, user, practice_hint, session_id != '')");

// The index of the people among the metric set's expressions (read_metrics' order).
constexpr size_t kPeopleField = 2;

// "SELECT <columns> FROM <table> PREWHERE <conditions>" for each of a read's parts, joined by
// UNION ALL: the rollup tables' rows, or their totals' where the read is of totals.
std::string parts_rows(const RollupRead& read, const std::string& columns) {
  std::string rows;
  for (const RollupRead::Part& part : read.parts)
    rows += std::string(rows.empty() ? "" : " UNION ALL ") + "SELECT " + columns + " FROM " +
            (read.totals ? part.table->totals : part.table->name) + " PREWHERE " + part.conditions;
  return rows;
}

// The rollup parts' rows (from the totals tables: without people) and, beside them, the spanning
// sessions' cells with no figures of their own.
std::string rows_and_spanning_cells(const RollupRead& read) {
  const std::string cells = "dimension, value, day, start_ms, ";
  const std::string cell = read.spanning_period + " AS cell, ";
  const std::string rows = parts_rows(
      read, cells + (read.totals ? "'' AS user, '' AS practice_hint, " : "user, practice_hint, ") +
                cell + additive_columns() + "opened, first_ms, last_ms, '' AS session_id");
  return "(" + rows + " UNION ALL SELECT " + cells + "user, practice_hint, " + cell +
         additive_zeros() +
         "toUInt64(0) AS opened, arrayReduce('minState', emptyArrayInt64()) AS first_ms, "
         "arrayReduce('maxState', emptyArrayInt64()) AS last_ms, session_id FROM " +
         kSpanningCells + " PREWHERE " + read.conditions + ") WHERE 1";
}

// The rows of the rollup parts' people, each the `person` column (user_key or user) beside its
// dimension, value and period: a part's people table's where it has one and `person` is the
// number.
std::string people_rows(const RollupRead& read, const std::string& person) {
  const auto rows_of = [&](const RollupRead::Part& part) {
    const bool own = part.table->people && person == "user_key";
    return std::string(own ? part.table->people : part.table->name) + " PREWHERE " +
           part.conditions;
  };
  if (read.parts.size() == 1) return rows_of(read.parts.front());
  std::string rows;
  for (const RollupRead::Part& part : read.parts)
    rows += std::string(rows.empty() ? "" : " UNION ALL ") +
            "SELECT dimension, value, day, start_ms, " + person + " FROM " + rows_of(part);
  return "(" + rows + ") WHERE 1";
}

}  // namespace

namespace {

MetricSource events_source(const People& people, const engine::Filter& filter,
                           std::optional<Dimension> by,
                           const std::vector<std::string>& metric_expressions) {
  return {"events WHERE " + where(people, filter),
          "time_ms",
          by ? key_expression(people, *by) : "",
          &metric_expressions,
          "count()",
          "min(time_ms)",
          "max(time_ms)",
          kWorkEvent};
}

}  // namespace

MetricSource metric_source(const People& people, const engine::Filter& filter,
                           std::optional<Dimension> by, int64_t bucket_ms, bool per_day) {
  if (auto rollup = rollup_read(people, filter, by, bucket_ms, per_day)) {
    if (rollup->counts_sessions) {
      const std::string person = rollup->totals && people.user_keys_unique() ? "user_key" : "user";
      return {rows_and_spanning_cells(*rollup),
              "start_ms",
              std::move(rollup->key),
              &kCountedMetricExpressions,
              "sum(events)",
              "minMerge(first_ms)",
              "maxMerge(last_ms)",
              "events > other_events",
              true,
              rollup->totals ? people_rows(*rollup, person) : "",
              rollup->totals ? "uniqExact(" + person + ")" : ""};
    }
    const RollupRead::Part& part = rollup->parts.front();
    return {std::string(part.table->name) + " PREWHERE " + part.conditions,
            "start_ms",
            std::move(rollup->key),
            &kRollupMetricExpressions,
            "sum(events)",
            "minMerge(first_ms)",
            "maxMerge(last_ms)",
            "events > other_events"};
  }
  return events_source(people, filter, by, kMetricExpressions);
}

namespace {

// sum_source's over rollup rows; `with_dimension`: with each row's `dimension`.
MetricSource summed_rows(RollupRead&& rollup, const MetricSums& sums, bool with_dimension) {
  const std::string columns = std::string(with_dimension ? "dimension, value, " : "value, ") +
                              (rollup.totals ? "" : "user, practice_hint, ") + sums.rollup_columns +
                              "start_ms";
  const std::string rows = parts_rows(rollup, columns);
  return {"(" + rows + ") WHERE 1",
          "start_ms",
          std::move(rollup.key),
          &sums.over_rollups,
          sums.over_rollups[0],
          "",
          "",
          ""};
}

}  // namespace

MetricSource sum_source(const People& people, const engine::Filter& filter,
                        std::optional<Dimension> by, engine::Metric metric, int64_t bucket_ms) {
  const MetricSums& sums = metric_sums(metric);
  std::optional<RollupRead> rollup = rollup_read(people, filter, by, bucket_ms);
  if (!rollup) {
    MetricSource source = events_source(people, filter, by, sums.over_events);
    source.events = sums.over_events[0];
    source.first = source.last = source.has_work = "";
    return source;
  }
  return summed_rows(std::move(*rollup), sums, false);
}

std::optional<MetricSource> sum_source_of_dimensions(const People& people,
                                                     const engine::Filter& filter,
                                                     const std::vector<Dimension>& dimensions,
                                                     engine::Metric metric) {
  if (dimensions.empty()) return std::nullopt;
  std::optional<RollupRead> rollup = read_of(people, filter, dimensions.front(),
                                             {dimensions.begin() + 1, dimensions.end()}, 0, false);
  if (!rollup) return std::nullopt;
  return summed_rows(std::move(*rollup), metric_sums(metric), true);
}

std::optional<std::string> sessions_per_day(const People& people, const engine::Filter& filter) {
  const std::optional<RollupRead> read = rollup_read(people, filter, std::nullopt, kMsPerDay);
  if (!read || !read->counts_sessions) return std::nullopt;
  return "SELECT day, sum(opened) AS sessions FROM (" + parts_rows(*read, "day, opened") +
         ") GROUP BY day HAVING sessions > 0";
}

std::string select_metrics(const MetricSource& source, const std::vector<Grouping>& groups,
                           const std::vector<std::string_view>& more_columns,
                           const std::string& condition, const std::string& having) {
  std::string keys, aliases;
  for (const Grouping& group : groups) {
    keys += group.expression + " AS " + group.alias + ", ";
    aliases += (aliases.empty() ? "" : ", ") + group.alias;
  }
  const std::string narrowed = condition.empty() ? "" : " AND " + condition;
  const std::string grouped = aliases.empty() ? "" : " GROUP BY " + aliases;
  const std::string kept = having.empty() ? "" : " HAVING " + having;
  const std::vector<std::string>& metrics = *source.metric_expressions;
  std::string extra;
  for (const std::string_view column : more_columns) extra.append(", ").append(column);
  if (source.people_rows.empty())
    return "SELECT " + keys + aliased_metrics(metrics) + extra + " FROM " + source.filtered_table +
           narrowed + grouped + kept;

  // The figures from the totals rows and the people from the rollup rows, group by group. The
  // more columns are named x0 ....
  std::string figures, columns = aliases;
  const auto add = [&](std::string_view expression, const std::string& name, bool people) {
    if (!people) figures.append(expression).append(" AS ").append(name).append(", ");
    columns.append(columns.empty() ? "" : ", ").append(name);
  };
  for (size_t i = 0; i < metrics.size(); ++i) add(metrics[i], metric_alias(i), i == kPeopleField);
  for (size_t i = 0; i < more_columns.size(); ++i) {
    std::string name = "x";
    add(more_columns[i], name.append(std::to_string(i)), false);
  }
  figures.resize(figures.size() - 2);
  const std::string people = "(SELECT " + keys + source.people + " AS " +
                             metric_alias(kPeopleField) + " FROM " + source.people_rows + narrowed +
                             grouped + ")";
  return "SELECT " + columns + " FROM (SELECT " + keys + figures + " FROM " +
         source.filtered_table + narrowed + grouped + kept + ") " +
         (aliases.empty() ? "CROSS JOIN " + people
                          : "ANY LEFT JOIN " + people + " USING " + aliases);
}

}  // namespace cca::clickhouse
