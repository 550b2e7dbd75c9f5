#pragma once

#include <string>
#include <vector>

#include "generate/users.h"

namespace cca::generate {

// employees.csv as the reference writes it: header `email,full_name,practice,level,location`,
// one row per user, LF line ends. No field contains a comma or quote, so none is quoted.
void write_employees_csv(const std::vector<User>& users, const std::string& path);

}  // namespace cca::generate
