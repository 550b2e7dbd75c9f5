#include "store/string_dictionary.h"

namespace cca::store {

StringDictionary::StringDictionary(Database& db)
    : db_(db),
      insert_(db, "INSERT INTO strings (value) VALUES (?)"),
      select_since_(db, "SELECT id, value FROM strings WHERE id > ? ORDER BY id") {
  catch_up();
}

void StringDictionary::catch_up() {
  select_since_.bind_int(1, max_id_);
  while (select_since_.step()) {
    const int64_t id = select_since_.column_int(0);
    ids_.emplace(std::string(select_since_.column_text(1)), id);
    max_id_ = id;
  }
  select_since_.reset();
}

int64_t StringDictionary::id_of(std::string_view value) {
  if (auto found = ids_.find(value); found != ids_.end()) return found->second;
  insert_.bind_text(1, value);
  insert_.step();
  insert_.reset();
  const int64_t id = sqlite3_last_insert_rowid(db_.handle());
  ids_.emplace(std::string(value), id);
  max_id_ = std::max<int64_t>(max_id_, id);
  return id;
}

}  // namespace cca::store
