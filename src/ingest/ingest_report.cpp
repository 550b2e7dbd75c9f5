#include "ingest/ingest_report.h"

#include <nlohmann/json.hpp>

namespace cca::ingest {

void IngestReport::merge(const IngestReport& other) {
  lines += other.lines;
  bytes += other.bytes;
  accepted += other.accepted;
  duplicates += other.duplicates;
  rejected_events += other.rejected_events;
  rejected_lines += other.rejected_lines;
  employees += other.employees;
  for (const auto& [reason, count] : other.rejected_by_reason) rejected_by_reason[reason] += count;
  seconds += other.seconds;
}

std::string IngestReport::to_json() const {
  nlohmann::ordered_json json;
  json["accepted"] = accepted;
  json["duplicates"] = duplicates;
  json["rejected_events"] = rejected_events;
  json["rejected_lines"] = rejected_lines;
  json["lines"] = lines;
  json["bytes"] = bytes;
  json["rejected_by_reason"] = nlohmann::ordered_json::object();
  for (const auto& [reason, count] : rejected_by_reason) json["rejected_by_reason"][reason] = count;
  json["seconds"] = seconds;
  if (ingest_id > 0) json["ingest_id"] = ingest_id;
  return json.dump();
}

}  // namespace cca::ingest
