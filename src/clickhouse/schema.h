#pragma once

#include "clickhouse/client.h"

namespace cca::clickhouse {

// The schema version this build writes and reads (table schema_version).
inline constexpr int kSchemaVersion = 1;

// Creates the database and every table, or migrates an older schema to kSchemaVersion. Idempotent
// and safe to run from several processes at once (every statement is IF NOT EXISTS). Throws
// ClickHouseError, and std::runtime_error for a schema newer than this build.
void ensure_schema(const ClickHouseClient& client);

}  // namespace cca::clickhouse
