#pragma once

#include <cstdint>
#include <initializer_list>
#include <random>
#include <vector>

namespace cca::generate {

// Every draw of the generator goes through this class. The engine (std::mt19937_64) is
// specified bit for bit by the C++ standard, but std::uniform_int_distribution,
// std::normal_distribution and friends are not: their output differs between standard
// libraries. The distributions here are written out so the same seed gives the same data
// everywhere.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  uint64_t next_u64() { return engine_(); }
  // Uniform in [0, 1), 53 random bits.
  double uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform integer in [lo, hi], both inclusive, without bias.
  int64_t uniform_int(int64_t lo, int64_t hi);
  // Uniform in [0, range), range >= 1 (Lemire's multiply-and-reject: no division as a rule).
  uint64_t below(uint64_t range);
  bool bernoulli(double p) { return uniform01() < p; }
  // Marsaglia's polar method; draws come in pairs, the second is kept for the next call.
  double normal(double mean, double sd);
  double lognormal(double mu, double sigma);

 private:
  std::mt19937_64 engine_;
  double spare_normal_ = 0;
  bool has_spare_normal_ = false;
};

// Picks an index with probability proportional to integer weights.
class WeightedChoice {
 public:
  WeightedChoice(std::initializer_list<uint32_t> weights);
  explicit WeightedChoice(const std::vector<uint32_t>& weights);

  size_t pick(Random& random) const;
  size_t size() const { return cumulative_.size(); }

 private:
  std::vector<uint64_t> cumulative_;
};

// Independent seeds for separate random streams derived from one user seed (SplitMix64).
uint64_t derive_seed(uint64_t seed, uint64_t stream);

}  // namespace cca::generate
