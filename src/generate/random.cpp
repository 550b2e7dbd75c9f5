#include "generate/random.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "generate/portable_math.h"

namespace cca::generate {

int64_t Random::uniform_int(int64_t lo, int64_t hi) {
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span == std::numeric_limits<uint64_t>::max()) return static_cast<int64_t>(engine_());
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + below(span + 1));
}

uint64_t Random::below(uint64_t range) {
  unsigned __int128 product = static_cast<unsigned __int128>(engine_()) * range;
  auto low = static_cast<uint64_t>(product);
  if (low < range) {
    // Reject the 2^64 mod range draws that would make some results more likely.
    const uint64_t threshold = (0 - range) % range;
    while (low < threshold) {
      product = static_cast<unsigned __int128>(engine_()) * range;
      low = static_cast<uint64_t>(product);
    }
  }
  return static_cast<uint64_t>(product >> 64);
}

double Random::normal(double mean, double sd) {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return mean + sd * spare_normal_;
  }
  double u, v, s;
  do {
    u = 2 * uniform01() - 1;
    v = 2 * uniform01() - 1;
    s = u * u + v * v;
  } while (s >= 1 || s == 0);
  const double factor = std::sqrt(-2 * portable_log(s) / s);  // sqrt is exact in IEEE-754
  spare_normal_ = v * factor;
  has_spare_normal_ = true;
  return mean + sd * u * factor;
}

double Random::lognormal(double mu, double sigma) {
  return portable_exp(normal(mu, sigma));
}

WeightedChoice::WeightedChoice(std::initializer_list<uint32_t> weights)
    : WeightedChoice(std::vector<uint32_t>(weights)) {}

WeightedChoice::WeightedChoice(const std::vector<uint32_t>& weights) {
  uint64_t total = 0;
  for (const uint32_t w : weights) {
    total += w;
    cumulative_.push_back(total);
  }
  if (total == 0) throw std::invalid_argument("WeightedChoice needs a positive total weight");
}

size_t WeightedChoice::pick(Random& random) const {
  const uint64_t ticket = random.below(cumulative_.back());
  return static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), ticket) -
                             cumulative_.begin());
}

uint64_t derive_seed(uint64_t seed, uint64_t stream) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace cca::generate
