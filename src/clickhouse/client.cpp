#include "clickhouse/client.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <random>

namespace cca::clickhouse {
namespace {

// Which replica of a shard a write goes to, and the reads that check what is stored before the
// next write: the first one up, in the cluster's order, for both. A random choice for each would
// send a check, half the time, to the replica that has not yet fetched the rows written a moment
// before, and a redelivery close behind its first delivery would be stored twice.
constexpr const char* kWriteReplicaChoice = "in_order";

// How much of an answer ClickHouse holds in memory before the rest goes to a temporary file
// (path_with): more than the largest answer of a dashboard question (the session durations over
// every day of 100 M events, 11.5 MB).
constexpr size_t kAnswerBufferBytes = size_t{64} << 20;
// The most rows a read may take for ClickHouse to keep its columns decompressed (path_with).
constexpr size_t kCachedReadRows = size_t{8} << 20;

std::string url_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

// ClickHouse answers an error with its exception text, "Code: 60, e.displayText() = ...": the
// first line is the part worth showing.
std::string first_line(const std::string& text) {
  const size_t end = text.find('\n');
  return text.substr(0, std::min(end, size_t{600}));
}

// A multipart boundary that the rows do not hold.
std::string boundary_outside(std::string_view rows) {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::string boundary;
  do {
    boundary = "ccanalytics-";
    for (int i = 0; i < 24; ++i) boundary += kDigits[random() % (sizeof(kDigits) - 1)];
  } while (rows.find(boundary) != std::string_view::npos);
  return boundary;
}

// The external table as the one file of a multipart body that ends at its close delimiter.
// ClickHouse reads up to the delimiter and, after answering, closes the connection; anything
// sent after it (httplib's own multipart bodies end with a line end) stays unread, and closing
// over unread bytes resets the connection, which can discard the end of the answer before the
// client reads it.
std::string multipart_body(const ExternalTable& table, std::string_view boundary) {
  std::string head = "--";
  head.append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(table.name);
  head.append("\"; filename=\"").append(table.name).append(".tsv\"\r\n");
  head.append("Content-Type: text/tab-separated-values\r\n\r\n");
  std::string tail = "\r\n--";
  tail.append(boundary).append("--");
  std::string body;
  body.reserve(head.size() + table.tab_separated_rows.size() + tail.size());
  body.append(head).append(table.tab_separated_rows).append(tail);
  return body;
}

}  // namespace

ClickHouseUrl ClickHouseUrl::parse(std::string_view url) {
  if (url.substr(0, 7) != "http://")
    throw std::invalid_argument("ClickHouse URL must start with http:// (its HTTP interface): " +
                                std::string(url));
  const size_t path_start = url.find_first_of("/?", 7);
  ClickHouseUrl parsed;
  parsed.origin = std::string(url.substr(0, path_start));
  if (parsed.origin.size() == 7 || parsed.origin.find('@') != std::string::npos)
    throw std::invalid_argument(
        "ClickHouse URL needs a host (and no user@; pass user= and "
        "password= as parameters): " +
        std::string(url));
  parsed.database = "ccanalytics";
  if (path_start == std::string_view::npos) return parsed;
  const size_t query_start = url.find('?', path_start);
  if (url.substr(path_start, query_start - path_start).find_first_not_of('/') !=
      std::string_view::npos)
    throw std::invalid_argument("ClickHouse URL has a path; name the database with ?database=: " +
                                std::string(url));
  if (query_start == std::string_view::npos) return parsed;
  std::string_view query = url.substr(query_start + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string key = url_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
    if (key == "database") {
      if (value.empty() || value.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST"
                                                   "UVWXYZ0123456789_") != std::string::npos)
        throw std::invalid_argument("ClickHouse database name must be letters, digits and _: " +
                                    value);
      parsed.database = std::move(value);
    } else if (key == "cluster") {
      if (value.empty() || value.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST"
                                                   "UVWXYZ0123456789_") != std::string::npos)
        throw std::invalid_argument("ClickHouse cluster name must be letters, digits and _: " +
                                    value);
      parsed.cluster = std::move(value);
    } else {
      parsed.parameters.emplace_back(std::move(key), std::move(value));
    }
  }
  return parsed;
}

std::string ClickHouseUrl::display() const {
  return origin + "/?database=" + database;
}

ClickHouseUrl up_to_date_replicas(ClickHouseUrl url) {
  if (!url.cluster.empty()) {
    url.parameters.emplace_back("max_replica_delay_for_distributed_queries", "1");
    url.parameters.emplace_back("fallback_to_stale_replicas_for_distributed_queries", "0");
    url.parameters.emplace_back("load_balancing", kWriteReplicaChoice);
  }
  return url;
}

ClickHouseClient::ClickHouseClient(ClickHouseUrl url, std::chrono::seconds timeout)
    : url_(std::move(url)), timeout_(timeout) {}

std::string ClickHouseClient::path_with(std::string_view query_parameter) const {
  // Settings sent with every statement unless the URL sets them.
  static const std::pair<const char*, std::string> kDefaults[] = {
      // Statements that name the directory's people (a transform over every email, in each part
      // of a question) outgrow ClickHouse's default limit of 256 KiB at a few thousand people:
      // the facets under a practice filter came to 270 KB at 1,621.
      {"max_query_size", "67108864"},
      // An answer failing after its first megabyte was sent would come with status 200, the
      // error's text after the rows; answered whole, it fails with its status.
      {"wait_end_of_query", "1"},
      // Held whole, an answer goes past ClickHouse's memory buffer (1 MiB by default) into a
      // temporary file, written and read back before it is sent; the buffer grows only as an
      // answer needs it.
      {"buffer_size", std::to_string(kAnswerBufferBytes)},
      // The dashboard's questions read the same granules again and again: ClickHouse keeps
      // their columns decompressed (in the server's uncompressed_cache_size, 8 GiB in Debian's
      // configuration) for reads of up to this many rows, which takes in every rollup and
      // session_days read of 100 M events and leaves out reads of the events themselves.
      {"use_uncompressed_cache", "1"},
      {"merge_tree_max_rows_to_use_cache", std::to_string(kCachedReadRows)}};
  std::string path = "/?";
  const auto add = [&](std::string_view key, std::string_view value) {
    path += httplib::detail::encode_query_param(std::string(key)) + "=" +
            httplib::detail::encode_query_param(std::string(value)) + "&";
  };
  for (const auto& [key, value] : url_.parameters) add(key, value);
  for (const auto& [key, value] : kDefaults)
    if (std::none_of(url_.parameters.begin(), url_.parameters.end(),
                     [key = key](const auto& set) { return set.first == key; }))
      add(key, value);
  path += query_parameter;
  return path;
}

std::string ClickHouseClient::post(const std::string& path, std::string_view body,
                                   std::string_view what, const ExternalTable* table) const {
  httplib::Client client(url_.origin);
  client.set_connection_timeout(5);
  client.set_read_timeout(timeout_);
  client.set_write_timeout(timeout_);
  const auto send = [&]() -> httplib::Result {
    if (!table) return client.Post(path, body.data(), body.size(), "text/plain");
    // External data rides as a file of a multipart body; the query moves into the URL.
    const std::string boundary = boundary_outside(table->tab_separated_rows);
    return client.Post(path + "&query=" + httplib::detail::encode_query_param(std::string(body)),
                       multipart_body(*table, boundary),
                       "multipart/form-data; boundary=" + boundary);
  };
  const auto started = std::chrono::steady_clock::now();
  httplib::Result result = send();
  if (!result) {
    const httplib::Error error = result.error();
    const std::string where = "ClickHouse at " + url_.display();
    // httplib says Read (or Write, when the peer goes while the request is still being sent)
    // for a connection that broke as for one that timed out.
    const bool broken = error == httplib::Error::Read || error == httplib::Error::Write;
    const bool waited = std::chrono::steady_clock::now() - started >= timeout_;
    if ((broken && waited) || error == httplib::Error::ConnectionTimeout)
      throw ClickHouseError(ClickHouseError::Kind::kTimeout,
                            where + " did not answer " + std::string(what) + " within " +
                                std::to_string(timeout_.count()) + " s");
    if (broken)
      throw ClickHouseError(ClickHouseError::Kind::kUnreachable,
                            where + " closed the connection before answering " + std::string(what));
    throw ClickHouseError(ClickHouseError::Kind::kUnreachable,
                          where + " is unreachable: " + httplib::to_string(error));
  }
  if (result->status != 200)
    throw ClickHouseError(ClickHouseError::Kind::kRefused,
                          "ClickHouse refused " + std::string(what) + " (HTTP " +
                              std::to_string(result->status) + "): " + first_line(result->body));
  return std::move(result->body);
}

std::string ClickHouseClient::query(std::string_view sql) const {
  return post(path_with("database=" + url_.database), sql, "a query", nullptr);
}

std::string ClickHouseClient::query(std::string_view sql, const ExternalTable& table) const {
  return post(path_with("database=" + url_.database + "&" + table.name +
                        "_structure=" + httplib::detail::encode_query_param(table.structure) + "&" +
                        table.name + "_format=TabSeparated"),
              sql, "a query", &table);
}

void ClickHouseClient::insert(std::string_view insert_statement, std::string_view rows) const {
  // On a cluster the Distributed table would otherwise queue the rows on this server's disk and
  // answer before the shards have them; synchronous, the answer means they are there.
  const std::string sync =
      url_.cluster.empty()
          ? ""
          : "insert_distributed_sync=1&load_balancing=" + std::string(kWriteReplicaChoice) + "&";
  post(path_with(sync + "database=" + url_.database +
                 "&query=" + httplib::detail::encode_query_param(std::string(insert_statement))),
       rows, "an insert", nullptr);
}

}  // namespace cca::clickhouse
