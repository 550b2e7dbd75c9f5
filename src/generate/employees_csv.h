#pragma once

#include <vector>

#include "generate/buffered_file.h"
#include "generate/users.h"

namespace cca::generate {

// employees.csv as the reference writes it: header `email,full_name,practice,level,location`,
// one row per user, LF line ends. No field contains a comma or quote, so none is quoted.
// The caller commits out.
void write_employees_csv(const std::vector<User>& users, BufferedFile& out);

}  // namespace cca::generate
