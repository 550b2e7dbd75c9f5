// Backups are one committed state of a store that is being written, checked, and never left half
// written; restore checks what it is given and replaces a store only when told to and when no
// process uses it.
#include "store/backup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "store/event_writer.h"
#include "store/restore.h"
#include "store/schema.h"
#include "store/store_check.h"
#include "store/store_lock.h"
#include "support/test_support.h"

namespace cca::store {
namespace {

constexpr int kEventsPerCommit = 50;

EventRecord event_number(int n, std::string& id) {
  id = "event-" + std::to_string(n);
  EventRecord e;
  e.key = hash128(id);
  e.log_event_id = id;
  e.time_ms = 1'780'000'000'000 + n;
  e.event_name = "user_prompt";
  e.session_id = "s-" + std::to_string(n % 7);
  e.user = "a@example.com";
  compute_client_key(e);
  return e;
}

// Commits `commits` transactions of kEventsPerCommit events, each also counting itself in
// meta.test_commits: a committed state has exactly kEventsPerCommit events per counted commit.
void write_commits(const std::string& path, int first_commit, int commits) {
  Database db(path);
  EventWriter writer(db);
  std::vector<std::string> ids(kEventsPerCommit);
  for (int commit = first_commit; commit < first_commit + commits; ++commit) {
    std::vector<EventRecord> events;
    for (int i = 0; i < kEventsPerCommit; ++i)
      events.push_back(event_number(commit * kEventsPerCommit + i, ids[i]));
    Transaction transaction(db);
    writer.catch_up();
    for (const EventRecord& e : events) writer.insert(e, 1);
    writer.flush();
    db.exec(
        "INSERT INTO meta (key, value) VALUES ('test_commits', '1') ON CONFLICT (key) DO "
        "UPDATE SET value = CAST(value AS INTEGER) + 1");
    transaction.commit();
  }
}

std::vector<std::string> files_in(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(Backup, IsOneCommittedStateWhileAWriterCommits) {
  test::TempDir dir;
  const std::string path = dir.file("store.db");
  write_commits(path, 0, 20);
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (int round = 1; writing.load(); ++round) write_commits(path, round * 1000, 5);
  });
  std::vector<int64_t> seen;
  for (int i = 0; i < 6; ++i) {
    const std::string backup = dir.file("backup-" + std::to_string(i) + ".db");
    const BackupReport report = backup_store(path, backup);
    const int64_t commits =
        test::sql_int(backup, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'test_commits'");
    EXPECT_EQ(test::sql_text(backup, "PRAGMA integrity_check"), "ok");
    EXPECT_EQ(test::sql_int(backup, "SELECT count(*) FROM events"), commits * kEventsPerCommit);
    EXPECT_EQ(report.contents.events, static_cast<uint64_t>(commits * kEventsPerCommit));
    EXPECT_EQ(test::sql_text(backup, "PRAGMA journal_mode"), "delete");  // one file
    EXPECT_FALSE(std::filesystem::exists(backup + "-wal"));
    seen.push_back(commits);
  }
  writing.store(false);
  writer.join();
  EXPECT_GE(seen.front(), 20);
  // Every backup is a state the store passed through, so none is after the final one.
  const int64_t final_commits =
      test::sql_int(path, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'test_commits'");
  for (const int64_t commits : seen) EXPECT_LE(commits, final_commits);
  // Only finished backups are in the folder: no partial copy was left behind.
  for (const std::string& name : files_in(dir.path()))
    EXPECT_EQ(name.find(".partial-"), std::string::npos) << name;
}

TEST(Backup, AFailedBackupLeavesNoFile) {
  test::TempDir dir;
  const std::string path = dir.file("store.db");
  write_commits(path, 0, 2);
  EXPECT_THROW(backup_store(path, dir.file("missing/backup.db")), StoreError);
  EXPECT_THROW(backup_store(path, path), StoreError);  // never over the store itself
  EXPECT_THROW(backup_store(dir.file("no-such-store.db"), dir.file("backup.db")), StoreError);
  EXPECT_FALSE(std::filesystem::exists(dir.file("no-such-store.db")));  // not created either
  for (const std::string& name : files_in(dir.path()))
    EXPECT_TRUE(name.rfind("store.db", 0) == 0) << name;
  EXPECT_EQ(test::sql_int(path, "SELECT count(*) FROM events"), 2 * kEventsPerCommit);
}

TEST(Backup, ReplacesAnOlderBackupOfTheSameName) {
  test::TempDir dir;
  const std::string path = dir.file("store.db"), backup = dir.file("latest.db");
  write_commits(path, 0, 1);
  backup_store(path, backup);
  write_commits(path, 1, 1);
  backup_store(path, backup);
  EXPECT_EQ(test::sql_int(backup, "SELECT count(*) FROM events"), 2 * kEventsPerCommit);
}

TEST(Restore, PutsTheBackupInPlaceAndRefusesToOverwriteUnlessForced) {
  test::TempDir dir;
  const std::string path = dir.file("store.db"), backup = dir.file("backup.db");
  write_commits(path, 0, 3);
  backup_store(path, backup);

  const std::string restored = dir.file("restored.db");
  const RestoreReport report = restore_store(backup, restored, false);
  EXPECT_FALSE(report.replaced);
  EXPECT_EQ(report.contents.events, static_cast<uint64_t>(3 * kEventsPerCommit));
  EXPECT_EQ(test::sql_int(restored, "SELECT count(*) FROM events"), 3 * kEventsPerCommit);
  EXPECT_EQ(test::sql_text(restored, "PRAGMA integrity_check"), "ok");

  // The store to be replaced has data of its own, some of it only in its write-ahead log.
  write_commits(restored, 100, 2);
  EXPECT_THROW(restore_store(backup, restored, false), StoreError);
  EXPECT_EQ(test::sql_int(restored, "SELECT count(*) FROM events"), 5 * kEventsPerCommit);
  {
    Database open(restored);  // a process using it, as a server would
    open.exec("PRAGMA wal_autocheckpoint = 0");
    open.exec("INSERT INTO strings (value) VALUES ('only in the log')");
    EXPECT_THROW(restore_store(backup, restored, true), StoreError);
    EXPECT_EQ(open.query_int("SELECT count(*) FROM events"), 5 * kEventsPerCommit);
  }
  const RestoreReport forced = restore_store(backup, restored, true);
  EXPECT_TRUE(forced.replaced);
  EXPECT_EQ(test::sql_int(restored, "SELECT count(*) FROM events"), 3 * kEventsPerCommit);
  EXPECT_EQ(test::sql_int(restored, "SELECT count(*) FROM strings WHERE value = 'only in the log'"),
            0);
  // The restored store opens for writing and takes new data.
  write_commits(restored, 200, 1);
  EXPECT_EQ(test::sql_int(restored, "SELECT count(*) FROM events"), 4 * kEventsPerCommit);
  EXPECT_EQ(test::sql_text(restored, "PRAGMA integrity_check"), "ok");
}

TEST(Restore, RefusesAnUnfitBackupAndLeavesTheStoreAlone) {
  test::TempDir dir;
  const std::string path = dir.file("store.db"), backup = dir.file("backup.db");
  write_commits(path, 0, 40);
  backup_store(path, backup);

  // Damaged: pages in the middle overwritten.
  const std::string damaged = dir.file("damaged.db");
  std::filesystem::copy_file(backup, damaged);
  {
    std::fstream file(damaged, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(std::filesystem::file_size(damaged) / 2));
    const std::string noise(8192, '\x5a');
    file.write(noise.data(), static_cast<std::streamsize>(noise.size()));
  }
  // Truncated, as by a copy that stopped half way.
  const std::string truncated = dir.file("truncated.db");
  std::filesystem::copy_file(backup, truncated);
  std::filesystem::resize_file(truncated, std::filesystem::file_size(backup) / 2);
  // From a newer release.
  const std::string newer = dir.file("newer.db");
  std::filesystem::copy_file(backup, newer);
  {
    sqlite3* db = nullptr;
    sqlite3_open(newer.c_str(), &db);
    sqlite3_exec(db, ("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1)).c_str(),
                 nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  // Some other SQLite database.
  const std::string foreign = dir.file("foreign.db");
  {
    sqlite3* db = nullptr;
    sqlite3_open(foreign.c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE notes (text)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  test::write_file(dir.file("text.db"), "not a database at all\n");

  for (const std::string& unfit :
       {damaged, truncated, newer, foreign, dir.file("text.db"), dir.file("absent.db")}) {
    EXPECT_THROW(restore_store(unfit, path, true), StoreError) << unfit;
    EXPECT_THROW(restore_store(unfit, dir.file("fresh.db"), false), StoreError) << unfit;
    EXPECT_FALSE(std::filesystem::exists(dir.file("fresh.db"))) << unfit;
  }
  EXPECT_EQ(test::sql_int(path, "SELECT count(*) FROM events"), 40 * kEventsPerCommit);
  EXPECT_EQ(test::sql_text(path, "PRAGMA integrity_check"), "ok");
}

TEST(StoreLock, ProcessesWaitWhileARestoreHoldsTheStore) {
  test::TempDir dir;
  const std::string path = dir.file("store.db");
  { Database create(path); }
  {
    const StoreLock restoring = StoreLock::exclusive(path);
    EXPECT_THROW(StoreLock::shared(path, false, std::chrono::milliseconds(200)), StoreError);
  }
  const StoreLock using_it = StoreLock::shared(path, false, std::chrono::milliseconds(200));
  EXPECT_THROW(StoreLock::exclusive(path), StoreError);
}

}  // namespace
}  // namespace cca::store
