#include "engine/directory.h"

#include <algorithm>

namespace cca::engine {

const Employee* Directory::find(std::string_view email) const {
  const auto it = std::lower_bound(
      employees.begin(), employees.end(), email,
      [](const Employee& employee, std::string_view key) { return employee.email < key; });
  return it != employees.end() && it->email == email ? &*it : nullptr;
}

void Directory::index_user_ids() {
  by_user_id.clear();
  for (uint32_t i = 0; i < employees.size(); ++i)
    if (!employees[i].user_id.empty()) by_user_id.push_back(i);
  std::stable_sort(by_user_id.begin(), by_user_id.end(), [&](uint32_t a, uint32_t b) {
    return employees[a].user_id < employees[b].user_id;
  });
}

const Employee* Directory::find_user(std::string_view user) const {
  if (const Employee* by_email = find(user)) return by_email;
  const auto it = std::lower_bound(
      by_user_id.begin(), by_user_id.end(), user,
      [&](uint32_t index, std::string_view key) { return employees[index].user_id < key; });
  return it != by_user_id.end() && employees[*it].user_id == user ? &employees[*it] : nullptr;
}

}  // namespace cca::engine
