#include "clickhouse/random_metrics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

namespace cca::testing {
namespace {

using nlohmann::json;

constexpr int64_t kFirstMs = 1'793'491'200'000;  // 2026-11-01T00:00:00Z
constexpr int64_t kMsPerMinute = 60'000;

json string_value(const std::string& value) {
  return {{"stringValue", value}};
}
json attribute(const std::string& key, json value) {
  json kv = json::object();
  kv["key"] = key;
  kv["value"] = std::move(value);
  return kv;
}

// A person as the points name them.
struct Person {
  std::string email;  // as sent (any case, spaces around), "" when only an id is sent
  std::string id;
  std::string hint;  // resource user.practice, "" for none
};

// One metric series a client exports: its metric and its point attributes.
struct SeriesSpec {
  std::string name, unit;
  std::string kind;  // sum, gauge or histogram
  bool monotonic = true;
  json attributes = json::array();
  bool whole = true;  // values sent as asInt
  // Cumulative clients: the series' start and running total.
  int64_t start_ns = 0;
  double total = 0;
  int64_t last_time_ns = 0;
};

struct Generator {
  std::mt19937_64 random;
  RandomMetrics out;
  std::vector<Person> people;
  const std::vector<std::string> models = {"claude-sonnet-4-5", "claude-opus-4-5",
                                           "claude-haiku-4-5"};
  const std::vector<std::string> tools = {"Edit", "Write", "MultiEdit", "NotebookEdit"};
  const std::vector<std::string> languages = {"Python", "TypeScript", "Go", "Markdown"};
  const std::vector<std::string> terminals = {"xterm-256color", "vscode", "tmux"};
  const std::vector<std::string> teams = {"platform", "payments", "search"};

  explicit Generator(uint64_t seed) : random(seed) {}

  size_t below(size_t n) { return random() % n; }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(random) < p; }
  template <class T>
  const T& pick(const std::vector<T>& values) {
    return values[below(values.size())];
  }

  void make_people() {
    const char* practices[] = {"Platform", "ML Engineering", "Data"};
    out.directory_csv = "email,full_name,practice,level,location,user_id\n";
    for (int i = 0; i < 14; ++i) {
      Person p;
      const std::string email = "dev" + std::to_string(i) + "@example.com";
      if (i % 4 != 3) p.email = i % 3 == 0 ? " Dev" + std::to_string(i) + "@Example.COM " : email;
      p.id = "id-" + std::to_string(i);
      if (i % 3 != 1) p.hint = practices[(i + 1) % 3];
      if (i % 2 == 0 && !p.email.empty()) {  // listed by email
        out.directory_csv += email + ",Dev " + std::to_string(i) + "," + practices[i % 3] + "," +
                             (i % 4 ? "L4" : "L6") + "," + (i % 3 ? "Berlin" : "Remote") + ",\n";
      } else if (i == 7) {  // listed by user id only
        out.directory_csv += "dev7.listed@example.com,Dev 7,Data,L5,Remote," + p.id + "\n";
      }
      if (!p.email.empty())
        out.emails.push_back(i % 5 == 0 ? " DEV" + std::to_string(i) + "@example.com" : email);
      out.emails.push_back(p.id);
      people.push_back(p);
    }
    out.emails.push_back("nobody@example.com");
    out.practices = {"Platform", "ML Engineering", "Data", "Unknown", "Nope"};
    out.levels = {"L4", "L5", "L6", "Unknown"};
    out.locations = {"Berlin", "Remote", "Unknown"};
    out.terminals = terminals;
    out.terminals.push_back("kitty");
    out.models = models;
    out.models.push_back("claude-unknown");
    out.tools = tools;
    out.tools.push_back("Bash");
    out.attributes = {{"team.id", teams},       {"cost_center", {"cc-1", "cc-2"}},
                      {"repo", {"api", "web"}}, {"empty.tag", {"x"}},
                      {"build.number", {"7"}},  {"no.such.key", {"v"}}};
  }

  // The series a client exports, with its identity attributes on each point.
  std::vector<SeriesSpec> client_series(const json& identity) {
    std::vector<SeriesSpec> series;
    const auto add = [&](std::string name, std::string unit, std::string kind,
                         std::vector<json> extra, bool whole = true) {
      SeriesSpec s;
      s.name = std::move(name);
      s.unit = std::move(unit);
      s.kind = std::move(kind);
      s.whole = whole;
      s.attributes = identity;
      for (json& a : extra) s.attributes.push_back(std::move(a));
      series.push_back(std::move(s));
    };
    add("claude_code.session.count", "count", "sum", {});
    for (const char* type : {"added", "removed"})
      add("claude_code.lines_of_code.count", "count", "sum",
          {attribute("type", string_value(type)), attribute("model", string_value(pick(models)))});
    add("claude_code.lines_of_code.count", "count", "sum",
        {attribute("type", string_value("renamed"))});  // neither added nor removed
    add("claude_code.commit.count", "count", "sum", {});
    add("claude_code.pull_request.count", "count", "sum",
        {attribute("repo", string_value(chance(0.5) ? "api" : "web"))});
    for (const char* type : {"user", "cli"})
      add("claude_code.active_time.total", "s", "sum", {attribute("type", string_value(type))},
          false);
    for (int i = 0; i < 3; ++i)
      add("claude_code.code_edit_tool.decision", "count", "sum",
          {attribute("decision", string_value(chance(0.7) ? "accept" : "reject")),
           attribute("tool_name", string_value(pick(tools))),
           attribute("language", string_value(pick(languages))),
           attribute("source", string_value("config"))});
    add("claude_code.token.usage", "tokens", "sum",
        {attribute("type", string_value("input")), attribute("model", string_value(pick(models)))});
    add("claude_code.cost.usage", "USD", "sum", {attribute("model", string_value(pick(models)))},
        false);
    add("claude_code.memory.gauge", "By", "gauge", {}, false);
    add("claude_code.tool.duration", "ms", "histogram",
        {attribute("tool_name", string_value(pick(tools)))}, false);
    return series;
  }

  json point_of(const SeriesSpec& s, int64_t start_ns, int64_t time_ns, double value) {
    json point = json::object();
    point["attributes"] = s.attributes;
    point["startTimeUnixNano"] = std::to_string(start_ns);
    point["timeUnixNano"] = std::to_string(time_ns);
    if (s.kind == "histogram") {
      point["count"] = std::to_string(1 + below(20));
      if (chance(0.8)) point["sum"] = value;  // a histogram of negative values has none
      point["bucketCounts"] = json::array();
      point["explicitBounds"] = json::array();
    } else if (s.whole) {
      point["asInt"] = std::to_string(static_cast<int64_t>(value));
    } else {
      point["asDouble"] = value;
    }
    return point;
  }

  json metric_of(const SeriesSpec& s, int temporality, json points) {
    std::string kind = s.kind, unit = s.unit;
    // Now and then a commit count arrives as a gauge, and a PR count without its unit: the
    // series keeps its first point's kind and unit.
    if (s.name == "claude_code.commit.count" && chance(0.05)) kind = "gauge";
    if (s.name == "claude_code.pull_request.count" && chance(0.1)) unit = "";
    json data = json::object();
    data["dataPoints"] = std::move(points);
    if (kind == "sum") {
      data["aggregationTemporality"] = temporality;
      data["isMonotonic"] = s.monotonic;
    } else if (kind == "histogram") {
      data["aggregationTemporality"] = temporality;
    }
    json metric = json::object();
    metric["name"] = s.name;
    metric["unit"] = unit;
    metric[kind] = std::move(data);
    return metric;
  }

  json request_of(const json& resource, json metrics) {
    json scope = json::object();
    scope["scope"] = {{"name", "com.anthropic.claude_code"}};
    scope["metrics"] = std::move(metrics);
    json resource_metrics = json::object();
    resource_metrics["resource"] = {{"attributes", resource}};
    resource_metrics["scopeMetrics"] = json::array({std::move(scope)});
    json request = json::object();
    request["resourceMetrics"] = json::array({std::move(resource_metrics)});
    return request;
  }

  // The points the ingest refuses: no user, no value, a negative counter.
  json refused_metrics(int64_t time_ns) {
    SeriesSpec s;
    s.name = "claude_code.commit.count";
    s.kind = "sum";
    json no_value = point_of(s, time_ns - 1'000, time_ns, 1);
    no_value.erase("asInt");
    s.attributes = {attribute("user.id", string_value("id-0"))};
    json with_user_no_value = point_of(s, time_ns - 1'000, time_ns, 1);
    with_user_no_value.erase("asInt");
    SeriesSpec anonymous;
    anonymous.name = s.name;
    anonymous.kind = s.kind;
    return json::array({metric_of(s, 1, json::array({point_of(s, time_ns - 1'000, time_ns, -3)})),
                        metric_of(s, 1, json::array({with_user_no_value})),
                        metric_of(anonymous, 1, json::array({no_value}))});
  }

  void client(const Person& person, int index) {
    const bool cumulative = index % 3 == 0;
    const int temporality = cumulative ? 2 : 1;
    json resource = {attribute("service.name", string_value("claude-code")),
                     attribute("team.id", string_value(pick(teams))),
                     attribute("cost_center", string_value(chance(0.5) ? "cc-1" : "cc-2")),
                     attribute("build.number", {{"intValue", "7"}})};
    if (chance(0.3)) resource.push_back(attribute("empty.tag", string_value("")));
    if (!person.hint.empty())
      resource.push_back(attribute("user.practice", string_value(person.hint)));
    json identity = json::array();
    // The person on the points, or (some clients) on the resource only.
    json& person_holder = index % 4 == 1 ? resource : identity;
    if (!person.email.empty())
      person_holder.push_back(attribute("user.email", string_value(person.email)));
    person_holder.push_back(attribute("user.id", string_value(person.id)));
    identity.push_back(attribute("session.id", string_value("s-" + std::to_string(index))));
    identity.push_back(attribute("terminal.type", string_value(pick(terminals))));
    if (chance(0.3)) identity.push_back(attribute("team.id", string_value(pick(teams))));
    if (chance(0.2)) identity.push_back(attribute("cost_center", {{"intValue", "42"}}));
    if (chance(0.2)) identity.push_back(attribute("empty.tag", string_value("")));
    if (chance(0.1))
      identity.push_back(attribute("team.id", string_value("")));  // hides the resource's
    std::vector<SeriesSpec> series = client_series(identity);

    int64_t now_ms = kFirstMs + static_cast<int64_t>(below(28 * 24 * 60)) * kMsPerMinute;
    int64_t start_ns = now_ms * 1'000'000 - 5'000'000'000;
    for (SeriesSpec& s : series) s.start_ns = start_ns;
    std::vector<json> sent;
    const int exports = 4 + static_cast<int>(below(10));
    for (int e = 0; e < exports; ++e) {
      now_ms += static_cast<int64_t>(1 + below(chance(0.2) ? 600 : 30)) * kMsPerMinute / 2;
      const int64_t time_ns = now_ms * 1'000'000 + static_cast<int64_t>(below(1'000'000));
      out.times_ms.push_back(time_ns / 1'000'000);
      if (cumulative && chance(0.1)) {  // the client restarted: new start time, totals from 0
        for (SeriesSpec& s : series) {
          s.start_ns = time_ns - 2'000'000'000;
          s.total = 0;
        }
      }
      json metrics = json::array();
      for (SeriesSpec& s : series) {
        if (!cumulative && !chance(0.6)) continue;
        const double increment =
            s.whole ? static_cast<double>(below(40)) : 0.25 * static_cast<double>(below(400)) + 0.1;
        json points = json::array();
        if (cumulative) {
          if (chance(0.7)) s.total += increment;  // else an unchanged total, exported again
          if (s.monotonic && chance(0.05))
            s.total = s.whole ? std::floor(s.total / 2) : s.total / 3;
          if (s.last_time_ns > 0 && chance(0.08))  // a late point, older than the newest
            points.push_back(point_of(s, s.start_ns, s.last_time_ns - 1'000'000, s.total + 1));
          const double value = s.kind == "gauge" ? increment : s.total;
          points.push_back(point_of(s, s.start_ns, time_ns, value));
          s.last_time_ns = time_ns;
        } else {
          points.push_back(point_of(s, s.start_ns, time_ns, increment));
          if (chance(0.03)) points.push_back(points.back());  // twice in one export
          s.start_ns = time_ns;
        }
        metrics.push_back(metric_of(s, temporality, std::move(points)));
      }
      if (chance(0.1))
        for (json& m : refused_metrics(time_ns)) metrics.push_back(std::move(m));
      json request = request_of(resource, std::move(metrics));
      if (!sent.empty() && chance(0.1)) {  // an export that repeats an earlier one's points
        const json& earlier = sent[below(sent.size())];
        for (const json& rm : earlier["resourceMetrics"]) request["resourceMetrics"].push_back(rm);
      }
      sent.push_back(request);
      out.requests.push_back(request.dump());
      if (chance(0.15)) out.requests.push_back(pick(sent).dump());  // a redelivery
    }
  }
};

}  // namespace

RandomMetrics make_random_metrics(uint64_t seed) {
  Generator g(seed);
  g.make_people();
  for (int c = 0; c < 36; ++c) g.client(g.people[c % g.people.size()], c);
  std::sort(g.out.times_ms.begin(), g.out.times_ms.end());
  return std::move(g.out);
}

engine::Filter random_code_filter(const RandomMetrics& m, std::mt19937_64& random) {
  const auto chance = [&](int percent) { return static_cast<int>(random() % 100) < percent; };
  const auto some = [&](const std::vector<std::string>& values) {
    std::vector<std::string> chosen = {values[random() % values.size()]};
    if (chance(30)) chosen.push_back(values[random() % values.size()]);
    return chosen;
  };
  const auto time = [&] {
    const int64_t t = m.times_ms[random() % m.times_ms.size()];
    if (chance(40)) return t;  // exactly a point's time: from includes it, to excludes it
    if (chance(30)) return t / 86'400'000 * 86'400'000;
    return t + static_cast<int64_t>(random() % 7'200'000) - 3'600'000;
  };
  engine::Filter f;
  if (chance(50)) f.from_ms = time();
  if (chance(50)) f.to_ms = time();
  if (f.from_ms && f.to_ms && *f.to_ms < *f.from_ms) std::swap(*f.from_ms, *f.to_ms);
  if (chance(25)) f.practice = some(m.practices);
  if (chance(10)) f.scope_practices = some(m.practices);
  if (chance(15)) f.level = some(m.levels);
  if (chance(15)) f.location = some(m.locations);
  if (chance(20)) f.email = some(m.emails);
  if (chance(15)) f.terminal = some(m.terminals);
  if (chance(20)) f.model = some(m.models);
  if (chance(15)) f.tool = some(m.tools);
  if (chance(25)) {
    const auto& [key, values] = m.attributes[random() % m.attributes.size()];
    f.attributes.push_back({key, some(values)});
  }
  if (chance(4)) f.status_code = {"500"};
  if (chance(3)) f.error = {"Request was aborted."};
  return f;
}

}  // namespace cca::testing
