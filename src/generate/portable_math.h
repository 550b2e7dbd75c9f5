#pragma once

namespace cca::generate {

// Natural logarithm and exponential built only from IEEE-754 +, -, *, / and exact scaling.
// libm's log/exp may differ in the last bit between C libraries and versions; these do not,
// so the generated files are byte-identical on every machine. Relative error is within a few units
// in the last place.
double portable_log(double x);  // x > 0
double portable_exp(double x);

}  // namespace cca::generate
