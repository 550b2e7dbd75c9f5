#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cca::engine {

struct Employee {
  std::string email;  // lowercase, trimmed: how users are keyed
  std::string full_name, practice, level, location;
};

// The employee directory as the store holds it at one directory_version.
struct Directory {
  int64_t version = 0;
  std::vector<Employee> employees;  // sorted by email

  // nullptr when the email is not listed; email must be lowercase.
  const Employee* find(std::string_view email) const;
};

}  // namespace cca::engine
