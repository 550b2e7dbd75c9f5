#pragma once

namespace cca::ingest {

// How an OTLP/HTTP body is encoded (its Content-Type).
enum class OtlpEncoding { kJson, kProtobuf };

}  // namespace cca::ingest
