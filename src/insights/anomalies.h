#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "insights/metric_series.h"

namespace cca::insights {

// A value of a dimension and its part in an anomaly's deviation from the expected.
struct Contributor {
  std::string key;
  double value = 0, expected = 0;  // over the anomaly's buckets: sums, or rates for a rate
  double share = 0;        // of the deviation in the anomaly's direction, among all keys
  double usual_share = 0;  // the key's share of the metric outside anomalies
};

struct Anomaly {
  size_t begin = 0, end = 0;  // the buckets [begin, end) of the series
  double value = 0, expected = 0, lo = 0, hi = 0;  // sums over the buckets, or rates for a rate
  double score = 0;  // the largest deviation in units of the series' own noise
  bool up = true;
  std::string by;  // the dimension the contributors are values of
  std::vector<Contributor> contributors;
};

struct AnomalyCheck {
  size_t season = 0;
  double threshold = 0;                  // scores above it are anomalies
  std::vector<double> expected, lo, hi;  // per bucket: the band
  std::vector<Anomaly> anomalies;        // strongest first, unexplained
  std::string note;                      // why nothing was checked, when so
};

// Finds the buckets a robust seasonal decomposition (decomposition.h) cannot explain, on a scale
// where the series' noise is even: log(value + the median bucket) for amounts, asin(sqrt(rate))
// for rates. Scores are residuals in units of the series' own robust spread (rates: binomial
// noise times its overdispersion). The threshold keeps the chance of any false alarm over the
// whole series near 1 % for normal noise (Bonferroni over its buckets, never under 4).
// Neighbouring buckets off in the same direction form one anomaly. docs/insights.md has the why.
AnomalyCheck find_anomalies(const MetricSeries& series, size_t season);

// One value of a dimension: its amount (for a rate, the rate's numerator and denominator) over
// the anomaly's buckets and over the rest of the history outside every anomaly.
struct KeyAmounts {
  std::string key;
  double in_anomaly = 0, in_anomaly_denominator = 0;
  double usual = 0, usual_denominator = 0;
};

// Ranks keys by their share of the anomaly's deviation. A key is expected to keep its usual part:
// for amounts its usual share of the anomaly's expected total, for rates its usual rate applied
// to its own denominator in the anomaly (a falling rate counts each key's shortfall). Keys that
// moved against the anomaly have no share.
std::vector<Contributor> contributors(const Anomaly& anomaly, const std::vector<KeyAmounts>& keys,
                                      bool rate, size_t limit);

// How much better a dimension explains an anomaly than its usual mix: the top contributor's share
// less its usual share. The dimension with the largest lift explains most.
double explanation_lift(const std::vector<Contributor>& contributors);

}  // namespace cca::insights
