#include "server/budget_request.h"

#include <httplib.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "insights/budget_status.h"
#include "server/api_error.h"
#include "server/query_params.h"
#include "server/routes.h"
#include "server/webhook.h"

namespace cca::server {
namespace {

constexpr size_t kMaxName = 200;
constexpr size_t kMaxThresholds = 20;
constexpr double kMaxPercent = 1000;

[[noreturn]] void invalid_field(std::string_view field, std::string_view why) {
  throw ApiError(400, "invalid_budget", std::string(field) + " " + std::string(why));
}

bool is_budget_filter(std::string_view name) {
  if (name.substr(0, 5) == "attr.") return true;
  if (name == "from" || name == "to") return false;  // the budget's period sets the time
  for (const std::string_view filter : filter_params())
    if (filter == name) return true;
  return false;
}

// Filter values as text: a string as it is, an array of strings joined by commas.
// A budget's filter always narrows it: empty values are refused rather than read as "any".
std::string filter_text(const std::string& name, const nlohmann::json& value) {
  const std::string field = "filters." + name;
  if (value.is_string()) {
    if (value.get<std::string>().empty()) invalid_field(field, "must name at least one value");
    return value.get<std::string>();
  }
  if (!value.is_array() || value.empty())
    invalid_field(field, "must be a string or an array of strings");
  std::string text;
  for (const nlohmann::json& item : value) {
    if (!item.is_string() || item.get<std::string>().empty())
      invalid_field(field, "must hold non-empty strings only");
    if (!text.empty()) text += ',';
    text += item.get<std::string>();
  }
  return text;
}

engine::Filter filter_of(const nlohmann::json& filters) {
  httplib::Request request;
  for (const auto& [name, value] : filters.items())
    request.params.emplace(name, value.get<std::string>());
  try {
    return QueryParams(request, route_spec(RouteId::kSummary)).filter();
  } catch (const ApiError& error) {
    // "query parameter 'practice' ..." reads as the budget's field.
    std::string message = error.what();
    const std::string prefix = "query parameter '";
    if (message.rfind(prefix, 0) == 0) {
      const size_t quote = message.find('\'', prefix.size());
      message = "filters." + message.substr(prefix.size(), quote - prefix.size()) +
                message.substr(quote + 1);
    }
    throw ApiError(400, "invalid_budget", message);
  }
}

}  // namespace

store::BudgetRecord parse_budget_request(std::string_view body) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& error) {
    throw ApiError(400, "invalid_budget", std::string("the body is not JSON: ") + error.what());
  }
  if (!json.is_object()) throw ApiError(400, "invalid_budget", "the body must be a JSON object");
  for (const auto& [key, value] : json.items())
    if (key != "name" && key != "amount_usd" && key != "period" && key != "filters" &&
        key != "thresholds" && key != "webhook")
      invalid_field(
          key, "is not a budget field (name, amount_usd, period, filters, thresholds, webhook)");

  store::BudgetRecord record;
  const nlohmann::json& name = json["name"];
  if (!name.is_string() || name.get<std::string>().empty() ||
      name.get<std::string>().size() > kMaxName)
    invalid_field("name", "must be a non-empty string of at most 200 bytes");
  record.name = name.get<std::string>();

  const nlohmann::json& amount = json["amount_usd"];
  if (!amount.is_number() || !std::isfinite(amount.get<double>()) || amount.get<double>() <= 0)
    invalid_field("amount_usd", "must be a number above 0");
  record.amount_usd = amount.get<double>();

  const nlohmann::json& period = json["period"];
  if (!period.is_string() || !insights::parse_budget_period(period.get<std::string>()))
    invalid_field("period", "must be day, week or month");
  record.period = period.get<std::string>();

  nlohmann::json filters = nlohmann::json::object();
  if (json.contains("filters")) {
    if (!json["filters"].is_object())
      invalid_field("filters", "must be an object of filter parameters");
    for (const auto& [key, value] : json["filters"].items()) {
      if (!is_budget_filter(key))
        invalid_field("filters." + key,
                      "is not a filter a budget takes (the period sets the time)");
      filters[key] = filter_text(key, value);
    }
  }
  filter_of(filters);  // refuses what a query would
  record.filters_json = filters.dump();

  nlohmann::json thresholds = nlohmann::json::array();
  if (json.contains("thresholds")) {
    const nlohmann::json& given = json["thresholds"];
    if (!given.is_array() || given.empty() || given.size() > kMaxThresholds)
      invalid_field("thresholds", "must be an array of 1 to 20 thresholds");
    for (size_t i = 0; i < given.size(); ++i) {
      const std::string field = "thresholds[" + std::to_string(i) + "]";
      const nlohmann::json& t = given[i];
      if (!t.is_object()) invalid_field(field, "must be an object with percent and basis");
      const nlohmann::json& percent = t.contains("percent") ? t["percent"] : nlohmann::json();
      if (!percent.is_number() || !std::isfinite(percent.get<double>()) ||
          percent.get<double>() <= 0 || percent.get<double>() > kMaxPercent)
        invalid_field(field + ".percent", "must be a number above 0 and at most 1000");
      const std::string basis = t.contains("basis") && t["basis"].is_string()
                                    ? t["basis"].get<std::string>()
                                    : std::string(t.contains("basis") ? "?" : "actual");
      if (basis != "actual" && basis != "forecast")
        invalid_field(field + ".basis", "must be actual or forecast");
      for (const nlohmann::json& earlier : thresholds)
        if (earlier["percent"] == percent.get<double>() && earlier["basis"] == basis)
          invalid_field(field, "repeats an earlier threshold");
      thresholds.push_back({{"percent", percent.get<double>()}, {"basis", basis}});
    }
  } else {
    thresholds.push_back({{"percent", 100.0}, {"basis", "actual"}});
  }
  record.thresholds_json = thresholds.dump();

  if (json.contains("webhook") && !json["webhook"].is_null()) {
    const nlohmann::json& webhook = json["webhook"];
    if (!webhook.is_string() || !is_webhook_url(webhook.get<std::string>()))
      invalid_field("webhook", "must be an http:// or https:// URL");
    record.webhook = webhook.get<std::string>();
  }
  return record;
}

engine::Filter budget_filter(std::string_view filters_json) {
  return filter_of(nlohmann::json::parse(filters_json));
}

std::vector<BudgetThreshold> budget_thresholds(std::string_view thresholds_json) {
  std::vector<BudgetThreshold> thresholds;
  for (const nlohmann::json& t : nlohmann::json::parse(thresholds_json))
    thresholds.push_back({t["percent"].get<double>(), t["basis"] == "forecast"});
  return thresholds;
}

}  // namespace cca::server
