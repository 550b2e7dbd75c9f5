#include "engine/user_table.h"

namespace cca::engine {

std::vector<UserAttributes> resolve_users(const Directory& directory, Dictionaries& dictionaries,
                                          const std::vector<LatestHint>& latest_hints) {
  const uint32_t user_count = dictionaries.user.size();
  std::vector<UserAttributes> users(user_count);
  for (uint32_t code = 0; code < user_count; ++code) {
    UserAttributes& user = users[code];
    const Employee* employee = directory.find_user(dictionaries.user.value(code));
    const uint32_t hint = code < latest_hints.size() ? latest_hints[code].practice : 0;
    user.level = dictionaries.unknown_level;
    user.location = dictionaries.unknown_location;
    if (employee != nullptr) {
      // An empty directory field says nothing: it falls back like a missing row does.
      user.employee = static_cast<int32_t>(employee - directory.employees.data());
      user.directory_practice = dictionaries.practice.intern(employee->practice);
      if (const uint32_t level = dictionaries.level.intern(employee->level)) user.level = level;
      if (const uint32_t location = dictionaries.location.intern(employee->location))
        user.location = location;
    }
    user.display_practice = user.directory_practice != 0 ? user.directory_practice
                            : hint != 0                  ? hint
                                                         : dictionaries.unknown_practice;
  }
  return users;
}

}  // namespace cca::engine
