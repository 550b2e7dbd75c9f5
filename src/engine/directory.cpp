#include "engine/directory.h"

#include <algorithm>

namespace cca::engine {

const Employee* Directory::find(std::string_view email) const {
  const auto it = std::lower_bound(
      employees.begin(), employees.end(), email,
      [](const Employee& employee, std::string_view key) { return employee.email < key; });
  return it != employees.end() && it->email == email ? &*it : nullptr;
}

}  // namespace cca::engine
