#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace cca::store {

// A person's practice, level or location where nothing gives one: a directory row's empty field
// is stored as it, and people the directory does not list (with no practice hint) resolve to it.
inline constexpr std::string_view kUnknownValue = "Unknown";

struct Employee {
  std::string email;  // lowercase, trimmed: the key events join on
  std::string full_name;
  std::string practice;
  std::string level;
  std::string location;
  std::string
      user_id;  // the `user.id` Claude Code sends for this person (API-key sign-in); optional
};

// Replaces the employee directory with `employees` and bumps meta.directory_version, which
// tells a running server to re-resolve practice, level and location of stored events.
void replace_employees(Database& db, const std::vector<Employee>& employees);

}  // namespace cca::store
