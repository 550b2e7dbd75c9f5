#include "engine/random_store.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "common/time_util.h"

namespace cca::testing {
namespace {

constexpr std::string_view kInsertEvent = R"sql(
INSERT INTO events (key_hi, key_lo, ingest_id, time_ms, event_name_id, session_id, user_id,
  terminal_id, model_id, tool_id, decision_id, decision_source_id, success, error_id,
  status_code_id, attempt, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens,
  cost_usd, duration_ms, prompt_length, tool_result_size_bytes, practice_hint_id, os_type_id,
  version_id, attributes_id)
VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
  ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27))sql";

}  // namespace

StoreWriter::StoreWriter(store::Database& db) : db_(db) {
  db_.exec(
      "INSERT OR IGNORE INTO ingests (id, source, started_ms, status) "
      "VALUES (1, 'test', 0, 'complete')");
  next_key_ = db_.query_int("SELECT ifnull(max(key_lo), 0) + 1 FROM events");
}

int64_t StoreWriter::string_id(const std::optional<std::string>& value) {
  if (!value) return 0;
  if (const auto it = string_ids_.find(*value); it != string_ids_.end()) return it->second;
  store::Statement insert(db_, "INSERT OR IGNORE INTO strings (value) VALUES (?1)");
  insert.bind_text(1, *value);
  insert.step();
  store::Statement select(db_, "SELECT id FROM strings WHERE value = ?1");
  select.bind_text(1, *value);
  select.step();
  return string_ids_[*value] = select.column_int(0);
}

void StoreWriter::insert(const std::vector<StoredEvent>& events) {
  store::Transaction transaction(db_);
  store::Statement insert(db_, kInsertEvent);
  for (const StoredEvent& e : events) {
    insert.reset();
    int index = 1;
    const auto text = [&](const std::optional<std::string>& value) {
      const int64_t id = string_id(value);
      if (id == 0) {
        insert.bind_null(index++);
      } else {
        insert.bind_int(index++, id);
      }
    };
    const auto number = [&](const std::optional<double>& value) {
      if (value) {
        insert.bind_double(index++, *value);
      } else {
        insert.bind_null(index++);
      }
    };
    insert.bind_int(index++, 0);
    insert.bind_int(index++, next_key_++);
    insert.bind_int(index++, e.time_ms);
    text(e.event_name);
    text(e.session_id);
    text(e.user);
    text(e.terminal);
    text(e.model);
    text(e.tool);
    text(e.decision);
    text(e.decision_source);
    if (e.success) {
      insert.bind_int(index++, *e.success);
    } else {
      insert.bind_null(index++);
    }
    text(e.error);
    text(e.status_code);
    number(e.attempt);
    number(e.input_tokens);
    number(e.output_tokens);
    number(e.cache_read_tokens);
    number(e.cache_creation_tokens);
    number(e.cost_usd);
    number(e.duration_ms);
    number(e.prompt_length);
    number(e.tool_result_size_bytes);
    text(e.practice_hint);
    text(e.os);
    text(e.version);
    text(e.attributes);
    insert.step();
  }
  transaction.commit();
}

void StoreWriter::replace_directory(const std::vector<StoredEmployee>& employees) {
  store::Transaction transaction(db_);
  db_.exec("DELETE FROM employees");
  store::Statement insert(db_,
                          "INSERT INTO employees (email, full_name, practice, level, location) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const StoredEmployee& employee : employees) {
    insert.reset();
    insert.bind_text(1, employee.email);
    insert.bind_text(2, employee.full_name);
    insert.bind_text(3, employee.practice);
    insert.bind_text(4, employee.level);
    insert.bind_text(5, employee.location);
    insert.step();
  }
  db_.exec("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory_version'");
  transaction.commit();
}

RandomHistory make_random_history(uint64_t seed, size_t session_count) {
  std::mt19937_64 random(seed);
  const auto pick = [&](const auto& options) {
    return options[std::uniform_int_distribution<size_t>(0, options.size() - 1)(random)];
  };
  const auto chance = [&](double p) { return std::bernoulli_distribution(p)(random); };
  const auto between = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(random);
  };
  // Custom attributes draw from a stream of their own, so that the rest of the history is the
  // same as without them.
  std::mt19937_64 attribute_random(seed ^ 0x5eedULL);
  const auto attribute_chance = [&](double p) {
    return std::bernoulli_distribution(p)(attribute_random);
  };
  const auto attribute_pick = [&](const std::vector<std::string>& options) {
    return options[std::uniform_int_distribution<size_t>(0, options.size() - 1)(attribute_random)];
  };

  RandomHistory h;
  h.practices = {"Platform Engineering", "Data Engineering", "ML Engineering", "Unknown",
                 "Nonexistent"};
  h.levels = {"L1", "L4", "L7", "Unknown", "L99"};
  h.locations = {"Germany", "Poland", "Canada", "Unknown"};
  h.models = {"claude-opus-4-6", "claude-haiku-4-5", "claude-sonnet-4-5", "no-such-model"};
  h.terminals = {"vscode", "iTerm2", "pycharm", "ghostty"};
  const std::vector<std::string> hints = {"Platform Engineering", "Data Engineering",
                                          "ML Engineering", "Backend Engineering"};
  h.tools = {"Read", "Bash", "Edit", "Grep", "mcp_tool", "NoSuchTool"};
  const std::vector<std::string> tools(h.tools.begin(), h.tools.end() - 1);
  h.status_codes = {"429", "500", "undefined", "418"};
  // The first is the user abort the failure rate leaves out; one differs from it by a character.
  h.errors = {"Request was aborted.", "Request was aborted", "Internal server error",
              "rate limit, please retry", "no such error"};
  const std::vector<std::string> versions = {"2.1.39", "2.1.50", "2.0.76"};
  const std::vector<std::string> oses = {"darwin", "linux", "windows"};

  struct User {
    std::string key;  // lowercase email, or a user.id when the email was empty
    std::string terminal, version, os;
    std::optional<std::string> hint;
    nlohmann::json attributes = nlohmann::json::object();
  };
  h.attributes = {{"team.id", {"platform", "infra", "ml", "no-such-team"}},
                  {"cost_center", {"cc-42", "cc-7", "cc-0"}},
                  {"vcs.repository.name", {"demo-repo", "api", "web"}},
                  {"department", {"engineering", "research"}},
                  {"never.sent", {"x"}}};
  std::vector<User> users;
  for (int i = 0; i < 14; ++i) {
    User user;
    user.key = i < 12 ? "user" + std::to_string(i) + "@example.com"
                      : "0f" + std::to_string(1000 + i) + "a7c3e9b2d4";  // no email
    user.terminal = pick(h.terminals);
    user.version = pick(versions);
    user.os = pick(oses);
    if (chance(0.7)) user.hint = pick(hints);
    // Resource attributes: most users carry a team, some a cost centre, a department.
    if (attribute_chance(0.8))
      user.attributes["team.id"] = attribute_pick({"platform", "infra", "ml"});
    if (attribute_chance(0.5)) user.attributes["cost_center"] = attribute_pick({"cc-42", "cc-7"});
    if (attribute_chance(0.6))
      user.attributes["department"] = attribute_pick({"engineering", "research"});
    users.push_back(user);
    h.emails.push_back(user.key);
    // Directory for two thirds of them; emails in mixed case and one row with empty fields.
    if (i % 3 != 2) {
      StoredEmployee employee{user.key, "Person " + std::to_string(i), pick(hints),
                              i == 4 ? "" : pick(std::vector<std::string>{"L1", "L4", "L7"}),
                              pick(std::vector<std::string>{"Germany", "Poland", "Canada"})};
      if (i % 2 == 0) employee.email[0] = 'U';
      h.directory.push_back(employee);
    }
  }
  h.emails.push_back("USER1@EXAMPLE.COM");   // matches user1 case-insensitively
  h.emails.push_back("nobody@example.com");  // matches no one

  const int64_t origin = days_from_civil(2026, 1, 1) * kMsPerDay;
  for (size_t s = 0; s < session_count; ++s) {
    const User& owner = pick(users);
    const User& intruder = pick(users);  // a few sessions carry a second user's events
    const bool shared = chance(0.05);
    const std::string session_id = "session-" + std::to_string(seed) + "-" + std::to_string(s);
    int64_t t = origin + static_cast<int64_t>(between(0, 20) * kMsPerDay);
    if (chance(0.2)) t = floor_div(t, kMsPerHour) * kMsPerHour;  // starts on an hour boundary
    const int events = static_cast<int>(between(5, 160));
    for (int n = 0; n < events; ++n) {
      const User& user = shared && chance(0.3) ? intruder : owner;
      StoredEvent e;
      e.time_ms = t;
      e.session_id = session_id;
      e.user = user.key;
      e.terminal = chance(0.03) ? std::optional<std::string>() : user.terminal;
      if (chance(0.05)) e.terminal = pick(h.terminals);
      e.version = user.version;
      e.os = chance(0.02) ? std::optional<std::string>() : user.os;
      e.practice_hint = user.hint;
      if (chance(0.05)) e.practice_hint = pick(hints);  // the hint changes between events
      // Record attributes on some events: a repository, now and then another team.
      nlohmann::json attributes = user.attributes;
      if (attribute_chance(0.3))
        attributes["vcs.repository.name"] = attribute_pick({"demo-repo", "api", "web"});
      if (attribute_chance(0.03)) attributes["team.id"] = "ml";
      if (!attributes.empty()) e.attributes = attributes.dump();  // keys sorted, as ingest stores
      const double kind = between(0, 1);
      if (kind < 0.12) {
        e.event_name = "user_prompt";
        e.prompt_length = std::floor(between(1, 4000));
      } else if (kind < 0.40) {
        e.event_name = "api_request";
        e.model = pick(h.models);
        if (chance(0.95)) e.input_tokens = std::floor(between(0, 3000));
        if (chance(0.95)) e.output_tokens = std::floor(between(0, 900));
        e.cache_read_tokens = std::floor(between(0, 90000));
        e.cache_creation_tokens = std::floor(between(0, 7000));
        if (chance(0.97)) e.cost_usd = between(0, 0.3);
        if (chance(0.97)) e.duration_ms = std::floor(between(100, 30000));
      } else if (kind < 0.43) {
        e.event_name = "api_error";
        e.model = pick(h.models);
        e.status_code =
            pick(std::vector<std::string>(h.status_codes.begin(), h.status_codes.end() - 1));
        e.error = pick(std::vector<std::string>(h.errors.begin(), h.errors.end() - 1));
        e.attempt = std::floor(between(1, 4));
        e.duration_ms = std::floor(between(10, 5000));
        if (chance(0.1)) e.input_tokens = 5;  // not summed: only api_request tokens count
      } else if (kind < 0.70) {
        e.event_name = "tool_decision";
        e.tool = pick(tools);
        e.decision = chance(0.9) ? "accept" : "reject";
        e.decision_source = pick(std::vector<std::string>{"config", "user_temporary"});
      } else if (kind < 0.97) {
        e.event_name = "tool_result";
        e.tool = pick(tools);
        if (chance(0.97)) e.success = chance(0.93) ? 1 : 0;
        if (chance(0.95)) e.duration_ms = std::floor(between(1, 9000));
        if (chance(0.3)) e.tool_result_size_bytes = std::floor(between(10, 100000));
      } else {
        e.event_name = chance(0.5) ? "session_start" : "custom.thing";
        if (chance(0.3)) e.decision = "accept";  // not a tool_decision: never an accepted decision
      }
      h.events.push_back(std::move(e));
      t += static_cast<int64_t>(between(0, 1) < 0.05 ? 0 : between(1, 240) * 1000);
      if (chance(0.02)) t = (floor_div(t, kMsPerHour) + 1) * kMsPerHour;  // lands on an hour
      if (chance(0.003)) t += static_cast<int64_t>(between(1, 3) * kMsPerDay);  // resumed later
    }
  }
  // One event of no work by the first user in an hour they send nothing else (within the
  // history's span, which stays as it was): an hour with events but no active day.
  std::set<int64_t> busy_hours;
  int64_t first_ms = h.events.front().time_ms, last_ms = first_ms;
  for (const StoredEvent& e : h.events) {
    if (e.user == users.front().key) busy_hours.insert(floor_div(e.time_ms, kMsPerHour));
    first_ms = std::min(first_ms, e.time_ms);
    last_ms = std::max(last_ms, e.time_ms);
  }
  int64_t idle_hour = floor_div(first_ms, kMsPerHour) + 1;
  while (busy_hours.count(idle_hour) && (idle_hour + 1) * kMsPerHour < last_ms) ++idle_hour;
  StoredEvent idle;
  idle.time_ms = idle_hour * kMsPerHour + 61'000;
  idle.event_name = "custom.thing";
  idle.session_id = "session-" + std::to_string(seed) + "-idle";
  idle.user = users.front().key;
  idle.practice_hint = users.front().hint;
  h.events.push_back(std::move(idle));
  std::stable_sort(
      h.events.begin(), h.events.end(),
      [](const StoredEvent& a, const StoredEvent& b) { return a.time_ms < b.time_ms; });
  return h;
}

std::string describe(const engine::Filter& f) {
  std::string text = "filter";
  if (f.from_ms) text += " from=" + format_rfc3339_ms(*f.from_ms);
  if (f.to_ms) text += " to=" + format_rfc3339_ms(*f.to_ms);
  const auto list = [&](const char* name, const std::vector<std::string>& values) {
    if (values.empty()) return;
    text += std::string(" ") + name + "=";
    for (const auto& v : values) text += v + ",";
  };
  list("practice", f.practice);
  list("level", f.level);
  list("location", f.location);
  list("model", f.model);
  list("email", f.email);
  list("terminal", f.terminal);
  list("tool", f.tool);
  list("status_code", f.status_code);
  list("error", f.error);
  for (const auto& [key, values] : f.attributes) list(("attr." + key).c_str(), values);
  return text;
}

// A random combination of the filters, each present about a third of the time, values drawn
// from ones that exist and some that do not.
engine::Filter random_filter(const RandomHistory& history, int64_t first, int64_t last,
                             std::mt19937_64& random) {
  const auto chance = [&](double p) { return std::bernoulli_distribution(p)(random); };
  const auto some = [&](const std::vector<std::string>& options) {
    std::vector<std::string> values;
    const size_t count = 1 + random() % 2;
    for (size_t i = 0; i < count; ++i) values.push_back(options[random() % options.size()]);
    return values;
  };
  engine::Filter f;
  const auto instant = [&] {
    return first - kMsPerDay + static_cast<int64_t>(random() % (last - first + 2 * kMsPerDay));
  };
  switch (random() % 6) {
    case 0:
    case 1:
      break;
    case 2: {  // whole days, as YYYY-MM-DD gives them
      const int64_t day = floor_div(instant(), kMsPerDay) * kMsPerDay;
      f.from_ms = day;
      f.to_ms = day + static_cast<int64_t>(1 + random() % 10) * kMsPerDay;
      break;
    }
    case 3: {  // whole hours
      const int64_t hour = floor_div(instant(), kMsPerHour) * kMsPerHour;
      f.from_ms = hour;
      f.to_ms = hour + static_cast<int64_t>(1 + random() % 200) * kMsPerHour;
      break;
    }
    case 4: {  // any instants, in order
      int64_t a = instant(), b = instant();
      if (a > b) std::swap(a, b);
      f.from_ms = a;
      f.to_ms = b;
      break;
    }
    default:
      if (chance(0.5)) {
        f.from_ms = instant();
      } else {
        f.to_ms = instant();
      }
  }
  if (chance(0.3)) f.practice = some(history.practices);
  if (chance(0.25)) f.level = some(history.levels);
  if (chance(0.25)) f.location = some(history.locations);
  if (chance(0.25)) f.model = some(history.models);
  if (chance(0.25)) f.email = some(history.emails);
  if (chance(0.25)) f.terminal = some(history.terminals);
  if (chance(0.15)) f.tool = some(history.tools);
  if (chance(0.15)) f.status_code = some(history.status_codes);
  if (chance(0.15)) f.error = some(history.errors);
  if (chance(0.3)) {
    const size_t keys = 1 + random() % 2;
    for (size_t k = 0; k < keys; ++k) {
      const auto& [key, values] = history.attributes[random() % history.attributes.size()];
      if (std::none_of(f.attributes.begin(), f.attributes.end(),
                       [&](const auto& entry) { return entry.first == key; }))
        f.attributes.emplace_back(key, some(values));
    }
  }
  return f;
}

}  // namespace cca::testing
