#include "generate/scenario.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "common/time_util.h"
#include "generate/catalog.h"
#include "generate/portable_math.h"

namespace cca::generate {
namespace {

using Json = nlohmann::json;

constexpr double kMaxSpendFactor = 100;
constexpr double kMaxGrowthPerWeek = 100;

template <typename Item, size_t N, typename Name>
std::string names_of(const std::array<Item, N>& items, Name name) {
  std::string names;
  for (const Item& item : items) names += (names.empty() ? "" : ", ") + std::string(name(item));
  return names;
}

// Reads one scenario file, each complaint naming the source and the field.
class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  [[noreturn]] void fail(const std::string& field, const std::string& why) const {
    throw std::runtime_error("scenario " + source_ + ": " + field + " " + why);
  }

  // Rejects keys the scenario format does not have: a typo would otherwise pass silently.
  void only_keys(const Json& object, const std::string& field,
                 const std::set<std::string>& allowed) const {
    for (const auto& [key, value] : object.items()) {
      if (allowed.contains(key)) continue;
      std::string expected;
      for (const std::string& name : allowed) expected += (expected.empty() ? "" : ", ") + name;
      fail(field.empty() ? "'" + key + "'" : field + "." + key,
           "is not a scenario field (expected one of: " + expected + ")");
    }
  }

  const Json& required(const Json& object, const std::string& parent,
                       const std::string& key) const {
    const auto it = object.find(key);
    if (it == object.end()) fail(parent + "." + key, "is required");
    return *it;
  }

  double number(const Json& value, const std::string& field, double min, double max,
                const std::string& range) const {
    if (!value.is_number())
      fail(field, "must be a number " + range + " (got " + value.dump() + ")");
    const double number = value.get<double>();
    if (!std::isfinite(number) || number < min || number > max)
      fail(field, "must be a number " + range + " (got " + value.dump() + ")");
    return number;
  }

  std::string text(const Json& value, const std::string& field) const {
    if (!value.is_string()) fail(field, "must be a string (got " + value.dump() + ")");
    return value.get<std::string>();
  }

  int64_t time(const Json& value, const std::string& field) const {
    const std::string text = this->text(value, field);
    const auto ms = text.size() == 10 ? parse_date_ms(text) : parse_rfc3339_ms(text);
    if (!ms)
      fail(field, "must be an RFC 3339 time (2026-01-14T09:00:00Z) or a date YYYY-MM-DD (got '" +
                      text + "')");
    return *ms;
  }

 private:
  std::string source_;
};

struct Range {
  int64_t from_ms, to_ms;
};

Range read_range(const Reader& reader, const Json& incident, const std::string& field) {
  const Json& from_value = reader.required(incident, field, "from");
  const Json& to_value = reader.required(incident, field, "to");
  const Range range{reader.time(from_value, field + ".from"), reader.time(to_value, field + ".to")};
  if (range.from_ms >= range.to_ms) {
    std::string why = "(";
    why += from_value.get<std::string>();
    why += ") must be before " + field + ".to (";
    why += to_value.get<std::string>();
    why += "): the range is [from, to)";
    reader.fail(field + ".from", why);
  }
  return range;
}

bool covers(int64_t from_ms, int64_t to_ms, int64_t time_ms) {
  return from_ms <= time_ms && time_ms < to_ms;
}

}  // namespace

Scenario Scenario::parse(std::string_view text, std::string_view source) {
  const Reader reader(source);
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::parse_error& error) {
    reader.fail("is not valid JSON:", error.what());
  }
  if (!root.is_object()) reader.fail("must hold a JSON object", "(got " + root.dump() + ")");
  reader.only_keys(root, "", {"description", "trend", "weekly_rhythm", "incidents"});

  Scenario scenario;
  if (const auto it = root.find("description"); it != root.end()) reader.text(*it, "description");

  if (const auto it = root.find("trend"); it != root.end()) {
    if (!it->is_object()) reader.fail("trend", "must be an object {\"growth_per_week\": 0.1}");
    reader.only_keys(*it, "trend", {"growth_per_week"});
    scenario.growth_per_week_ =
        reader.number(reader.required(*it, "trend", "growth_per_week"), "trend.growth_per_week", -1,
                      kMaxGrowthPerWeek, "above -1 and at most 100");
    if (*scenario.growth_per_week_ <= -1)
      reader.fail("trend.growth_per_week", "must be a number above -1 and at most 100 (got -1)");
  }

  if (const auto it = root.find("weekly_rhythm"); it != root.end()) {
    if (!it->is_array() || it->size() != 7)
      reader.fail("weekly_rhythm",
                  "must be an array of 7 weights, Monday to Sunday (got " + it->dump() + ")");
    std::array<double, 7> rhythm{};
    double total = 0;
    for (size_t day = 0; day < 7; ++day) {
      rhythm[day] = reader.number((*it)[day], "weekly_rhythm[" + std::to_string(day) + "]", 0, 1e6,
                                  "between 0 and 1000000");
      total += rhythm[day];
    }
    if (total <= 0) reader.fail("weekly_rhythm", "must give at least one weekday a weight above 0");
    scenario.weekly_rhythm_ = rhythm;
  }

  if (const auto it = root.find("incidents"); it != root.end()) {
    if (!it->is_array()) reader.fail("incidents", "must be an array (got " + it->dump() + ")");
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& incident = (*it)[i];
      const std::string field = "incidents[" + std::to_string(i) + "]";
      if (!incident.is_object())
        reader.fail(field, "must be an object (got " + incident.dump() + ")");
      const std::string kind =
          reader.text(reader.required(incident, field, "kind"), field + ".kind");

      if (kind == "spend_spike") {
        reader.only_keys(incident, field,
                         {"kind", "description", "from", "to", "practice", "factor"});
        const std::string practice =
            reader.text(reader.required(incident, field, "practice"), field + ".practice");
        const auto known =
            std::find(catalog::kPractices.begin(), catalog::kPractices.end(), practice);
        if (known == catalog::kPractices.end()) {
          reader.fail(field + ".practice",
                      "'" + practice + "' is not a practice of the generator (" +
                          names_of(catalog::kPractices, [](std::string_view p) { return p; }) +
                          ")");
        }
        const double factor =
            reader.number(reader.required(incident, field, "factor"), field + ".factor", 0,
                          kMaxSpendFactor, "between 0 and 100");
        const Range range = read_range(reader, incident, field);
        scenario.spend_spikes_.push_back({*known, factor, range.from_ms, range.to_ms});

      } else if (kind == "error_burst") {
        reader.only_keys(
            incident, field,
            {"kind", "description", "from", "to", "model", "error_rate", "status_code"});
        const std::string model =
            reader.text(reader.required(incident, field, "model"), field + ".model");
        const auto known = std::find_if(catalog::kModels.begin(), catalog::kModels.end(),
                                        [&](const catalog::Model& m) { return m.id == model; });
        if (known == catalog::kModels.end()) {
          reader.fail(field + ".model",
                      "'" + model + "' is not a model of the generator (" +
                          names_of(catalog::kModels, [](const catalog::Model& m) { return m.id; }) +
                          ")");
        }
        const double rate = reader.number(reader.required(incident, field, "error_rate"),
                                          field + ".error_rate", 0, 1, "between 0 and 1");
        std::optional<std::string> status;
        if (const auto s = incident.find("status_code"); s != incident.end())
          status = reader.text(*s, field + ".status_code");
        std::vector<size_t> errors;
        std::vector<uint32_t> weights;
        for (size_t e = 0; e < catalog::kApiErrors.size(); ++e) {
          if (status && catalog::kApiErrors[e].status_code != *status) continue;
          errors.push_back(e);
          weights.push_back(catalog::kApiErrors[e].weight);
        }
        if (errors.empty()) {
          reader.fail(field + ".status_code",
                      "'" + *status +
                          "' is not a status code of the generator's API errors (429, " +
                          "400, 500, 401, undefined)");
        }
        const Range range = read_range(reader, incident, field);
        scenario.error_bursts_.push_back({static_cast<size_t>(known - catalog::kModels.begin()),
                                          rate, std::move(errors), WeightedChoice(weights),
                                          range.from_ms, range.to_ms});

      } else if (kind == "tool_outage") {
        reader.only_keys(incident, field,
                         {"kind", "description", "from", "to", "tool", "failure_rate"});
        const std::string tool =
            reader.text(reader.required(incident, field, "tool"), field + ".tool");
        const auto known = std::find_if(catalog::kTools.begin(), catalog::kTools.end(),
                                        [&](const catalog::Tool& t) { return t.name == tool; });
        if (known == catalog::kTools.end()) {
          reader.fail(field + ".tool",
                      "'" + tool + "' is not a tool of the generator (" +
                          names_of(catalog::kTools, [](const catalog::Tool& t) { return t.name; }) +
                          ")");
        }
        double rate = 1;
        if (const auto r = incident.find("failure_rate"); r != incident.end())
          rate = reader.number(*r, field + ".failure_rate", 0, 1, "between 0 and 1");
        const Range range = read_range(reader, incident, field);
        scenario.tool_outages_.push_back({static_cast<size_t>(known - catalog::kTools.begin()),
                                          rate, range.from_ms, range.to_ms});

      } else {
        reader.fail(
            field + ".kind",
            "'" + kind + "' is not an incident kind (spend_spike, error_burst, tool_outage)");
      }
      if (const auto d = incident.find("description"); d != incident.end())
        reader.text(*d, field + ".description");
    }
  }
  return scenario;
}

Scenario Scenario::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("--scenario: cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error("--scenario: cannot read " + path);
  return parse(text.str(), path);
}

std::vector<double> Scenario::day_weights(int64_t window_start_ms, int days) const {
  // The trend as exp(day / 7 * log(1 + g)), in portable arithmetic so that the same file gives
  // the same plan everywhere, and relative to the window's largest factor so that long windows
  // cannot overflow.
  const double log_growth = growth_per_week_ ? portable_log(1 + *growth_per_week_) : 0;
  const double top = log_growth > 0 ? static_cast<double>(days - 1) / 7 * log_growth : 0;
  std::vector<double> weights(static_cast<size_t>(days));
  double total = 0;
  for (int day = 0; day < days; ++day) {
    double weight = portable_exp(static_cast<double>(day) / 7 * log_growth - top);
    if (weekly_rhythm_) {
      weight *= (*weekly_rhythm_)[static_cast<size_t>(
          weekday_monday0(window_start_ms + int64_t{day} * kMsPerDay))];
    }
    weights[static_cast<size_t>(day)] = weight;
    total += weight;
  }
  if (!(total > 0)) {
    throw std::runtime_error(
        "weekly_rhythm and trend give every day of the window (" + format_date(window_start_ms) +
        " to " + format_date(window_start_ms + int64_t{days} * kMsPerDay) + ") the weight 0");
  }
  return weights;
}

double Scenario::spend_factor(std::string_view practice, int64_t time_ms) const {
  double factor = 1;
  for (const SpendSpike& spike : spend_spikes_) {
    if (spike.practice == practice && covers(spike.from_ms, spike.to_ms, time_ms))
      factor *= spike.factor;
  }
  return factor;
}

const ErrorBurst* Scenario::error_burst(size_t model, int64_t time_ms) const {
  for (const ErrorBurst& burst : error_bursts_) {
    if (burst.model == model && covers(burst.from_ms, burst.to_ms, time_ms)) return &burst;
  }
  return nullptr;
}

const ToolOutage* Scenario::tool_outage(size_t tool, int64_t time_ms) const {
  for (const ToolOutage& outage : tool_outages_) {
    if (outage.tool == tool && covers(outage.from_ms, outage.to_ms, time_ms)) return &outage;
  }
  return nullptr;
}

}  // namespace cca::generate
