#pragma once

#include <optional>
#include <string_view>

#include "engine/metric_set.h"

namespace cca::engine {

// How a paginated list (sessions, users) is sorted: by one of the list's own fields, or by a
// metric. Rows whose value is missing sort last either way; ties go by the row's id ascending.
template <class Field>
struct Ordering {
  Field field;
  Metric metric = Metric::kEvents;  // when field is the list's kMetric
  bool ascending = false;
};

// Compares two optional values under an ordering direction, missing values last. Returns <0, 0, >0.
inline int compare_values(std::optional<double> a, std::optional<double> b, bool ascending) {
  if (a.has_value() != b.has_value()) return a.has_value() ? -1 : 1;
  if (!a || *a == *b) return 0;
  const bool less = *a < *b;
  return (less == ascending) ? -1 : 1;
}

}  // namespace cca::engine
