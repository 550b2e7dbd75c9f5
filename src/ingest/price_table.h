#pragma once

#include <optional>
#include <string_view>

namespace cca::ingest {

// List prices of Anthropic's models in USD per million tokens, for api_request events that arrive
// without `cost_usd` (some Claude Code releases omitted it). Documented with its sources in
// docs/api.md ("Estimated cost"); a change of price is a new version, and events keep the cost
// computed when they were stored.
inline constexpr std::string_view kPriceTableVersion = "2026-12-01";

struct ModelPrice {
  std::string_view family;  // matched inside the model id: "claude-sonnet-4-5-20250929" is sonnet-4-5
  double input, output, cache_read, cache_write_5m, cache_write_1h;
};

// The price of a model id in any provider's spelling (Anthropic, Bedrock, Vertex), or nullptr
// when the table does not know it.
const ModelPrice* find_model_price(std::string_view model);

struct TokenCounts {
  double input = 0, output = 0, cache_read = 0, cache_creation = 0;
  // The cache writes by lifetime; when a client sends neither, every write is priced as 5-minute.
  double cache_creation_5m = 0, cache_creation_1h = 0;
};

// The request's cost by the table, or nullopt for a model it does not know.
std::optional<double> estimate_cost_usd(std::string_view model, const TokenCounts& tokens);

}  // namespace cca::ingest
