#pragma once

namespace cca::ingest {

// How an OTLP export request is encoded on the wire: OTLP/HTTP JSON, or the protobuf binary
// format that OTLP/HTTP (application/x-protobuf) and OTLP/gRPC share.
enum class OtlpEncoding { kJson, kProtobuf };

}  // namespace cca::ingest
