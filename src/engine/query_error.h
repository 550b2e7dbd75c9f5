#pragma once

#include <stdexcept>

namespace cca::engine {

// A query that is well-formed but cannot be answered as asked (a range too long for its bucket).
class QueryError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace cca::engine
