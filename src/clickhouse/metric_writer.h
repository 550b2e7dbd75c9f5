#pragma once

#include <cstdint>
#include <vector>

#include "clickhouse/client.h"
#include "clickhouse/event_writer.h"
#include "ingest/metric_point.h"

namespace cca::clickhouse {

// Writes OTLP metric data points to the tables metric_points and metric_series under the embedded
// store's rules (store/metric_writer.h): a point is stored once per identity (series, start time,
// time), and each point stored carries its delta (store/metric_delta.h), a cumulative value being
// compared with its series' newest stored cumulative point.
//
// One write is one export: it asks ClickHouse which of the points are stored and what their
// series' states are (two queries, never answered by a lagging replica), computes the deltas in
// the points' order, inserts the new points, then the series whose state or existence changed.
// Points go first: when the series insert fails, the export is not acknowledged and its sender
// delivers it again; its points are then found stored, and each stored cumulative point newer than
// its series' state brings the state up to it, as the failed insert would have.
//
// ClickHouse has no transactions: two processes writing points of the same series at the same
// instant would compare them with the same state. Claude Code sends one series' exports one after
// the other, and one process's writes are serialised by its ingestor.
class MetricWriter {
 public:
  explicit MetricWriter(const ClickHouseClient& client);

  // The export's points in their order: those inserted, and those already stored (or repeated in
  // the export). Throws ClickHouseError.
  FlushCounts write(const std::vector<ingest::MetricPoint>& points, uint64_t ingest_id) const;

 private:
  const ClickHouseClient& client_;
  ClickHouseClient stored_;  // the queries of what is stored: up-to-date replicas only
};

}  // namespace cca::clickhouse
