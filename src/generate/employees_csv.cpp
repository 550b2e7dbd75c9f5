#include "generate/employees_csv.h"

#include "generate/buffered_file.h"

namespace cca::generate {

void write_employees_csv(const std::vector<User>& users, const std::string& path) {
  BufferedFile file(path);
  file.append("email,full_name,practice,level,location\n");
  std::string row;
  for (const User& user : users) {
    row.clear();
    row.append(user.email).append(",").append(user.full_name).append(",");
    row.append(user.practice).append(",").append(user.level).append(",");
    row.append(user.location).append("\n");
    file.append(row);
  }
  file.commit();
}

}  // namespace cca::generate
