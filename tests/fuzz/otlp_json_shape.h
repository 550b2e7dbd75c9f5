#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace cca::fuzz {

// An OTLP/JSON body read with nlohmann::json, independently of the simdjson parsers under test.
// nullopt when it is not JSON, or when some object repeats a key (parsers may then differ in
// which of the values they read, and the count below is not defined).
std::optional<nlohmann::json> parse_without_repeated_keys(std::string_view body);

// The log records of an ExportLogsServiceRequest: resourceLogs[].scopeLogs[].logRecords[],
// absent or null arrays counting as empty. nullopt when the nesting is not arrays of objects.
std::optional<size_t> count_log_records(const nlohmann::json& request);

// The data points of an ExportMetricsServiceRequest: resourceMetrics[].scopeMetrics[].metrics[]
// and each metric's gauge, sum, histogram, exponentialHistogram or summary .dataPoints[].
std::optional<size_t> count_data_points(const nlohmann::json& request);

}  // namespace cca::fuzz
