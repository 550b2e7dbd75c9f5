#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cca::engine {

struct Employee {
  std::string email;  // lowercase, trimmed: how users are keyed
  std::string full_name, practice, level, location;
  std::string user_id;  // the person's `user.id`, empty when the directory does not give it
};

// The employee directory as the store holds it at one directory_version.
struct Directory {
  int64_t version = 0;
  std::vector<Employee> employees;  // sorted by email
  std::vector<uint32_t> by_user_id;  // indexes of employees with a user_id, sorted by it

  // Builds by_user_id; call once employees is complete.
  void index_user_ids();
  // nullptr when the email is not listed; email must be lowercase.
  const Employee* find(std::string_view email) const;
  // The person an event's user is: by email, else by the directory's user_id column.
  const Employee* find_user(std::string_view user) const;
};

}  // namespace cca::engine
