#include "generate/python_float.h"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace cca::generate {

char* put_python_float(char* out, double value) {
  char scientific[kMaxPythonFloatChars];
  const auto result = std::to_chars(scientific, scientific + sizeof scientific, value,
                                    std::chars_format::scientific);
  const std::string_view text(scientific, static_cast<size_t>(result.ptr - scientific));

  // "-d.ddde-xx" into sign, significant digits and decimal exponent.
  size_t pos = 0;
  if (text[pos] == '-') {
    *out++ = '-';
    ++pos;
  }
  const size_t e_pos = text.find('e');
  char digits[kMaxPythonFloatChars];
  int ndigits = 0;
  for (size_t i = pos; i < e_pos; ++i) {
    if (text[i] != '.') digits[ndigits++] = text[i];
  }
  int exponent = 0;
  std::from_chars(text.data() + e_pos + (text[e_pos + 1] == '+' ? 2 : 1), text.data() + text.size(),
                  exponent);

  const auto put_digits = [&out, &digits](int from, int to) {
    std::memcpy(out, digits + from, static_cast<size_t>(to - from));
    out += to - from;
  };
  const int point = exponent + 1;  // digits before the decimal point
  if (point > -4 && point <= 16) {
    if (point <= 0) {
      *out++ = '0';
      *out++ = '.';
      for (int i = point; i < 0; ++i) *out++ = '0';
      put_digits(0, ndigits);
    } else if (point < ndigits) {
      put_digits(0, point);
      *out++ = '.';
      put_digits(point, ndigits);
    } else {
      put_digits(0, ndigits);
      for (int i = ndigits; i < point; ++i) *out++ = '0';
      *out++ = '.';
      *out++ = '0';
    }
    return out;
  }
  put_digits(0, 1);
  if (ndigits > 1) {
    *out++ = '.';
    put_digits(1, ndigits);
  }
  *out++ = 'e';
  *out++ = exponent < 0 ? '-' : '+';
  const int magnitude = std::abs(exponent);
  if (magnitude < 10) *out++ = '0';
  return std::to_chars(out, out + 4, magnitude).ptr;
}

}  // namespace cca::generate
