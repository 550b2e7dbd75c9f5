#pragma once

namespace cca::generate {

// Writes a finite double the way Python's repr() writes it: the shortest digits that read
// back to the same double, positional for exponents -5 < e < 16 ("0.0936937347300842",
// "100.0"), scientific otherwise ("1.5e-05", "1e+16"). The reference telemetry was written
// so, and the generated files keep its number formatting.
// Writes at most kMaxPythonFloatChars characters at out and returns the end.
inline constexpr int kMaxPythonFloatChars = 32;
char* put_python_float(char* out, double value);

}  // namespace cca::generate
