#pragma once

#include <cstdint>

namespace cca {

// "Now" for everything that depends on it (retention, forecasts, budgets' periods): the instant in
// CCANALYTICS_NOW (RFC 3339) when it is set, so that tests and demos can place now inside
// historical data; else the system clock. Throws std::invalid_argument when CCANALYTICS_NOW is set
// but is not an instant.
int64_t now_ms();

// The system clock, for records of when something happened (ingests, audit entries, deliveries).
int64_t system_time_ms();

}  // namespace cca
