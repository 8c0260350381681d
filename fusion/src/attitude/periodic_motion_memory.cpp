#include "periodic_motion_memory.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace stridefuse::fusion::attitude {
namespace {

// A stride of running (0.6-0.8 s) or walking (1.0-1.3 s); a step alone is
// not a period of the pelvis's rate (obliquity and rotation change sign).
constexpr double min_period_s = 0.4;
constexpr double max_period_s = 1.6;
// Clearly periodic: the rate a period apart agrees this well.
constexpr double min_correlation = 0.7;
// Peaks this close to the best are the same period's multiples.
constexpr double peak_tolerance = 0.05;

}  // namespace

PeriodicMotionMemory::PeriodicMotionMemory(double memory_s, double max_rate_hz) {
  if (!(memory_s >= 2.0 * max_period_s) || !(max_rate_hz > 0.0))
    throw std::invalid_argument("PeriodicMotionMemory: memory must cover two periods and the rate be positive");
  samples_.set_capacity(static_cast<std::size_t>(std::ceil(memory_s * max_rate_hz)) + 1);
}

void PeriodicMotionMemory::add(double t_s, const Eigen::Quaterniond& q, const Eigen::Vector3d& rate_radps) {
  if (!samples_.empty() && !(t_s > samples_.back().t_s)) return;
  samples_.push_back({t_s, q, rate_radps});
}

// The lag, in samples of the mean interval, at which the rate best agrees
// with itself (normalised: the sum of r(i).r(i - lag) over the root of the
// two sums of squares), as a time; 0 when no lag agrees well enough.
double PeriodicMotionMemory::find_period_s() const {
  const std::size_t n = samples_.size();
  if (n < 16) return 0.0;
  const double span_s = samples_.back().t_s - samples_.front().t_s;
  const double dt_s = span_s / static_cast<double>(n - 1);
  if (!(dt_s > 0.0)) return 0.0;
  const auto first = static_cast<std::size_t>(std::ceil(min_period_s / dt_s));
  const auto last = std::min(static_cast<std::size_t>(max_period_s / dt_s), n / 2);
  std::vector<double> correlation(last + 1, -1.0);
  double best = -1.0;
  for (std::size_t lag = first; lag <= last; ++lag) {
    double cross = 0.0, now = 0.0, before = 0.0;
    for (std::size_t i = lag; i < n; ++i) {
      const Eigen::Vector3d& a = samples_[i].rate_radps;
      const Eigen::Vector3d& b = samples_[i - lag].rate_radps;
      cross += a.dot(b);
      now += a.squaredNorm();
      before += b.squaredNorm();
    }
    if (now > 0.0 && before > 0.0) correlation[lag] = cross / std::sqrt(now * before);
    best = std::max(best, correlation[lag]);
  }
  if (best < min_correlation) return 0.0;
  // Two or three strides agree about as well as one: the shortest peak near the best.
  // (An end of the range is no peak: the period would lie beyond it.)
  std::size_t best_lag = 0;
  for (std::size_t lag = first + 1; lag < last && best_lag == 0; ++lag) {
    const bool peak = correlation[lag] >= correlation[lag - 1] && correlation[lag] >= correlation[lag + 1];
    if (peak && correlation[lag] >= best - peak_tolerance) best_lag = lag;
  }
  return best_lag == 0 ? 0.0 : static_cast<double>(best_lag) * dt_s;
}

std::optional<Eigen::Quaterniond> PeriodicMotionMemory::across_gap(double t_s) {
  period_s_ = find_period_s();
  if (period_s_ <= 0.0 || samples_.empty()) return std::nullopt;
  const double gap_s = t_s - samples_.back().t_s;
  // The same moment of every remembered stride before the gap, averaged:
  // one stride differs from the next (by about a degree on a real runner).
  Eigen::Vector4d sum = Eigen::Vector4d::Zero();
  int strides = 0;
  for (double periods = std::max(1.0, std::ceil(gap_s / period_s_));; ++periods) {
    const double then_s = t_s - periods * period_s_;
    if (then_s < samples_.front().t_s) break;
    auto it = std::lower_bound(samples_.begin(), samples_.end(), then_s,
                               [](const Sample& s, double t) { return s.t_s < t; });
    if (it == samples_.end()) break;
    if (it != samples_.begin() && then_s - std::prev(it)->t_s < it->t_s - then_s) --it;
    const Eigen::Vector4d c = it->q.coeffs();
    sum += (strides > 0 && c.dot(sum) < 0.0) ? -c : c;  // one hemisphere
    ++strides;
  }
  if (strides == 0) return std::nullopt;
  return Eigen::Quaterniond(sum.normalized());
}

}  // namespace stridefuse::fusion::attitude
