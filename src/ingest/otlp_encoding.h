#pragma once

#include <string_view>

namespace cca::ingest {

// How an OTLP export request is encoded on the wire: OTLP/HTTP JSON, or the protobuf binary
// format that OTLP/HTTP (application/x-protobuf) and OTLP/gRPC share.
enum class OtlpEncoding { kJson, kProtobuf };

// Parses a request body with the parser its encoding takes, appending to `out`. Both parsers
// throw IngestError, appending nothing, when the body is malformed.
template <typename JsonParser, typename ProtobufParser, typename Batch>
void parse_otlp(std::string_view body, OtlpEncoding encoding, JsonParser& json,
                ProtobufParser& protobuf, Batch& out) {
  if (encoding == OtlpEncoding::kProtobuf) {
    protobuf.parse(body, out);
  } else {
    json.parse(body, out);
  }
}

}  // namespace cca::ingest
