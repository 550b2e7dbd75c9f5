// Connections of one process open and close (an engine reload, a retention run) while others of
// the same process stay open; another process then closes its own. The store's write-ahead log
// and index must survive: SQLite deletes them when a closing connection believes it is the last
// user, which it decides by the POSIX locks the other processes hold.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/database.h"
#include "support/test_support.h"
#include "system/process.h"

namespace cca::system_test {
namespace {

TEST(StoreLocks, AProcessKeepsItsLocksWhileItsConnectionsComeAndGo) {
  test::TempDir dir;
  const std::string path = dir.file("store.db");
  test::write_file(dir.file("employees.csv"), "email,full_name\na@example.com,A\n");
  store::Database serving(path);  // held open for the whole test, as a server's
  serving.exec("INSERT INTO strings (value) VALUES ('before')");
  for (int i = 0; i < 3; ++i) {
    store::Database passing(path, store::Database::Access::kReadEvenIfReadOnly);
    passing.query_int("SELECT count(*) FROM events");
  }
  // Another process writes and exits, closing its connection.
  const Finished ingest = run({"ingest", "--db", path, "--employees", dir.file("employees.csv")});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_TRUE(std::filesystem::exists(path + "-shm")) << "deleted under an open connection";
  EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
  EXPECT_EQ(serving.query_int("SELECT count(*) FROM employees"), 1);
  serving.exec("INSERT INTO strings (value) VALUES ('after')");
  EXPECT_EQ(serving.query_int("SELECT count(*) FROM strings WHERE value IN ('before', 'after')"),
            2);
}

}  // namespace
}  // namespace cca::system_test
