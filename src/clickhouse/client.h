#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cca::clickhouse {

// ClickHouse could not be asked (unreachable, timed out) or refused a statement. The server turns
// it into a 503, the CLI into an error exit; `what()` says which and why.
class ClickHouseError : public std::runtime_error {
 public:
  enum class Kind { kUnreachable, kTimeout, kRefused };
  ClickHouseError(Kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// Where the store is: ClickHouse's HTTP interface, e.g.
// http://127.0.0.1:8123/?database=ccanalytics. `cluster=NAME` (a cluster of the servers'
// remote_servers) lays the tables out replicated and sharded over it. Query parameters other
// than those two (user, password, settings such as max_threads or insert_quorum) are sent with
// every request.
struct ClickHouseUrl {
  std::string origin;    // scheme://host:port
  std::string database;  // "ccanalytics" unless the URL names one
  std::string cluster;   // empty: one server
  std::vector<std::pair<std::string, std::string>> parameters;

  // Throws std::invalid_argument naming what is wrong.
  static ClickHouseUrl parse(std::string_view url);
  std::string display() const;  // the origin and database, never a password
};

// The URL for reads that must see every write acknowledged so far (which identities are stored):
// on a cluster, never a replica that is behind, as one just back from a failure may be.
ClickHouseUrl up_to_date_replicas(ClickHouseUrl url);

// A table sent along with a query as external data: the query reads it by `name`.
struct ExternalTable {
  std::string name;
  std::string structure;  // "hi UInt64, lo UInt64"
  std::string tab_separated_rows;
};

// Statements over ClickHouse's HTTP interface. Thread-safe: each call uses its own connection
// (ClickHouse's HTTP handler is cheap to connect to on loopback, and a shared keep-alive
// connection would serialise the server's concurrent queries).
class ClickHouseClient {
 public:
  explicit ClickHouseClient(ClickHouseUrl url,
                            std::chrono::seconds timeout = std::chrono::seconds(30));

  const ClickHouseUrl& url() const { return url_; }
  std::chrono::seconds timeout() const { return timeout_; }
  const std::string& database() const { return url_.database; }

  // Runs a statement and returns ClickHouse's answer as it came (TabSeparated unless the
  // statement says FORMAT). Throws ClickHouseError.
  std::string query(std::string_view sql) const;
  std::string query(std::string_view sql, const ExternalTable& table) const;
  // INSERT with the rows as the request body, e.g. "INSERT INTO t FORMAT TabSeparated". Returns
  // when ClickHouse has written them (the HTTP answer comes after the insert is done).
  void insert(std::string_view insert_statement, std::string_view rows) const;

 private:
  std::string post(const std::string& path, std::string_view body, std::string_view what,
                   const ExternalTable* table) const;
  std::string path_with(std::string_view query_parameter) const;

  ClickHouseUrl url_;
  std::chrono::seconds timeout_;
};

}  // namespace cca::clickhouse
