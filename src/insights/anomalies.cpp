#include "insights/anomalies.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include "insights/decomposition.h"
#include "insights/robust_stats.h"

namespace cca::insights {
namespace {

constexpr size_t kMinPoints = 7;
constexpr double kMinThreshold = 4.0;
constexpr double kFamilyFalseAlarm = 0.01;

bool is_rate(const MetricSeries& series) {
  return !series.denominators.empty();
}

// Rates of buckets without a denominator are unknown; the decomposition reads the median rate
// there, and they are never flagged.
std::vector<double> filled_values(const MetricSeries& series, std::vector<bool>& present) {
  present.assign(series.values.size(), true);
  if (!is_rate(series)) return series.values;
  std::vector<double> known;
  for (size_t i = 0; i < series.values.size(); ++i) {
    present[i] = series.denominators[i] > 0;
    if (present[i]) known.push_back(series.values[i]);
  }
  const double fill = median(std::move(known));
  std::vector<double> values = series.values;
  for (size_t i = 0; i < values.size(); ++i)
    if (!present[i]) values[i] = fill;
  return values;
}

// Robust spreads are read at the 90th percentile of residual sizes, where a normal one lies at
// 1.645 sigmas: the median absolute deviation would read the narrow centre of sums of sessions'
// heavy-tailed costs and raise alarms at ordinary busy hours, and a tenth of the buckets being
// anomalous cannot move it.
constexpr double kSpreadQuantile = 0.90;
constexpr double kSpreadSigmas = 1.645;

// Amounts: one spread for the whole series on the log scale.
std::vector<double> amount_noise(const Decomposition& d, const std::vector<bool>& present) {
  std::vector<double> sizes;
  for (size_t i = 0; i < d.residual.size(); ++i)
    if (present[i]) sizes.push_back(std::abs(d.residual[i]));
  return std::vector<double>(d.residual.size(), quantile(sizes, kSpreadQuantile) / kSpreadSigmas);
}

// Rates, on the arcsine scale asin(sqrt(rate)), have binomial noise of 1 / (2 sqrt(count)) whatever
// the rate (so 1 error in 3 requests at a quiet hour stays unremarkable where a normal
// approximation of the rate itself would not), times the series' own overdispersion (never
// under 1). A session's decisions and results hang together (one person rejecting every edit),
// so the count is sqrt(events * sessions): between every event and only every session being
// independent.
std::vector<double> rate_noise(const MetricSeries& series, const Decomposition& d,
                               const std::vector<bool>& present) {
  const size_t n = series.values.size();
  std::vector<double> unit(n), sizes;
  for (size_t i = 0; i < n; ++i) {
    const double count = std::sqrt(series.denominators[i] * series.sessions[i]);
    unit[i] = 1 / (2 * std::sqrt(std::max(count, 1.0)));
    if (present[i]) sizes.push_back(std::abs(d.residual[i]) / unit[i]);
  }
  const double overdispersion = std::max(1.0, quantile(sizes, kSpreadQuantile) / kSpreadSigmas);
  for (double& u : unit) u *= overdispersion;
  return unit;
}

}  // namespace

AnomalyCheck find_anomalies(const MetricSeries& series, size_t season) {
  AnomalyCheck check;
  const size_t n = series.values.size();
  check.expected.assign(n, 0);
  check.lo.assign(n, 0);
  check.hi.assign(n, 0);
  const bool rate = is_rate(series);
  std::vector<bool> present;
  const std::vector<double> values = filled_values(series, present);
  if (n < kMinPoints) {
    check.note = "fewer than 7 buckets: too few to tell an anomaly from the usual";
    check.expected = values;
    check.lo = check.hi = values;
    return check;
  }
  // Checked on a scale where the noise is even (see the header): amounts on log(value + one
  // typical bucket), rates on asin(sqrt(rate)).
  double offset = 0;
  std::vector<double> working = values;
  if (rate) {
    for (double& v : working) v = std::asin(std::sqrt(std::clamp(v, 0.0, 1.0)));
  } else {
    std::vector<double> positive;
    for (double v : values)
      if (v > 0) positive.push_back(v);
    offset = std::max(median(std::move(positive)), 1e-12);
    for (double& v : working) v = std::log(v + offset);
  }
  const auto original = [&](double w) {
    if (!rate) return std::exp(w) - offset;
    const double root = std::sin(std::clamp(w, 0.0, std::numbers::pi / 2));
    return root * root;
  };
  const Decomposition d = decompose(working, season, Seasonality::kAdditive);
  check.season = d.season;

  const std::vector<double> noise = rate ? rate_noise(series, d, present) : amount_noise(d, present);
  size_t checked = 0;
  for (size_t i = 0; i < n; ++i) checked += present[i];
  check.threshold = std::max(
      kMinThreshold, normal_quantile(1 - kFamilyFalseAlarm / 2 / static_cast<double>(checked)));

  const double upper_bound = rate ? 1.0 : HUGE_VAL;
  std::vector<double> score(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const double center = d.expected(i);
    const double half_width = check.threshold * noise[i];
    check.expected[i] = std::clamp(original(center), 0.0, upper_bound);
    check.lo[i] = std::clamp(original(center - half_width), 0.0, upper_bound);
    check.hi[i] = std::clamp(original(center + half_width), 0.0, upper_bound);
    if (present[i] && noise[i] > 0) score[i] = d.residual[i] / noise[i];
  }

  for (size_t i = 0; i < n;) {
    if (std::abs(score[i]) <= check.threshold) {
      ++i;
      continue;
    }
    Anomaly a;
    a.begin = i;
    a.up = score[i] > 0;
    double value = 0, expected = 0, lo = 0, hi = 0, weight = 0;
    for (; i < n && std::abs(score[i]) > check.threshold && (score[i] > 0) == a.up; ++i) {
      const double w = rate ? series.denominators[i] : 1.0;
      value += w * series.values[i];
      expected += w * check.expected[i];
      lo += w * check.lo[i];
      hi += w * check.hi[i];
      weight += w;
      a.score = std::max(a.score, std::abs(score[i]));
    }
    a.end = i;
    const double divisor = rate ? weight : 1.0;  // rates over the run, amounts summed
    a.value = value / divisor;
    a.expected = expected / divisor;
    a.lo = lo / divisor;
    a.hi = hi / divisor;
    check.anomalies.push_back(std::move(a));
  }
  std::stable_sort(check.anomalies.begin(), check.anomalies.end(),
                   [](const Anomaly& a, const Anomaly& b) { return a.score > b.score; });
  return check;
}

std::vector<Contributor> contributors(const Anomaly& anomaly, const std::vector<KeyAmounts>& keys,
                                      bool rate, size_t limit) {
  double usual_total = 0;
  for (const KeyAmounts& key : keys)
    usual_total += rate && !anomaly.up ? key.usual_denominator - key.usual : key.usual;
  double all_usual = 0;
  for (const KeyAmounts& key : keys) all_usual += key.usual;

  struct Deviation {
    Contributor contributor;
    double toward = 0;  // the deviation in the anomaly's direction
  };
  std::vector<Deviation> deviations;
  double toward_total = 0;
  const double direction = anomaly.up ? 1.0 : -1.0;
  for (const KeyAmounts& key : keys) {
    Deviation dev;
    dev.contributor.key = key.key;
    double excess = 0;
    if (rate) {
      const double usual_rate = key.usual_denominator > 0 ? key.usual / key.usual_denominator : 0;
      dev.contributor.value =
          key.in_anomaly_denominator > 0 ? key.in_anomaly / key.in_anomaly_denominator : 0;
      dev.contributor.expected = usual_rate;
      excess = key.in_anomaly - usual_rate * key.in_anomaly_denominator;
      const double part = anomaly.up ? key.usual : key.usual_denominator - key.usual;
      dev.contributor.usual_share = usual_total > 0 ? part / usual_total : 0;
    } else {
      dev.contributor.usual_share = all_usual > 0 ? key.usual / all_usual : 0;
      dev.contributor.value = key.in_anomaly;
      dev.contributor.expected = dev.contributor.usual_share * anomaly.expected;
      excess = dev.contributor.value - dev.contributor.expected;
    }
    dev.toward = std::max(0.0, direction * excess);
    toward_total += dev.toward;
    deviations.push_back(std::move(dev));
  }
  std::vector<Contributor> out;
  if (toward_total <= 0) return out;
  std::stable_sort(deviations.begin(), deviations.end(),
                   [](const Deviation& a, const Deviation& b) { return a.toward > b.toward; });
  for (Deviation& dev : deviations) {
    if (dev.toward <= 0 || out.size() == limit) break;
    dev.contributor.share = dev.toward / toward_total;
    out.push_back(std::move(dev.contributor));
  }
  return out;
}

double explanation_lift(const std::vector<Contributor>& contributors) {
  if (contributors.empty()) return -1;
  return contributors.front().share - contributors.front().usual_share;
}

}  // namespace cca::insights
