#pragma once

#include <string>

#include "generate/random.h"

namespace cca::generate {

// A random (version 4, RFC 9562) UUID in its 8-4-4-4-12 lowercase hex form.
std::string random_uuid(Random& random);

}  // namespace cca::generate
