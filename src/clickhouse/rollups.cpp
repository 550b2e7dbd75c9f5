#include "clickhouse/rollups.h"

#include "clickhouse/sql_text.h"

namespace cca::clickhouse {
namespace {

using engine::Dimension;

// The rolled-up column a dimension's values are, if any.
std::optional<std::string> rolled_up_column(const People& people, Dimension dimension) {
  std::string column = key_expression(people, dimension);
  for (const char* rolled_up : kRolledUpColumns)
    if (column == rolled_up) return column;
  return std::nullopt;
}

bool is_person(Dimension dimension) {
  return dimension.kind == Dimension::kPractice || dimension.kind == Dimension::kLevel ||
         dimension.kind == Dimension::kLocation || dimension.kind == Dimension::kEmail;
}

bool on_period(const std::optional<int64_t>& time, int64_t period_ms) {
  return !time || floor_div(*time, period_ms) * period_ms == *time;
}

}  // namespace

std::optional<RollupRead> rollup_read(const People& people, const engine::Filter& filter,
                                      std::optional<Dimension> by, int64_t bucket_ms) {
  if (!filter.status_code.empty() || !filter.error.empty() || !filter.attributes.empty())
    return std::nullopt;

  // The one rolled-up column the question filters or groups on, if any.
  std::optional<std::string> column;
  const std::vector<std::string>* accepted = nullptr;
  const std::pair<const char*, const std::vector<std::string>*> filtered[] = {
      {"model", &filter.model}, {"terminal", &filter.terminal}, {"tool_name", &filter.tool}};
  for (const auto& [name, values] : filtered) {
    if (values->empty()) continue;
    if (column) return std::nullopt;
    column = name;
    accepted = values;
  }
  std::string key;
  if (by) {
    if (const auto grouped = rolled_up_column(people, *by)) {
      if (column && column != *grouped) return std::nullopt;
      column = *grouped;
      key = "value";
    } else if (is_person(*by)) {
      key = key_expression(people, *by);
    } else {
      return std::nullopt;
    }
  }

  for (const RollupTable& table : kRollupTables) {
    if (bucket_ms % table.period_ms != 0 || !on_period(filter.from_ms, table.period_ms) ||
        !on_period(filter.to_ms, table.period_ms))
      continue;
    std::vector<std::string> conditions = {"dimension = " + quote(column.value_or(""))};
    if (accepted) conditions.push_back(in_list("value", *accepted));
    if (filter.from_ms) conditions.push_back("start_ms >= " + std::to_string(*filter.from_ms));
    if (filter.to_ms) conditions.push_back("start_ms < " + std::to_string(*filter.to_ms));
    add_day_conditions(filter, conditions);
    add_people_conditions(people, filter, conditions);
    return RollupRead{&table, std::string(table.name) + " PREWHERE " + all_of(conditions), key};
  }
  return std::nullopt;
}

MetricSource metric_source(const People& people, const engine::Filter& filter,
                           std::optional<Dimension> by, int64_t bucket_ms) {
  if (auto rollup = rollup_read(people, filter, by, bucket_ms))
    return {std::move(rollup->filtered_table),
            "start_ms",
            std::move(rollup->key),
            kRollupMetricColumns,
            &kRollupMetricExpressions,
            "sum(events)",
            "minMerge(first_ms)",
            "maxMerge(last_ms)",
            "events > other_events"};
  return {"events WHERE " + where(people, filter),
          "time_ms",
          by ? key_expression(people, *by) : "",
          kMetricColumns,
          &kMetricExpressions,
          "count()",
          "min(time_ms)",
          "max(time_ms)",
          kWorkEvent};
}

}  // namespace cca::clickhouse
