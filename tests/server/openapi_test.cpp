// The OpenAPI document and the route table describe the same API: every route is documented with
// exactly the parameters it accepts, and every documented operation is a route.
#include "server/openapi.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "engine/dimension.h"
#include "engine/metric_set.h"
#include "server/routes.h"

namespace cca::server {
namespace {

using nlohmann::json;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The parameters of an operation, "$ref"s resolved.
std::set<std::string> documented_params(const json& document, const json& operation,
                                        const char* in) {
  std::set<std::string> names;
  if (!operation.contains("parameters")) return names;
  for (json parameter : operation["parameters"]) {
    if (parameter.contains("$ref")) {
      const std::string ref = parameter["$ref"];
      const std::string prefix = "#/components/parameters/";
      EXPECT_EQ(0u, ref.find(prefix)) << ref;
      parameter = document["components"]["parameters"][ref.substr(prefix.size())];
      EXPECT_FALSE(parameter.is_null()) << ref;
    }
    if (parameter["in"] == in) names.insert(parameter["name"]);
  }
  return names;
}

TEST(OpenApiTest, DocumentIsOpenApi3) {
  const json document = json::parse(openapi_document());
  EXPECT_EQ(0u, document["openapi"].get<std::string>().find("3."));
  EXPECT_TRUE(document["info"].contains("title"));
}

TEST(OpenApiTest, EveryRouteIsDocumentedWithItsParameters) {
  const json document = json::parse(openapi_document());
  for (const RouteSpec& route : route_specs()) {
    const std::string path(route.path);
    const std::string method = lower(route.method);
    ASSERT_TRUE(document["paths"].contains(path)) << path;
    ASSERT_TRUE(document["paths"][path].contains(method)) << method << " " << path;
    const json& operation = document["paths"][path][method];
    EXPECT_TRUE(operation.contains("responses")) << path;
    std::set<std::string> accepted;
    for (const std::string_view name : accepted_params(route)) accepted.insert(std::string(name));
    EXPECT_EQ(accepted, documented_params(document, operation, "query")) << method << " " << path;
    std::set<std::string> in_path;
    for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1))
      in_path.insert(path.substr(open + 1, path.find('}', open) - open - 1));
    EXPECT_EQ(in_path, documented_params(document, operation, "path")) << path;
  }
}

TEST(OpenApiTest, DimensionsAndMetricsAreTheEnginesOwn) {
  const json schemas = json::parse(openapi_document())["components"]["schemas"];
  std::vector<std::string> dimensions, metrics;
  for (const engine::Dimension d : engine::all_dimensions())
    dimensions.emplace_back(engine::dimension_name(d));
  for (const engine::Metric m : engine::all_metrics()) metrics.emplace_back(engine::metric_name(m));
  EXPECT_EQ(dimensions, schemas["Dimension"]["anyOf"][0]["enum"].get<std::vector<std::string>>());
  EXPECT_EQ(metrics, schemas["MetricName"]["enum"].get<std::vector<std::string>>());
}

TEST(OpenApiTest, EveryDocumentedOperationIsARoute) {
  const json document = json::parse(openapi_document());
  std::set<std::pair<std::string, std::string>> routes;
  for (const RouteSpec& route : route_specs())
    routes.insert({std::string(route.path), lower(route.method)});
  for (const auto& [path, operations] : document["paths"].items())
    for (const auto& [method, operation] : operations.items())
      EXPECT_TRUE(routes.count({path, method})) << method << " " << path << " is not served";
}

}  // namespace
}  // namespace cca::server
