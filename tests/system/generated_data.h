#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cca::system_test {

// A dataset written by `ccanalytics generate` into a folder: telemetry, metrics, employees.
struct GeneratedData {
  std::string telemetry, metrics, employees;
};
GeneratedData generate_data(const std::string& folder, int users, int sessions, int days,
                            const std::string& end_date);

// Read here with nlohmann::json, not by the code under test: every log event's
// attributes["event.timestamp"] as UTC epoch milliseconds.
std::vector<int64_t> event_times_ms(const std::string& telemetry_path);

// Every metric data point's timeUnixNano (ns) with its metric name, `type` attribute and value.
struct DataPoint {
  int64_t time_ns;
  std::string metric, type;
  double value;
};
std::vector<DataPoint> data_points(const std::string& metrics_path);

// "2026-01-12T10:58:00.123Z" to epoch milliseconds (UTC, 'Z' only: what the generator writes).
int64_t utc_ms(const std::string& rfc3339);

}  // namespace cca::system_test
