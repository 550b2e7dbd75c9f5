#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

// The figures that shape generated telemetry: those of the reference generator
// (shared/telemetry-format.md). Where the format notes give only a mean, the spread and the
// lower bound were measured on the reference datasets (docs/generator.md lists them).
// Every string here is plain ASCII without quotes or backslashes, so it is written into the
// JSON-inside-JSON output without escaping.
namespace cca::generate::catalog {

template <typename T>
struct Weighted {
  T value;
  uint32_t weight;
};

// max(floor, normal(mean, sd)); integer fields are then truncated toward zero.
struct ClippedNormal {
  double mean;
  double sd;
  double floor;
};

// int(lognormal(mu, sigma)), at least 1 and at most max.
struct LognormalCount {
  double mu;
  double sigma;
  int64_t max;
};

// A uniform integer (milliseconds, bytes), both ends included.
struct IntRange {
  int64_t min;
  int64_t max;
};

// The weights of any table above, in order, for a WeightedChoice.
template <typename Item, size_t N>
std::vector<uint32_t> weights_of(const std::array<Item, N>& items) {
  std::vector<uint32_t> weights;
  for (const Item& item : items) weights.push_back(item.weight);
  return weights;
}

// ---- Users -------------------------------------------------------------------------------

inline constexpr std::array<std::string_view, 29> kFirstNames = {
    "alex",   "avery",   "blake",  "cameron", "casey",  "eden",  "emery",  "frankie",
    "harper", "jamie",   "jordan", "kai",     "lennox", "max",   "morgan", "nico",
    "parker", "phoenix", "quinn",  "reese",   "riley",  "river", "rowan",  "sage",
    "sam",    "skyler",  "taylor", "val",     "west"};

inline constexpr std::array<std::string_view, 20> kLastNames = {
    "anderson", "brown",   "chen",   "clark", "davis",    "garcia",   "harris",
    "jackson",  "johnson", "jones",  "kim",   "lee",      "martinez", "patel",
    "smith",    "taylor",  "thomas", "white", "williams", "wilson"};

inline constexpr std::array<std::string_view, 5> kPractices = {
    "Platform Engineering", "Data Engineering", "ML Engineering", "Backend Engineering",
    "Frontend Engineering"};

inline constexpr std::array<Weighted<std::string_view>, 10> kLevels = {{{"L1", 2},
                                                                        {"L2", 5},
                                                                        {"L3", 10},
                                                                        {"L4", 18},
                                                                        {"L5", 25},
                                                                        {"L6", 20},
                                                                        {"L7", 10},
                                                                        {"L8", 5},
                                                                        {"L9", 3},
                                                                        {"L10", 2}}};

inline constexpr std::array<std::string_view, 5> kLocations = {
    "United States", "Germany", "United Kingdom", "Poland", "Canada"};

inline constexpr std::array<Weighted<std::string_view>, 9> kTerminals = {{{"vscode", 40},
                                                                          {"pycharm", 20},
                                                                          {"WarpTerminal", 10},
                                                                          {"webstorm", 8},
                                                                          {"iTerm2", 7},
                                                                          {"Terminal", 5},
                                                                          {"intellij", 5},
                                                                          {"cursor", 3},
                                                                          {"goland", 2}}};

struct OperatingSystem {
  std::string_view type;
  std::string_view arch;
  std::string_view version;
};

// darwin arm64 80 %, linux x86_64 15 %, darwin x86_64 3 %, windows 2 %, in per mille; the
// kernel versions within each split as measured on the reference users.
inline constexpr std::array<Weighted<OperatingSystem>, 9> kOperatingSystems = {{
    {{"darwin", "arm64", "24.6.0"}, 592},
    {{"darwin", "arm64", "24.5.0"}, 152},
    {{"darwin", "arm64", "25.0.0"}, 56},
    {{"darwin", "x86_64", "24.6.0"}, 22},
    {{"darwin", "x86_64", "24.5.0"}, 6},
    {{"darwin", "x86_64", "25.0.0"}, 2},
    {{"linux", "x86_64", "6.1.0"}, 128},
    {{"linux", "x86_64", "5.15.0"}, 22},
    {{"windows", "x86_64", "10.0.22631"}, 20},
}};

// Claude Code releases 2.0.76 .. 2.1.59 weighted by how many reference users run each.
inline constexpr std::array<Weighted<std::string_view>, 20> kClaudeCodeVersions = {{
    {"2.0.76", 10}, {"2.1.2", 5},  {"2.1.12", 7},  {"2.1.19", 4},  {"2.1.20", 2},
    {"2.1.29", 6},  {"2.1.31", 4}, {"2.1.34", 5},  {"2.1.37", 9},  {"2.1.38", 1},
    {"2.1.39", 16}, {"2.1.41", 4}, {"2.1.42", 8},  {"2.1.44", 3},  {"2.1.45", 8},
    {"2.1.47", 5},  {"2.1.49", 5}, {"2.1.50", 13}, {"2.1.56", 13}, {"2.1.59", 2},
}};

// Host names and profile names follow one of these patterns, equally likely.
inline constexpr int kHostNamePatterns = 7;
inline constexpr int kProfilePatterns = 7;
inline constexpr int kSerialLength = 10;

// ---- Sessions ------------------------------------------------------------------------------

inline constexpr double kBusinessHoursProbability = 0.7;
inline constexpr int kBusinessHourFirst = 9;
inline constexpr int kBusinessHourLast = 17;

inline constexpr LognormalCount kTurnsPerSession = {1.5, 1.0, 100};
inline constexpr LognormalCount kCyclesPerTurn = {1.0, 0.8, 30};
inline constexpr LognormalCount kPromptLength = {4.85, 1.8, 1'000'000};
inline constexpr double kApiErrorProbability = 0.012;
inline constexpr std::array<uint32_t, 4> kToolsPerCycleWeights = {15, 50, 25, 10};  // 0..3 tools

// Time between the events of a session.
inline constexpr IntRange kPromptToRequest = {100, 2000};
inline constexpr IntRange kDecisionToResult = {1, 50};
inline constexpr IntRange kErrorToRetry = {500, 3000};
inline constexpr IntRange kBetweenCycles = {50, 500};
inline constexpr IntRange kBetweenTurns = {5000, 120000};

// ---- API requests and errors -----------------------------------------------------------------

struct Model {
  std::string_view id;
  uint32_t weight;
  ClippedNormal cost_usd;
  ClippedNormal duration_ms;
  ClippedNormal input_tokens;
  ClippedNormal output_tokens;
  ClippedNormal cache_read_tokens;
  ClippedNormal cache_creation_tokens;
};

inline constexpr std::array<Model, 5> kModels = {{
    {"claude-haiku-4-5-20251001",
     362,
     {0.0033, 0.005, 0},
     {5330, 4000, 100},
     {860, 1200, 0},
     {105, 150, 1},
     {7431, 15000, 0},
     {941, 2000, 0}},
    {"claude-opus-4-6",
     203,
     {0.071, 0.08, 0},
     {10230, 8000, 100},
     {263, 500, 0},
     {454, 400, 1},
     {73099, 50000, 0},
     {3149, 5000, 0}},
    {"claude-opus-4-5-20251101",
     185,
     {0.084, 0.09, 0},
     {10793, 8000, 100},
     {61, 200, 0},
     {418, 400, 1},
     {76688, 50000, 0},
     {5485, 8000, 0}},
    {"claude-sonnet-4-5-20250929",
     155,
     {0.062, 0.07, 0},
     {11886, 9000, 100},
     {83, 200, 0},
     {516, 500, 1},
     {68556, 50000, 0},
     {6483, 8000, 0}},
    {"claude-sonnet-4-6",
     21,
     {0.066, 0.07, 0},
     {9914, 8000, 100},
     {142, 300, 0},
     {460, 400, 1},
     {70715, 50000, 0},
     {2905, 5000, 0}},
}};

struct ApiError {
  std::string_view message;
  std::string_view status_code;
  uint32_t weight;
};

inline constexpr std::array<ApiError, 8> kApiErrors = {{
    {"Request was aborted.", "undefined", 44},
    {"This request would exceed your account's rate limit. Please try again later.", "429", 19},
    {"output_config: Extra inputs are not permitted", "400", 6},
    {"Internal server error", "500", 4},
    {"tools: Tool names must be unique.", "400", 4},
    {"Could not load credentials from any providers", "undefined", 3},
    {"OAuth token has expired. Please obtain a new token or refresh your existing token.", "401",
     2},
    {"400 The provided request is not valid", "400", 2},
}};

inline constexpr ClippedNormal kApiErrorDurationMs = {500, 600, 50};
inline constexpr std::array<uint32_t, 3> kApiErrorAttemptWeights = {70, 20, 10};  // attempt 1..3

// ---- Tools ---------------------------------------------------------------------------------

struct Tool {
  std::string_view name;
  uint32_t weight;
  double success_rate;
  double mean_duration_ms;
};

// Success rates and durations the notes leave open are the reference data's (about 0.99).
inline constexpr std::array<Tool, 17> kTools = {{
    {"Read", 190, 0.986, 34},
    {"Bash", 176, 0.933, 5169},
    {"Edit", 79, 0.99, 1817},
    {"Grep", 47, 0.99, 474},
    {"Glob", 29, 0.99, 750},
    {"mcp_tool", 26, 0.968, 2531},
    {"Write", 18, 0.99, 349},
    {"TodoWrite", 16, 0.99, 18},
    {"TaskUpdate", 12, 0.99, 1},
    {"Task", 11, 0.99, 476282},
    {"TaskCreate", 6, 0.99, 2},
    {"AskUserQuestion", 4, 0.99, 0},
    {"WebFetch", 2, 0.95, 4968},
    {"ToolSearch", 2, 0.99, 1},
    {"WebSearch", 2, 0.95, 193087},
    {"NotebookEdit", 1, 0.99, 11},
    {"ExitPlanMode", 1, 0.99, 1},
}};

// Tool durations are max(0, normal(mean, 0.8 * mean)).
inline constexpr double kToolDurationSdPerMean = 0.8;
inline constexpr double kToolResultSizeProbability = 0.3;
inline constexpr IntRange kToolResultSizeBytes = {10, 50000};

struct DecisionSource {
  std::string_view name;
  uint32_t weight;
  bool accepts;
};

inline constexpr std::array<DecisionSource, 4> kDecisionSources = {{
    {"config", 80, true},
    {"user_temporary", 15, true},
    {"user_permanent", 3, true},
    {"user_reject", 2, false},
}};

// ---- Scenarios (generate --scenario) ----------------------------------------------------------

// An API call an error burst fails is retried, up to this many attempts in all; when the last
// fails too, the cycle goes without an answer (and without tools).
inline constexpr int kMaxApiAttempts = 3;
// The `error` a tool_result carries when a tool outage failed it.
inline constexpr std::string_view kToolOutageError =
    "Tool unavailable: the service did not respond";

}  // namespace cca::generate::catalog
