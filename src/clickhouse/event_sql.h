#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "clickhouse/client.h"
#include "clickhouse/row_binary.h"
#include "engine/dimension.h"
#include "engine/filter.h"
#include "engine/metric_set.h"

namespace cca::clickhouse {

// The SQL pieces every question over the events table is made of, with the engine's semantics.

// The metric set of a group of events as SELECT expressions, kMetricFields of them, in the order
// read_metrics() takes them. Sums are over api_request events, as in the engine.
extern const std::string kMetricColumns;
extern const std::vector<std::string> kMetricExpressions;  // the same, one by one
// The same over the rows of a rollup table (see rollups.h), one by one.
extern const std::vector<std::string> kRollupMetricExpressions;
// The same with the sessions counted by `sessions` (rollups.cpp).
std::vector<std::string> rollup_metric_expressions(std::string_view sessions);
// The figures one metric is computed from, for a question that needs no distinct count
// (engine::metric_counts_distinct): the metric set's expressions with every other figure 0, over
// events and over rollup rows, and the rollup columns those read ("a, b, "). Reading a column or
// two of a rollup instead of sixteen and the distinct counts takes a third of the time.
struct MetricSums {
  std::vector<std::string> over_events, over_rollups;
  std::string rollup_columns;
};
const MetricSums& metric_sums(engine::Metric metric);
// The same over the rows of session_days (session_days.h) grouped by session; and over one row
// of it, the metric set of a session that has that row alone.
extern const std::vector<std::string> kSessionDayMetricExpressions;
extern const std::vector<std::string> kSessionDayRowMetricExpressions;
// What a rollup row keeps of its events: the aggregates over events a materialized view writes
// ("count() AS events, ..."), and the rollup table's column declarations for them.
std::string rollup_aggregates();
std::string rollup_metric_column_types();
std::string rollup_metric_column_names();
// Their additive part, each followed by ", ": every count and sum of the metric set.
std::string additive_aggregates();
std::string additive_column_types();
// Their columns' names, zeros of their types and their sums over rows named after them, each
// followed by ", ".
std::string additive_columns();
std::string additive_zeros();
std::string additive_sums();
// "a, b, c"
std::string comma_separated(const std::vector<std::string>& expressions);
inline constexpr size_t kMetricFields = 18;
// Whether an event is work: a day with only other events is no active day (engine/users.cpp).
inline constexpr std::string_view kWorkEvent =
    "event_name IN ('user_prompt', 'api_request', 'api_error', 'tool_decision', 'tool_result')";
// The metric set from an answer row's fields [first, first + kMetricFields).
engine::MetricSet read_metrics(const std::vector<std::string>& fields, size_t first);
// The metric set's columns of a select_metrics() statement (its aliases m0 ... m17) as numbers of
// fixed types, UInt64 counts and Float64 sums, for a RowBinary read; and the metric set from the
// next kMetricFields of a RowBinary row of them.
const std::string& binary_metric_columns();
// A statement names the metric set's columns m0 ... m17, field i m<i>, which orders and reads
// refer to: the name of field i; expressions of the metric set under those names ("e0 AS m0,
// ..."); and the first `count` names alone ("m0, m1, ...").
std::string metric_alias(size_t field);
std::string aliased_metrics(const std::vector<std::string>& expressions);
std::string metric_aliases(size_t count = kMetricFields);
engine::MetricSet read_metrics(RowBinaryReader& reader);

class PeopleCache;

// How each event's person resolves, as the engine resolves it (engine::Directory::find_user): by
// email, else by the directory's user_id column; people the directory does not list take each
// event's practice hint, and "Unknown" level and location. Reads the latest directory. What it
// reads later, when first needed, it reads once, under a lock: one People may serve many
// questions at once (PeopleCache).
class People {
 public:
  explicit People(const ClickHouseClient& client);
  // The store's people for a question: `cache`'s, or read for it when there is none.
  static std::shared_ptr<const People> of(const ClickHouseClient& client, const PeopleCache* cache);
  People(const People&) = delete;  // positions_ views keys_
  People& operator=(const People&) = delete;

  // SQL expressions of an event's practice, level and location.
  std::string practice() const;
  std::string level() const;
  std::string location() const;
  // The same in C++, from the event's person and practice hint (views into this object, or into
  // `hint`).
  struct Resolved {
    std::string_view practice, level, location;
    // Under a dimension of people (is_person), the value of this person, `user`.
    std::string_view value(engine::Dimension dimension, std::string_view user) const;
  };
  Resolved resolve(std::string_view user, std::string_view hint) const;

  // Whether no two people of the store share a rollup `user_key` (rollups.h), so that counting
  // the keys counts the people; asked of the store once, when first needed.
  bool user_keys_unique() const;
  // Whether every session that may have several session_days rows has a number (`session_key`,
  // session_days.h) of its own in the store, so that such rows grouped by number are grouped by
  // session; asked of the store once, when first needed.
  bool several_row_session_keys_unique() const;
  // The first and last days of the store's events (days since 1970-01-01), none in an empty
  // store; asked of the store once, when first needed.
  std::optional<std::pair<int64_t, int64_t>> event_days() const;

  // The condition on rows of the events' people (PeopleOf::kEvents) that their person passes
  // the filters on practice, level and location (null: no filter on it): the people it holds,
  // resolved here over every (user, practice_hint) pair of the store's events. A person the
  // directory does not list whose events carry several hints, some passing and some not, is
  // named with the hints that pass. `numbered`: the people are named by their numbers
  // (`user_key`) rather than their emails.
  std::string events_passing(const std::vector<std::string>* practices,
                             const std::vector<std::string>* levels,
                             const std::vector<std::string>* locations, bool numbered) const;

 private:
  // The store's people as its month rollup rows over all events hold them (rollups.h): each
  // (user, practice_hint) pair and the person's number, ordered by user. Read once, when first
  // needed.
  struct EventPerson {
    std::string user, hint;
    uint64_t key;
  };
  const std::vector<EventPerson>& event_people() const;

  void add(const std::string& key, const std::vector<std::string>& employee,
           std::unordered_set<std::string_view>& added);
  std::string lookup(const std::vector<std::string>& values, std::string_view otherwise) const;

  const ClickHouseClient& client_;
  std::vector<std::string> keys_, practices_, levels_, locations_;
  std::unordered_map<std::string_view, size_t> positions_;  // of keys_
  mutable std::mutex read_later_;                           // guards the four below
  mutable std::optional<bool> user_keys_unique_, several_row_session_keys_unique_;
  mutable std::optional<std::optional<std::pair<int64_t, int64_t>>> event_days_;
  mutable std::optional<std::vector<EventPerson>> event_people_;
};

// The server's People, shared by its questions until the store changes: the directory, whether
// the people's numbers are unique and the (person, hint) pairs are then read once a change
// instead of once a question (at 52 M events 4-8, 5-10 and 8-15 ms of ClickHouse's time).
class PeopleCache {
 public:
  explicit PeopleCache(const ClickHouseClient& client) : client_(client) {}

  std::shared_ptr<const People> get() const;
  // The store changed: the next question reads the people again. One that holds the former
  // People keeps it.
  void forget() const;

 private:
  const ClickHouseClient& client_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const People> people_;
};

// Whether a dimension's values are its events' people's: practice, level, location, email.
bool is_person(engine::Dimension dimension);

// Whose people a table's rows hold. kEvents: the events' (the events and every table made from
// them), all of whose (user, practice_hint) pairs the month rollup holds, so that a filter on
// people is a set of people (People::events_passing, which says what that saves).
// kNumberedEvents: the same in a table that holds each person's number beside (the rollups'
// `user_key`), so that the set is of numbers where no two people share one
// (People::user_keys_unique): ClickHouse 18.16 tests a row's number against a set faster than
// its email, and parses the numbers faster. kAnyone: people the events may not name (metric
// points), each row's person resolved in SQL.
enum class PeopleOf { kEvents, kNumberedEvents, kAnyone };

// "expression IN (values)" over the values that can match: an empty value matches no event, and
// a list of only such values matches nothing ("0").
std::string in_list(const std::string& expression, const std::vector<std::string>& values);
// The operator of a condition over a subquery's set: "IN" (or "NOT IN") on one server, "GLOBAL
// IN" ("GLOBAL NOT IN") on a cluster. A cluster's Distributed tables refuse a plain IN over
// another (a double-distributed subquery); on one server a plain IN is wanted because
// ClickHouse 18.16 skips the granules of the primary key outside its set but not outside a GLOBAL
// IN's (a session's events by its people: 12 ms against 461 ms, every event read, at 52 M events).
const char* in_subquery(const ClickHouseClient& client, bool negated = false);
// A custom attribute's value, '' for events without it.
std::string attribute_value(std::string_view key);
// A dimension's value for an event, '' when the event lacks it.
std::string key_expression(const People& people, engine::Dimension dimension);
// The WHERE condition of a filter over events (time range with day pruning, people, event
// attributes), or over other rows with the events' columns whose people are `of`.
std::string where(const People& people, const engine::Filter& filter,
                  PeopleOf of = PeopleOf::kEvents);
// Parts of it, for tables with the columns they name: the filter's people (columns user and
// practice_hint), and the days its time range touches (column day).
void add_people_conditions(const People& people, const engine::Filter& filter, PeopleOf of,
                           std::vector<std::string>& conditions);
void add_day_conditions(const engine::Filter& filter, std::vector<std::string>& conditions);
// The conditions of a filter's range and people over a table of events summed per UTC day,
// person and practice hint (columns day, user, practice_hint), or none when the range does not
// fall on whole UTC days. The caller rules out the filters the table cannot tell.
std::optional<std::vector<std::string>> whole_day_conditions(const People& people,
                                                             const engine::Filter& filter);
// The conjunction of conditions, "1" for none.
std::string all_of(const std::vector<std::string>& conditions);
// The rows of a TabSeparated answer, unescaped.
std::vector<std::vector<std::string>> rows_of(const std::string& answer);

}  // namespace cca::clickhouse
