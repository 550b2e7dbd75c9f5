#include "server/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace cca::server {
namespace {

TEST(JsonWriterTest, PlacesCommasAndNests) {
  JsonWriter json;
  json.begin_object().key("a").value(int64_t{1}).key("b").begin_array();
  json.value("x").null().value(true).begin_object().end_object();
  json.end_array().key("c").value(uint64_t{18446744073709551615ull}).end_object();
  EXPECT_EQ(R"({"a":1,"b":["x",null,true,{}],"c":18446744073709551615})", json.str());
}

TEST(JsonWriterTest, EscapesAndRepairsText) {
  std::string out;
  append_json_string(out, "q\"b\\n\n\t\x01 \xC3\xA9 \xE2\x82\xAC");
  EXPECT_EQ("\"q\\\"b\\\\n\\n\\t\\u0001 \xC3\xA9 \xE2\x82\xAC\"", out);
  out.clear();
  // A lone continuation byte, a truncated sequence, an overlong encoding and a surrogate.
  append_json_string(out, "a\x80z\xE2\x82 \xC0\xAF \xED\xA0\x80");
  EXPECT_EQ(nlohmann::json("a\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD "
                           "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"),
            nlohmann::json::parse(out));
}

TEST(JsonWriterTest, NumbersReadBackExactly) {
  for (const double value : {0.1, 1.0 / 3, 6001.42929362884, 1e-300, 123456789012345.6, 0.0}) {
    JsonWriter json;
    json.value(value);
    EXPECT_EQ(value, nlohmann::json::parse(json.str()).get<double>()) << json.str();
  }
  JsonWriter json;
  json.begin_array().value(std::numeric_limits<double>::quiet_NaN());
  json.value(std::numeric_limits<double>::infinity()).end_array();
  EXPECT_EQ("[null,null]", json.str());
}

}  // namespace
}  // namespace cca::server
