#pragma once

#include <optional>
#include <string_view>

#include "clickhouse/client.h"
#include "engine/analytics.h"
#include "engine/sessions.h"
#include "engine/users.h"

namespace cca::clickhouse {

class PeopleCache;  // event_sql.h

// The questions about sessions and users (engine/sessions.h, engine/users.h) answered by
// ClickHouse's SQL with the engine's semantics: the same filters, metric sets, identities (a
// session's who and where from its first matching event, a user's practice from the directory,
// else from their newest hint over every event), the same order, ties and pages. Lists sort and
// page in ClickHouse, so only the page travels. The statement counts below are over the events,
// besides the directory read with each question (as Queries reads it).
//
// One difference the stores cannot avoid: the embedded store breaks ties between events at the
// same millisecond by the order it stored them in, which ClickHouse does not keep. Here such ties
// go by the event's identity (key_hi, key_lo): which of two simultaneous events is a session's
// first, a user's newest hint, or comes first in a detail may differ from the engine's choice.
//
// Throws ClickHouseError when ClickHouse cannot answer.
class PeopleQueries {
 public:
  // `people`: the server's, shared by its questions; else each question reads its own.
  explicit PeopleQueries(const ClickHouseClient& client, const PeopleCache* people = nullptr)
      : client_(client), people_(people) {}

  // engine::list_sessions: sessions with a matching event, sorted (missing values last, ties by
  // session id), a page of them and their total. Two statements; a page by start or end that
  // session_days answers takes one more (its rows per day) and is read from the sessions of the
  // days nearest its end of the order, more days as needed.
  engine::SessionsPage list_sessions(const engine::Filter& filter,
                                     const engine::SessionOrder& order, size_t limit,
                                     size_t offset) const;
  // engine::session_detail, its events as answers show them (engine::EventValues: text, NaN for
  // numbers absent; token and cost figures only on api_request events, as the engine keeps them).
  // Who and where from the first matching event, else the first event; nullopt when no event has
  // the id. Two statements: every event of the session (ClickHouse has no index on it, so this
  // one reads every day), then the metric set over the matching events' days.
  std::optional<engine::SessionEvents> session_detail(const engine::Filter& filter,
                                                      std::string_view session_id) const;
  // engine::list_users: users with a matching event, sorted (by email, or a value with missing
  // values last and ties by email), a page of them and their total. Three statements at most (the
  // third: the newest hints of the page's people the directory does not list).
  engine::UsersPage list_users(const engine::Filter& filter, const engine::UserOrder& order,
                               size_t limit, size_t offset) const;
  // engine::user_profile: nullopt when neither the events nor the directory know the email
  // (compared lowercase). Two statements.
  std::optional<engine::UserProfile> user_profile(const engine::Filter& filter,
                                                  std::string_view email) const;

 private:
  const ClickHouseClient& client_;
  const PeopleCache* people_;
};

}  // namespace cca::clickhouse
