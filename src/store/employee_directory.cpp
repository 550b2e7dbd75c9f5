#include "store/employee_directory.h"

namespace cca::store {

void replace_employees(Database& db, const std::vector<Employee>& employees) {
  Transaction transaction(db);
  db.exec("DELETE FROM employees");
  Statement insert(db,
                   "INSERT OR REPLACE INTO employees (email, full_name, practice, level, "
                   "location, user_id) VALUES (?, ?, ?, ?, ?, ?)");
  for (const Employee& e : employees) {
    insert.bind_text(1, e.email);
    insert.bind_text(2, e.full_name);
    insert.bind_text(3, e.practice);
    insert.bind_text(4, e.level);
    insert.bind_text(5, e.location);
    if (e.user_id.empty()) {
      insert.bind_null(6);
    } else {
      insert.bind_text(6, e.user_id);
    }
    insert.step();
    insert.reset();
  }
  db.exec("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory_version'");
  transaction.commit();
}

}  // namespace cca::store
