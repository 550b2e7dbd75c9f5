#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <string>

#include "generate/portable_math.h"
#include "generate/python_float.h"
#include "generate/random.h"
#include "generate/sha256.h"
#include "generate/uuid.h"

namespace cca::generate {
namespace {

std::string python_repr(double value) {
  char buffer[kMaxPythonFloatChars];
  return std::string(buffer, put_python_float(buffer, value));
}

TEST(PortableMath, LogMatchesTheCLibraryAcrossMagnitudes) {
  for (double x = 1e-300; x < 1e300; x *= 1.37) {
    EXPECT_NEAR(portable_log(x), std::log(x), 1e-15 * std::max(1.0, std::fabs(std::log(x))))
        << "x = " << x;
  }
  EXPECT_EQ(portable_log(1.0), 0.0);
  EXPECT_TRUE(std::isinf(portable_log(0.0)));
}

TEST(PortableMath, ExpMatchesTheCLibraryOverTheRangeTheGeneratorUses) {
  for (double x = -40; x < 40; x += 0.0137) {
    EXPECT_NEAR(portable_exp(x) / std::exp(x), 1.0, 2e-15) << "x = " << x;
  }
  EXPECT_EQ(portable_exp(0.0), 1.0);
  EXPECT_EQ(portable_exp(-1000.0), 0.0);
  EXPECT_TRUE(std::isinf(portable_exp(1000.0)));
}

// Expected strings are what CPython 3 prints for repr(value).
TEST(PythonFloat, WritesWhatPythonReprWrites) {
  EXPECT_EQ(python_repr(0.1), "0.1");
  EXPECT_EQ(python_repr(0.0936937347300842), "0.0936937347300842");
  EXPECT_EQ(python_repr(0.0026642967295509856), "0.0026642967295509856");
  EXPECT_EQ(python_repr(0.0001), "0.0001");
  EXPECT_EQ(python_repr(0.00012), "0.00012");
  EXPECT_EQ(python_repr(1e-05), "1e-05");
  EXPECT_EQ(python_repr(1.5e-05), "1.5e-05");
  EXPECT_EQ(python_repr(9.313225746154785e-10), "9.313225746154785e-10");
  EXPECT_EQ(python_repr(100.0), "100.0");
  EXPECT_EQ(python_repr(123.456), "123.456");
  EXPECT_EQ(python_repr(1e15), "1000000000000000.0");
  EXPECT_EQ(python_repr(1e16), "1e+16");
  EXPECT_EQ(python_repr(1.2345e+22), "1.2345e+22");
  EXPECT_EQ(python_repr(1e-100), "1e-100");
  EXPECT_EQ(python_repr(0.0), "0.0");
  EXPECT_EQ(python_repr(-2.5), "-2.5");
}

TEST(PythonFloat, ReadsBackToTheSameDouble) {
  Random random(5);
  for (int i = 0; i < 100000; ++i) {
    const double value = random.uniform01() * std::pow(10.0, random.uniform_int(-8, 8));
    const std::string text = python_repr(value);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), value) << text;
  }
}

// FIPS 180-4 / NIST CAVP example vectors.
TEST(Sha256, MatchesTheStandardTestVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// 55, 56, 64 and 119 bytes straddle the one-or-two padding block limits; digests from
// coreutils sha256sum.
TEST(Sha256, HandlesEveryPaddingBoundary) {
  EXPECT_EQ(sha256_hex(std::string(55, 'x')),
            "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
  EXPECT_EQ(sha256_hex(std::string(56, 'x')),
            "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e");
  EXPECT_EQ(sha256_hex(std::string(64, 'x')),
            "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c");
  EXPECT_EQ(sha256_hex(std::string(119, 'x')),
            "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c");
}

TEST(Uuid, IsVersion4InCanonicalForm) {
  Random random(9);
  const std::regex canonical("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 1000; ++i) {
    const std::string id = random_uuid(random);
    EXPECT_TRUE(std::regex_match(id, canonical)) << id;
  }
}

}  // namespace
}  // namespace cca::generate
