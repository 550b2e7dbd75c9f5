#include "generate/employees_csv.h"

#include <string>

namespace cca::generate {

void write_employees_csv(const std::vector<User>& users, BufferedFile& out) {
  out.append("email,full_name,practice,level,location\n");
  std::string row;
  for (const User& user : users) {
    row.clear();
    row.append(user.email).append(",").append(user.full_name).append(",");
    row.append(user.practice).append(",").append(user.level).append(",");
    row.append(user.location).append("\n");
    out.append(row);
  }
}

}  // namespace cca::generate
