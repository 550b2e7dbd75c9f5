#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "engine/dictionaries.h"

namespace cca::engine {

struct Segment;

// The events of one hour that share everything most queries group or filter by (session, user,
// practice hint, terminal, version, os, custom attributes, and in the model and tool indexes the
// model or tool), summed. An hour holds a few cells per session where it holds dozens of events, so
// queries that need nothing finer read cells instead of rows. A single event is a cell too, which
// lets every query be written once, over cells.
struct Cell {
  int64_t first_ms = 0, last_ms = 0;  // of its events; both in the same UTC hour
  uint32_t session = 0, user = 0, practice_hint = 0, terminal = 0, version = 0, os = 0;
  uint32_t attributes = 0;       // the custom attribute set: events of different sets never share
  uint32_t model = 0, tool = 0;  // 0 in the index that does not key on them
  // Single events only.
  uint32_t event_name = 0, status_code = 0, decision_source = 0, error = 0, attempt = 0,
           query_source = 0;
  uint32_t events = 0;
  std::array<uint32_t, kEventKinds> by_kind{};
  uint32_t accepted_decisions = 0, successful_results = 0, user_aborts = 0;
  double input_tokens = 0, output_tokens = 0, cache_read_tokens = 0, cache_creation_tokens = 0,
         cost_usd = 0;
  double cost_estimated_usd = 0;  // the part of cost_usd the price table computed
};

// Which events a segment's cells are cut from and what they key on besides the common attributes.
enum class CellIndex {
  kAll,      // every event
  kByModel,  // events with a model, keyed on it
  kByTool,   // events with a tool, keyed on it
};
inline constexpr int kCellIndexes = 3;

// One event as a cell; api_index is the row's index into the segment's api_request figures.
Cell event_cell(const Segment& segment, size_t row, uint32_t api_index);

// Cuts a time-sorted segment's rows into cells, sorted by first_ms.
std::vector<Cell> build_cells(const Segment& segment, CellIndex index);

}  // namespace cca::engine
