#pragma once

#include <chrono>

#include "clickhouse/client.h"

namespace cca::clickhouse {

// The schema version this build writes and reads (table schema_version). Version 2 added the
// rollup tables and their materialized views (rollups.h), version 3 session_days
// (session_days.h), version 4 the OTLP metric tables (metric_series, metric_points), which start
// empty, version 5 the latency rollups (latency_rollups.h), version 6 the sessions' counts
// (session_opens.h: the events' marks, the rollups' `opened`, spanning_cells, session_cells) and
// rollup_month, version 7 the latency buckets, version 8 the latency rollups ordered by bucket
// (latency_rollups.h), the rollups' people's numbers and the totals tables (rollups.h), version
// 9 the hour rollup's people table (rollups.h), version 10 facet_values (facet_values.h),
// version 11 the rollups' sparse dimensions (status code, decision source, attempt, error:
// rollups.h) with 64-bit session marks and session_cells holding their values, version 12
// session_days' `first_ms` and `opened`, version 13 its `session_key` (session_days.h), version
// 14 latency_day_all (latency_rollups.h), version 15 session_days in granules of 1,024 rows
// (session_days.h).
inline constexpr int kSchemaVersion = 15;

// Creates the database and every table, or migrates an older schema to kSchemaVersion; does
// nothing, with a single read, when the schema is at kSchemaVersion. Idempotent
// and safe to run from several processes at once (every statement is IF NOT EXISTS), except the
// migration from an older version, which fills the tables it lacks from the events stored: run it
// with no ingest writing. Throws ClickHouseError, and std::runtime_error for a schema newer than
// this build.
void ensure_schema(const ClickHouseClient& client);
// How long a migration's statement may run (the client's own timeout is for questions).
inline constexpr std::chrono::seconds kMigrationTimeout = std::chrono::hours(6);

// Merges each partition of the rollups' people tables (rollups.h) that is in more than one part
// into one, on a single server (a cluster's are left to ClickHouse's own merges). Events ingested
// out of time order, say a backfill of days already held, leave each hour's people in several
// parts, which ClickHouse 18.16's distinct counts read at half the speed; a month of them at
// 100 M events merges in about a second. Run after a file's ingest and a migration's backfill.
// Throws ClickHouseError.
void compact_people_tables(const ClickHouseClient& client);

}  // namespace cca::clickhouse
