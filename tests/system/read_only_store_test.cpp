// A store that cannot be written, on a read-only mount or by file mode: serve answers reads and
// says clearly that ingest cannot be done, `ingest` exits non-zero saying why, `backup` still
// copies it, and the store is left exactly as it was.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/test_support.h"
#include "system/generated_data.h"
#include "system/mounts.h"
#include "system/otlp_request.h"
#include "system/process.h"

namespace cca::system_test {
namespace {

using nlohmann::json;

std::string read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// A store written and closed normally in `folder`, and its event count.
int64_t make_store(const std::string& folder, const GeneratedData& data) {
  std::filesystem::create_directories(folder);
  const Finished ingested = run({"ingest", "--db", folder + "/store.db", "--telemetry",
                                 data.telemetry, "--employees", data.employees});
  if (ingested.exit_code != 0) throw std::runtime_error("ingest failed: " + ingested.err);
  return test::sql_int(folder + "/store.db", "SELECT count(*) FROM events");
}

// What serve and the CLI do with the read-only store at db_path.
void expect_read_only_behaviour(const std::string& db_path, const GeneratedData& data,
                                int64_t events, const std::string& backup_folder,
                                const ProcessOptions& as) {
  ServeProcess server(db_path, {"--retention-days", "1"}, as);
  httplib::Client client(server.url());
  client.set_read_timeout(60, 0);
  const auto summary = client.Get("/api/v1/summary");
  ASSERT_TRUE(summary);
  ASSERT_EQ(summary->status, 200) << summary->body;
  EXPECT_EQ(json::parse(summary->body)["events"].get<int64_t>(), events);
  EXPECT_EQ(client.Get("/api/v1/quality")->status, 200);
  EXPECT_EQ(client.Get("/api/v1/breakdown?by=practice")->status, 200);

  const auto bulk =
      client.Post("/api/v1/ingest", read_text(data.telemetry), "application/x-ndjson");
  ASSERT_TRUE(bulk);
  EXPECT_EQ(bulk->status, 503);
  const json error = json::parse(bulk->body)["error"];
  EXPECT_EQ(error["code"], "store_read_only");
  EXPECT_NE(error["message"].get<std::string>().find("read-only"), std::string::npos) << error;
  const auto otlp = client.Post("/v1/logs", otlp_logs_json(0, 5), "application/json");
  ASSERT_TRUE(otlp);
  EXPECT_EQ(otlp->status, 503);
  EXPECT_TRUE(otlp->has_header("Retry-After"));
  EXPECT_EQ(json::parse(otlp->body)["error"]["code"], "store_read_only");
  EXPECT_EQ(client.Put("/api/v1/employees", read_text(data.employees), "text/csv")->status, 503);
  EXPECT_EQ(server.stop(), 0);
  const std::string log = server.process().err();
  EXPECT_NE(log.find("serving reads only"), std::string::npos) << log;
  EXPECT_NE(log.find("retention failed"), std::string::npos) << log;

  const Finished ingest = run({"ingest", "--db", db_path, "--telemetry", data.telemetry}, as);
  EXPECT_EQ(ingest.exit_code, 2);
  EXPECT_NE(ingest.err.find("read-only"), std::string::npos) << ingest.err;

  const std::string backup = backup_folder + "/backup.db";
  const Finished backed_up = run({"backup", "--db", db_path, "--to", backup}, as);
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;
  EXPECT_EQ(test::sql_int(backup, "SELECT count(*) FROM events"), events);
}

TEST(ReadOnlyStore, OnAReadOnlyMountItIsServedAndNotWritten) {
  test::TempDir dir;
  const GeneratedData data = generate_data(dir.file("data"), 6, 60, 10, "2026-02-01");
  const std::string source = dir.file("store");
  const int64_t events = make_store(source, data);
  const std::string checksum_before = read_text(source + "/store.db");
  {
    std::string why;
    const auto view = Mount::read_only_view(source, dir.file("read-only"), why);
    if (!view)
      GTEST_SKIP() << "cannot mount a read-only view here (" << why << "): skipped, not passed";
    std::filesystem::create_directories(dir.file("backups"));
    expect_read_only_behaviour(view->folder() + "/store.db", data, events, dir.file("backups"), {});
  }
  EXPECT_EQ(read_text(source + "/store.db"), checksum_before) << "the store file changed";
  EXPECT_EQ(test::sql_text(source + "/store.db", "PRAGMA integrity_check"), "ok");
}

TEST(ReadOnlyStore, ByFileModeItIsServedAndNotWritten) {
  test::TempDir dir;
  const GeneratedData data = generate_data(dir.file("data"), 6, 60, 10, "2026-02-01");
  const std::string folder = dir.file("store");
  const int64_t events = make_store(folder, data);
  const std::string backups = dir.file("backups");
  std::filesystem::create_directories(backups);
  // File modes do not bind root: as root, the server and the CLI run as an unprivileged user.
  ProcessOptions as;
  as.as_nobody = ::geteuid() == 0;
  std::filesystem::permissions(folder + "/store.db", std::filesystem::perms::owner_read |
                                                         std::filesystem::perms::group_read |
                                                         std::filesystem::perms::others_read);
  std::filesystem::permissions(
      folder, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                  std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                  std::filesystem::perms::others_exec);
  std::filesystem::permissions(backups, std::filesystem::perms::all);
  if (as.as_nobody) {
    const Finished probe = run({"--version"}, as);
    if (probe.exit_code != 0)
      GTEST_SKIP() << "cannot run the binary as an unprivileged user (exit " << probe.exit_code
                   << "): skipped, not passed";
  }
  const std::string checksum_before = read_text(folder + "/store.db");
  expect_read_only_behaviour(folder + "/store.db", data, events, backups, as);
  EXPECT_EQ(read_text(folder + "/store.db"), checksum_before) << "the store file changed";
  std::filesystem::permissions(folder + "/store.db", std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  EXPECT_EQ(test::sql_text(folder + "/store.db", "PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace cca::system_test
