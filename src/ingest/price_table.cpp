#include "ingest/price_table.h"

#include <cctype>

namespace cca::ingest {
namespace {

// More specific families before the ones they contain ("opus-4-5" before "opus-4").
constexpr ModelPrice kPrices[] = {
    {"opus-5-5", 4.00, 20.00, 0.20, 5.00, 8.00},
    {"opus-4-6", 5.00, 25.00, 0.50, 6.25, 10.00},
    {"opus-4-5", 5.00, 25.00, 0.50, 6.25, 10.00},
    {"opus-4-1", 15.00, 75.00, 1.50, 18.75, 30.00},
    {"opus-4", 15.00, 75.00, 1.50, 18.75, 30.00},
    {"sonnet-4-6", 3.00, 15.00, 0.30, 3.75, 6.00},
    {"sonnet-4-5", 3.00, 15.00, 0.30, 3.75, 6.00},
    {"sonnet-4", 3.00, 15.00, 0.30, 3.75, 6.00},
    {"3-7-sonnet", 3.00, 15.00, 0.30, 3.75, 6.00},
    {"haiku-4-5", 1.00, 5.00, 0.10, 1.25, 2.00},
    {"3-5-haiku", 0.80, 4.00, 0.08, 1.00, 1.60},
    {"3-haiku", 0.25, 1.25, 0.03, 0.30, 0.50},
};

bool is_date(std::string_view text) {  // YYYYMMDD
  if (text.size() < 8) return false;
  for (size_t i = 0; i < 8; ++i)
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  return text.size() == 8 || !std::isdigit(static_cast<unsigned char>(text[8]));
}

// The family stands in the id as a whole, followed by nothing, a date, or a provider's suffix
// ("@20251101", "-v1:0", "[1m]"): "opus-4" names "claude-opus-4-20250514" but not "claude-opus-4-7",
// a model the table does not know.
bool names_family(std::string_view model, std::string_view family) {
  for (size_t at = model.find(family); at != std::string_view::npos;
       at = model.find(family, at + 1)) {
    if (at > 0 && std::isalnum(static_cast<unsigned char>(model[at - 1]))) continue;
    const std::string_view rest = model.substr(at + family.size());
    if (rest.empty() || (rest[0] != '-' && !std::isdigit(static_cast<unsigned char>(rest[0]))))
      return true;
    if (rest[0] == '-' && (is_date(rest.substr(1)) || rest.substr(1, 1) == "v")) return true;
  }
  return false;
}

}  // namespace

const ModelPrice* find_model_price(std::string_view model) {
  for (const ModelPrice& price : kPrices)
    if (names_family(model, price.family)) return &price;
  return nullptr;
}

std::optional<double> estimate_cost_usd(std::string_view model, const TokenCounts& tokens) {
  const ModelPrice* price = find_model_price(model);
  if (!price) return std::nullopt;
  const bool split = tokens.cache_creation_5m > 0 || tokens.cache_creation_1h > 0;
  const double writes_5m = split ? tokens.cache_creation_5m : tokens.cache_creation;
  const double writes_1h = split ? tokens.cache_creation_1h : 0;
  return (tokens.input * price->input + tokens.output * price->output +
          tokens.cache_read * price->cache_read + writes_5m * price->cache_write_5m +
          writes_1h * price->cache_write_1h) /
         1e6;
}

}  // namespace cca::ingest
