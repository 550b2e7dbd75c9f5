#include "server/report.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <nlohmann/json.hpp>

#include "common/time_util.h"
#include "engine/breakdown.h"
#include "engine/summary.h"
#include "engine/timeseries.h"
#include "insights/budget_status.h"
#include "insights/queries.h"
#include "server/api_error.h"

namespace cca::server {
namespace {

using nlohmann::json;

constexpr std::string_view kReportFormats[] = {"md", "html", "json"};
constexpr size_t kMovers = 5;
constexpr size_t kReportedAnomalies = 5;

struct Period {
  int64_t from_ms, to_ms;
  int64_t days() const { return (to_ms - from_ms) / kMsPerDay; }
};

// 18284 -> "18,284".
std::string grouped(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// "$12.50" below a thousand, "$12,345" from there.
std::string money(double usd) {
  const double size = std::abs(usd);
  std::string text = usd < 0 ? "-$" : "$";
  if (size >= 1000) return text + grouped(static_cast<uint64_t>(std::llround(size)));
  char cents[32];
  std::snprintf(cents, sizeof cents, "%.2f", size);
  return text + cents;
}

std::string signed_money(double usd) {
  std::string text(usd >= 0 ? "+" : "-");
  text += money(std::abs(usd));
  return text;
}

std::string percent(double ratio) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", ratio * 100);
  return text;
}

// "up 12.5% from $100" / "down 3.0% from $100" / "new: nothing was spent before".
std::string change_words(double now, double before) {
  if (before == 0) return now == 0 ? "unchanged" : "up from nothing";
  const double change = (now - before) / before;
  return std::string(change >= 0 ? "up " : "down ") + percent(std::abs(change)) + " from " +
         money(before);
}

std::string day_text(int64_t ms) {
  return format_date(ms);
}

// The last day of [from, to): "to" as the API reads dates, inclusive.
std::string last_day_text(int64_t to_ms) {
  return format_date(to_ms - 1);
}

std::string range_query(const Period& p, const std::string& filters) {
  std::string q = "from=" + day_text(p.from_ms) + "&to=" + last_day_text(p.to_ms);
  if (!filters.empty()) q += "&" + filters;
  return q;
}

Period report_period(const engine::Analytics& analytics, const engine::Filter& filter) {
  // Whole days: the filter's range, or the days of the data where it leaves an end open.
  const engine::BucketRange range = analytics.bucket_range(filter, engine::Bucket::kDay);
  Period p{engine::bucket_start(engine::Bucket::kDay, range.from_ms), range.to_ms};
  p.to_ms = engine::bucket_start(engine::Bucket::kDay, p.to_ms - 1) + kMsPerDay;
  if (p.to_ms <= p.from_ms) p.to_ms = p.from_ms + kMsPerDay;
  return p;
}

json metric_json(const engine::MetricSet& m) {
  const auto value = [&](engine::Metric metric) -> json {
    const std::optional<double> v = engine::metric_value(m, metric);
    return v ? json(*v) : json(nullptr);
  };
  return {{"cost_usd", m.cost_usd},
          {"events", m.events},
          {"sessions", m.sessions},
          {"users", m.users},
          {"api_requests", m.count(engine::EventKind::kApiRequest)},
          {"output_tokens", m.output_tokens},
          {"cost_per_session", value(engine::Metric::kCostPerSession)},
          {"api_error_rate", value(engine::Metric::kApiErrorRate)},
          {"api_failure_rate", value(engine::Metric::kApiFailureRate)},
          {"api_aborts", m.api_aborts},
          {"tool_success_rate", value(engine::Metric::kToolSuccessRate)}};
}

json movers(const engine::Analytics& analytics, const engine::Filter& now,
            const engine::Filter& before, engine::Dimension by) {
  std::map<std::string, std::pair<double, double>> cost;  // key -> (now, before)
  for (const engine::BreakdownRow& row : analytics.breakdown(now, by))
    cost[row.key].first = row.metrics.cost_usd;
  for (const engine::BreakdownRow& row : analytics.breakdown(before, by))
    cost[row.key].second = row.metrics.cost_usd;
  std::vector<std::pair<std::string, std::pair<double, double>>> rows(cost.begin(), cost.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::abs(a.second.first - a.second.second) > std::abs(b.second.first - b.second.second);
  });
  json out = json::array();
  for (size_t i = 0; i < rows.size() && i < kMovers; ++i)
    out.push_back({{"key", rows[i].first},
                   {"cost_usd", rows[i].second.first},
                   {"previous_cost_usd", rows[i].second.second},
                   {"change_usd", rows[i].second.first - rows[i].second.second}});
  return out;
}

// The anomalies of a metric that began in the period, checked against the whole history before
// its end.
void add_anomalies(json& out, const engine::Analytics& analytics, const engine::Filter& filter,
                   const Period& period, engine::Metric metric, int64_t now_ms) {
  engine::Filter history = filter;
  history.from_ms.reset();
  history.to_ms = period.to_ms;
  const insights::MetricAnomalies found = insights::find_metric_anomalies(
      analytics, history, metric, engine::Bucket::kDay, std::nullopt, now_ms);
  for (const insights::Anomaly& a : found.check.anomalies) {
    const int64_t start = found.series.starts[a.begin];
    if (start < period.from_ms) continue;
    json item = {{"metric", engine::metric_name(metric)},
                 {"start", format_rfc3339_s(start)},
                 {"end", format_rfc3339_s(found.series.starts[a.end - 1] + kMsPerDay)},
                 {"direction", a.up ? "up" : "down"},
                 {"value", a.value},
                 {"expected", a.expected},
                 {"score", a.score},
                 {"by", a.by},
                 {"contributors", json::array()}};
    for (const insights::Contributor& c : a.contributors)
      item["contributors"].push_back(
          {{"key", c.key}, {"share", c.share}, {"value", c.value}, {"expected", c.expected}});
    out.push_back(std::move(item));
  }
}

std::string anomaly_sentence(const json& a) {
  const std::string metric = a["metric"];
  const bool money_metric = metric == "cost_usd";
  const auto amount = [&](double v) {
    return money_metric ? money(v)
           : metric.find("rate") != std::string::npos
               ? percent(v)
               : std::to_string(static_cast<int64_t>(std::llround(v)));
  };
  std::string what = metric == "cost_usd"            ? "spend"
                     : metric == "api_error_rate"    ? "the API error rate"
                     : metric == "tool_success_rate" ? "the tool success rate"
                                                     : metric;
  std::string text = "On " + std::string(a["start"]).substr(0, 10) + ", " + what + " was " +
                     amount(a["value"]) + " against an expected " + amount(a["expected"]);
  if (!a["contributors"].empty()) {
    const json& top = a["contributors"][0];
    text += "; " + percent(top["share"].get<double>()) + " of the " +
            (a["direction"] == "up" ? "excess" : "shortfall") + " came from " +
            std::string(a["by"]) + " " + std::string(top["key"]);
  }
  return text + ".";
}

std::vector<std::string> sentences(const json& r) {
  std::vector<std::string> out;
  const json& t = r["totals"];
  const json& p = t["previous"];
  const std::string period =
      std::string(r["period"]["from"]) + " to " + std::string(r["period"]["to"]);
  out.push_back("Spend was " + money(t["cost_usd"]) + " from " + period + ", " +
                change_words(t["cost_usd"], p["cost_usd"]) + " in the " +
                std::to_string(r["period"]["days"].get<int64_t>()) + " days before.");
  out.push_back(std::to_string(t["users"].get<uint64_t>()) + " engineers ran " +
                std::to_string(t["sessions"].get<uint64_t>()) +
                " sessions (before: " + std::to_string(p["users"].get<uint64_t>()) +
                " engineers, " + std::to_string(p["sessions"].get<uint64_t>()) + " sessions).");
  const std::pair<const char*, const char*> dimensions[] = {
      {"practice", "team"}, {"model", "model"}, {"email", "engineer"}};
  for (const auto& [key, noun] : dimensions) {
    const json& rows = r["movers"][key];
    if (rows.empty() || rows[0]["change_usd"].get<double>() == 0) continue;
    const json& top = rows[0];
    const double change = top["change_usd"];
    out.push_back(std::string("The largest change by ") + noun + ": " + std::string(top["key"]) +
                  ", " + signed_money(change) + " (" + money(top["previous_cost_usd"]) + " to " +
                  money(top["cost_usd"]) + ").");
  }
  if (r["anomalies"].empty()) out.push_back("No day stood out from the usual weekly rhythm.");
  for (const json& a : r["anomalies"]) out.push_back(anomaly_sentence(a));
  if (r["budgets"].is_array()) {
    size_t alarms = 0;
    std::string names;
    for (const json& b : r["budgets"])
      if (b["state"] == "alarm") {
        ++alarms;
        names += (names.empty() ? "" : ", ") + std::string(b["name"]) + " (" +
                 money(b["spend_usd"]) + " of " + money(b["amount_usd"]) + ")";
      }
    if (r["budgets"].empty())
      out.push_back("No budgets are set.");
    else if (alarms == 0)
      out.push_back("All " + std::to_string(r["budgets"].size()) +
                    " budgets are within their thresholds.");
    else
      out.push_back(std::to_string(alarms) + " of " + std::to_string(r["budgets"].size()) +
                    " budgets are in alarm: " + names + ".");
  }
  const json& f = r["forecast"];
  if (f["basis"] == "rest_of_period")
    out.push_back("At the current pace, spend will reach " + money(f["forecast_usd"]) + " by " +
                  std::string(f["to"]) + " (" + money(f["spend_to_date_usd"]) + " so far).");
  else
    out.push_back("The next " + std::to_string(r["period"]["days"].get<int64_t>()) + " days, to " +
                  std::string(f["to"]) + ", are forecast at " + money(f["forecast_usd"]) + ".");
  const json& rel = r["reliability"];
  const auto rate = [](const json& v) { return v.is_null() ? std::string("n/a") : percent(v); };
  out.push_back("API requests failed " + rate(rel["api_failure_rate"]) +
                " of the time (before: " + rate(rel["previous"]["api_failure_rate"]) +
                "), not counting " + std::to_string(rel["api_aborts"].get<uint64_t>()) +
                " requests people stopped; tools succeeded " + rate(rel["tool_success_rate"]) +
                " of the time (before: " + rate(rel["previous"]["tool_success_rate"]) + ").");
  return out;
}

// --- Markdown and HTML ---------------------------------------------------------------------

std::string escape_html(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escape_markdown(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|' || c == '*' || c == '_' || c == '`' || c == '[' || c == ']' || c == '<')
      out += '\\';
    out += c;
  }
  return out;
}

// Tables shared by both renderings: rows of cells, first row the header.
using Table = std::vector<std::vector<std::string>>;

std::vector<std::pair<std::string, Table>> tables(const json& r) {
  std::vector<std::pair<std::string, Table>> out;
  const json& t = r["totals"];
  const json& p = t["previous"];
  const auto count = [](const json& v) { return grouped(v.get<uint64_t>()); };
  const auto rate = [](const json& v) { return v.is_null() ? std::string("n/a") : percent(v); };
  out.push_back(
      {"Totals",
       {{"", "This period", "Previous period"},
        {"Spend", money(t["cost_usd"]), money(p["cost_usd"])},
        {"Sessions", count(t["sessions"]), count(p["sessions"])},
        {"Engineers", count(t["users"]), count(p["users"])},
        {"API requests", count(t["api_requests"]), count(p["api_requests"])},
        {"API failure rate", rate(t["api_failure_rate"]), rate(p["api_failure_rate"])},
        {"Tool success rate", rate(t["tool_success_rate"]), rate(p["tool_success_rate"])}}});
  const std::pair<const char*, const char*> dims[] = {
      {"practice", "Team"}, {"model", "Model"}, {"email", "Engineer"}};
  for (const auto& [key, title] : dims) {
    Table table = {{title, "Spend", "Previous", "Change"}};
    for (const json& row : r["movers"][key]) {
      const double change = row["change_usd"];
      table.push_back({row["key"], money(row["cost_usd"]), money(row["previous_cost_usd"]),
                       signed_money(change)});
    }
    out.push_back({std::string("Movers by ") + title, std::move(table)});
  }
  if (r["budgets"].is_array() && !r["budgets"].empty()) {
    Table table = {{"Budget", "Period", "Spend", "Forecast", "Amount", "State"}};
    for (const json& b : r["budgets"])
      table.push_back({b["name"], b["period"], money(b["spend_usd"]), money(b["forecast_usd"]),
                       money(b["amount_usd"]), b["state"]});
    out.push_back({"Budgets", std::move(table)});
  }
  return out;
}

std::string markdown(const json& r) {
  std::string md = "# Claude Code usage: ";
  md += r["period"]["from"].get<std::string>();
  md += " to ";
  md += r["period"]["to"].get<std::string>();
  md += "\n\n";
  if (!r["filters"].get<std::string>().empty()) {
    md += "Filters: `";
    md += r["filters"].get<std::string>();
    md += "`\n\n";
  }
  for (const json& s : r["sentences"]) {
    md += "- ";
    md += escape_markdown(s.get<std::string>());
    md += '\n';
  }
  for (const auto& [title, table] : tables(r)) {
    md += "\n## " + title + "\n\n";
    for (size_t i = 0; i < table.size(); ++i) {
      md += "|";
      for (const std::string& cell : table[i]) {
        md += ' ';
        md += escape_markdown(cell);
        md += " |";
      }
      md += "\n";
      if (i == 0) {
        md += "|";
        for (size_t c = 0; c < table[i].size(); ++c) md += c == 0 ? " --- |" : " ---: |";
        md += "\n";
      }
    }
  }
  md += "\n## Sources\n\nEvery figure above is the answer of one API question:\n\n";
  for (const auto& [name, source] : r["sources"].items())
    md += "- " + name + ": `" + source.get<std::string>() + "`\n";
  return md;
}

// Daily spend, this period's bars against the previous period's line, as inline SVG.
std::string spend_chart_svg(const json& daily) {
  constexpr int kWidth = 720, kHeight = 220, kLeft = 60, kBottom = 30, kTop = 10;
  const size_t n = daily.size();
  if (n == 0) return {};
  double top = 0;
  for (const json& d : daily)
    top = std::max({top, d["cost_usd"].get<double>(), d["previous_cost_usd"].get<double>()});
  // A round top: 1, 2, 2.5 or 5 times a power of ten, so that the four ticks are round too.
  {
    const double raw = top > 0 ? top : 1;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    double nice = 10 * power;
    for (const double step : {1.0, 2.0, 2.5, 5.0, 10.0})
      if (step * power >= raw) {
        nice = step * power;
        break;
      }
    top = nice;
  }
  const double plot_w = kWidth - kLeft - 10, plot_h = kHeight - kBottom - kTop;
  const double step = plot_w / static_cast<double>(n);
  char buffer[256];
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 220\" "
      "role=\"img\" aria-label=\"Daily spend, this period against the previous\">";
  for (int tick = 0; tick <= 4; ++tick) {
    const double y = kTop + plot_h - plot_h * tick / 4;
    std::snprintf(buffer, sizeof buffer,
                  "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">",
                  kLeft, kWidth - 10, y, y, kLeft - 4, y + 3);
    svg += buffer + escape_html(money(top * tick / 4)) + "</text>";
  }
  std::string line;
  for (size_t i = 0; i < n; ++i) {
    const double v = daily[i]["cost_usd"], before = daily[i]["previous_cost_usd"];
    const double x = kLeft + step * static_cast<double>(i);
    const double h = plot_h * v / top;
    std::snprintf(buffer, sizeof buffer,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a6fd1\">"
                  "<title>",
                  x + step * 0.15, kTop + plot_h - h, step * 0.7, h);
    svg += buffer + escape_html(daily[i]["t"].get<std::string>().substr(0, 10) + ": " + money(v)) +
           "</title></rect>";
    std::snprintf(buffer, sizeof buffer, "%s%.1f,%.1f", line.empty() ? "" : " ", x + step / 2,
                  kTop + plot_h - plot_h * before / top);
    line += buffer;
    if (i % std::max<size_t>(1, n / 8) == 0) {
      std::snprintf(buffer, sizeof buffer,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">",
                    x + step / 2, kHeight - 10);
      svg += buffer + daily[i]["t"].get<std::string>().substr(5, 5) + "</text>";
    }
  }
  svg += "<polyline points=\"" + line +
         "\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\" stroke-width=\"1.5\"/></svg>";
  return svg;
}

std::string html(const json& r) {
  const std::string title = "Claude Code usage: " + std::string(r["period"]["from"]) + " to " +
                            std::string(r["period"]["to"]);
  std::string out =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
      escape_html(title) +
      "</title><style>"
      "body{font:14px/1.5 system-ui,sans-serif;max-width:760px;margin:2em auto;color:#222}"
      "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}"
      "table{border-collapse:collapse;width:100%;margin:.5em 0}"
      "th,td{padding:4px 8px;border-bottom:1px solid #e4e4e4;text-align:right}"
      "th:first-child,td:first-child{text-align:left}code{font-size:12px}"
      ".legend{color:#666;font-size:12px}"
      "@media print{body{margin:0;max-width:none}h2{break-after:avoid}table{break-inside:avoid}}"
      "</style></head><body><h1>" +
      escape_html(title) + "</h1>";
  if (!r["filters"].get<std::string>().empty())
    out += "<p>Filters: <code>" + escape_html(r["filters"].get<std::string>()) + "</code></p>";
  out += "<ul>";
  for (const json& s : r["sentences"]) out += "<li>" + escape_html(s.get<std::string>()) + "</li>";
  out += "</ul><h2>Daily spend</h2>" + spend_chart_svg(r["daily"]) +
         "<p class=\"legend\">Bars: this period. Dashed line: the previous period, day by day.</p>";
  for (const auto& [heading, table] : tables(r)) {
    out += "<h2>" + escape_html(heading) + "</h2><table>";
    for (size_t i = 0; i < table.size(); ++i) {
      out += "<tr>";
      for (const std::string& cell : table[i])
        out += (i == 0 ? "<th>" : "<td>") + escape_html(cell) + (i == 0 ? "</th>" : "</td>");
      out += "</tr>";
    }
    out += "</table>";
  }
  out += "<h2>Sources</h2><p>Every figure above is the answer of one API question:</p><ul>";
  for (const auto& [name, source] : r["sources"].items())
    out += "<li>" + escape_html(name) + ": <code>" + escape_html(source.get<std::string>()) +
           "</code></li>";
  return out + "</ul></body></html>";
}

}  // namespace

std::string report_filter_query(const std::multimap<std::string, std::string>& params) {
  const auto encode = [](std::string_view text) {
    std::string out;
    for (const unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',') {
        out += static_cast<char>(c);
      } else {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", c);
        out += hex;
      }
    }
    return out;
  };
  std::string query;
  for (const auto& [name, value] : params) {
    if (name == "from" || name == "to" || name == "format") continue;
    if (!query.empty()) query += '&';
    query += encode(name);
    query += '=';
    query += encode(value);
  }
  return query;
}

std::optional<ReportFormat> parse_report_format(std::string_view name) {
  for (size_t i = 0; i < std::size(kReportFormats); ++i)
    if (kReportFormats[i] == name) return static_cast<ReportFormat>(i);
  return std::nullopt;
}

Answer build_report(const engine::Analytics& analytics, const ReportRequest& request,
                    ReportFormat format) {
  const Period period = report_period(analytics, request.filter);
  const Period previous{period.from_ms - (period.to_ms - period.from_ms), period.from_ms};
  engine::Filter now_filter = request.filter, before_filter = request.filter;
  now_filter.from_ms = period.from_ms;
  now_filter.to_ms = period.to_ms;
  before_filter.from_ms = previous.from_ms;
  before_filter.to_ms = previous.to_ms;
  const std::string& filters = request.filter_query;
  const std::string range = range_query(period, filters);

  json r;
  r["period"] = {{"from", day_text(period.from_ms)},
                 {"to", last_day_text(period.to_ms)},
                 {"days", period.days()}};
  r["previous_period"] = {{"from", day_text(previous.from_ms)},
                          {"to", last_day_text(previous.to_ms)}};
  r["filters"] = filters;
  const engine::MetricSet totals = analytics.summarize(now_filter).metrics;
  const engine::MetricSet before = analytics.summarize(before_filter).metrics;
  r["totals"] = metric_json(totals);
  r["totals"]["previous"] = metric_json(before);
  r["movers"] = {
      {"practice", movers(analytics, now_filter, before_filter, engine::Dimension::kPractice)},
      {"model", movers(analytics, now_filter, before_filter, engine::Dimension::kModel)},
      {"email", movers(analytics, now_filter, before_filter, engine::Dimension::kEmail)}};

  json anomalies = json::array();
  for (const engine::Metric metric :
       {engine::Metric::kCostUsd, engine::Metric::kApiErrorRate, engine::Metric::kToolSuccessRate})
    add_anomalies(anomalies, analytics, request.filter, period, metric, request.now_ms);
  std::stable_sort(anomalies.begin(), anomalies.end(), [](const json& a, const json& b) {
    return a["score"].get<double>() > b["score"].get<double>();
  });
  if (anomalies.size() > kReportedAnomalies)
    anomalies.erase(anomalies.begin() + kReportedAnomalies, anomalies.end());
  r["anomalies"] = anomalies;
  r["budgets"] =
      request.budgets_json.empty() ? json(nullptr) : json::parse(request.budgets_json)["budgets"];

  // While the period runs, its own end; once it is over, the next period of the same length.
  const bool running = request.now_ms < period.to_ms;
  const Period horizon =
      running ? period : Period{period.to_ms, period.to_ms + (period.to_ms - period.from_ms)};
  const insights::SpendProjection projection =
      insights::project_spend(analytics, request.filter, {horizon.from_ms, horizon.to_ms},
                              running ? request.now_ms : horizon.from_ms);
  r["forecast"] = {{"metric", "cost_usd"},
                   {"basis", running ? "rest_of_period" : "next_period"},
                   {"from", day_text(horizon.from_ms)},
                   {"to", last_day_text(horizon.to_ms)},
                   {"spend_to_date_usd", projection.spend_usd},
                   {"forecast_usd", projection.forecast_usd}};
  r["reliability"] = {{"api_error_rate", r["totals"]["api_error_rate"]},
                      {"api_failure_rate", r["totals"]["api_failure_rate"]},
                      {"api_aborts", totals.api_aborts},
                      {"tool_success_rate", r["totals"]["tool_success_rate"]},
                      {"previous",
                       {{"api_error_rate", r["totals"]["previous"]["api_error_rate"]},
                        {"api_failure_rate", r["totals"]["previous"]["api_failure_rate"]},
                        {"tool_success_rate", r["totals"]["previous"]["tool_success_rate"]}}}};

  const engine::Timeseries daily = analytics.timeseries(now_filter, engine::Bucket::kDay);
  const engine::Timeseries daily_before = analytics.timeseries(before_filter, engine::Bucket::kDay);
  r["daily"] = json::array();
  for (size_t i = 0; i < daily.starts.size(); ++i)
    r["daily"].push_back(
        {{"t", format_rfc3339_s(daily.starts[i])},
         {"cost_usd", daily.points[i].cost_usd},
         {"previous_cost_usd",
          i < daily_before.points.size() ? daily_before.points[i].cost_usd : 0.0}});

  const std::string sep = filters.empty() ? "" : "&";
  r["sources"] = {
      {"totals", "/api/v1/summary?" + range + "&compare=previous"},
      {"movers.practice", "/api/v1/breakdown?by=practice&sort=cost_usd&compare=previous&" + range},
      {"movers.model", "/api/v1/breakdown?by=model&sort=cost_usd&compare=previous&" + range},
      {"movers.email", "/api/v1/breakdown?by=email&sort=cost_usd&compare=previous&" + range},
      {"anomalies",
       "/api/v1/anomalies?metric=cost_usd&bucket=day&to=" + last_day_text(period.to_ms) + sep +
           filters + " (and metric=api_error_rate, metric=tool_success_rate)"},
      {"forecast",
       "/api/v1/forecast?metric=cost_usd&bucket=day&to=" +
           last_day_text(std::min(horizon.from_ms, (request.now_ms / kMsPerDay) * kMsPerDay)) +
           "&horizon=" + std::to_string((horizon.to_ms - horizon.from_ms) / kMsPerDay) + sep +
           filters},
      {"reliability", "/api/v1/summary?" + range + "&compare=previous"},
      {"daily", "/api/v1/timeseries?bucket=day&metrics=cost_usd&compare=previous&" + range}};
  if (r["budgets"].is_array()) r["sources"]["budgets"] = "/api/v1/budgets";
  json text = json::array();
  for (const std::string& s : sentences(r)) text.push_back(s);
  r["sentences"] = text;

  switch (format) {
    case ReportFormat::kJson:
      return {r.dump(), "application/json; charset=utf-8"};
    case ReportFormat::kHtml:
      return {html(r), "text/html; charset=utf-8"};
    case ReportFormat::kMarkdown:
      break;
  }
  return {markdown(r), "text/markdown; charset=utf-8"};
}

}  // namespace cca::server
