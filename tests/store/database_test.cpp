#include "store/database.h"

#include <gtest/gtest.h>

#include "store/schema.h"
#include "support/test_support.h"

namespace cca::store {
namespace {

TEST(Database, CreatesTheSchemaAtTheCurrentVersionInWalMode) {
  test::TempDir dir;
  const std::string path = dir.file("new.db");
  { Database db(path); }
  EXPECT_EQ(test::sql_int(path, "PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(test::sql_text(path, "PRAGMA journal_mode"), "wal");
  for (const char* table : {"events", "strings", "employees", "quarantine", "ingests", "meta"})
    EXPECT_EQ(test::sql_int(path, std::string("SELECT count(*) FROM sqlite_master WHERE name = '") +
                                      table + "'"),
              1)
        << table;
}

TEST(Database, ReopeningKeepsDataAndRunsNoMigrationTwice) {
  test::TempDir dir;
  const std::string path = dir.file("store.db");
  {
    Database db(path);
    db.exec("INSERT INTO strings (value) VALUES ('kept')");
  }
  Database again(path);
  EXPECT_EQ(again.query_int("SELECT count(*) FROM strings WHERE value = 'kept'"), 1);
}

TEST(Database, RefusesAStoreFromANewerVersion) {
  test::TempDir dir;
  const std::string path = dir.file("store.db");
  {
    Database db(path);
    db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1));
  }
  EXPECT_THROW(Database{path}, StoreError);
}

TEST(Database, ReportsAnUnwritableLocation) {
  EXPECT_THROW(Database("/nonexistent-folder/x/store.db"), StoreError);
  test::TempDir dir;
  test::write_file(dir.file("not-a-db"), std::string(4096, 'x'));
  EXPECT_THROW(Database(dir.file("not-a-db")), StoreError);
}

TEST(Database, ATransactionRollsBackUnlessCommitted) {
  test::TempDir dir;
  Database db(dir.file("store.db"));
  {
    Transaction transaction(db);
    db.exec("INSERT INTO strings (value) VALUES ('gone')");
  }
  EXPECT_EQ(db.query_int("SELECT count(*) FROM strings"), 0);
  {
    Transaction transaction(db);
    db.exec("INSERT INTO strings (value) VALUES ('kept')");
    transaction.commit();
  }
  EXPECT_EQ(db.query_int("SELECT count(*) FROM strings"), 1);
}

}  // namespace
}  // namespace cca::store
