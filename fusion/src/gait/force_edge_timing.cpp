#include "stridefuse/fusion/force_edge_timing.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace stridefuse::fusion {

namespace {

// Quantile q of the values, interpolated between ranks: the value of rank
// floor(q (n - 1)) and the next, as a sort would give them. Selection instead
// of a sort (this runs for every edge of every step, on ~128 values); the
// ranks below `upper` must already be below it, which leaves `values` ready
// for a lower quantile next.
double quantile(std::vector<double>& values, std::size_t upper, double q) {
  const double position = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(position);
  const auto first = values.begin();
  if (below + 1 >= values.size()) return *std::max_element(first, first + static_cast<std::ptrdiff_t>(upper));
  std::nth_element(first, first + static_cast<std::ptrdiff_t>(below), first + static_cast<std::ptrdiff_t>(upper));
  // Everything after rank `below` is at least its value: the next rank is their smallest.
  const double at = values[below];
  const double next = *std::min_element(first + static_cast<std::ptrdiff_t>(below) + 1, values.end());
  const double w = position - static_cast<double>(below);
  return at + w * (next - at);
}

// The quantiles that give the slope of the rise just past the level: low
// enough to be near it, far enough apart that a few edges do not decide.
constexpr double low_quantile = 0.1;
constexpr double high_quantile = 0.3;
// Edges compared (by both timings) before the refined one may be chosen.
constexpr std::size_t min_steadiness_pairs = 8;

}  // namespace

ForceEdgeTiming::ForceEdgeTiming(std::size_t history, std::size_t min_history)
    : recent_(history), min_history_(min_history) {
  if (min_history < 8 || history < min_history)
    throw std::invalid_argument("ForceEdgeTiming: need min_history >= 8 and history >= min_history");
}

void ForceEdgeTiming::add(double excess, double t_crossing_s, std::optional<double> t_refined_s) {
  if (std::isfinite(excess)) recent_.push_back(excess);
  if (t_refined_s) times_.push_back({t_crossing_s, *t_refined_s});
  else times_.clear();  // the pairs must be consecutive edges
}

bool ForceEdgeTiming::refined_is_steadier() const {
  if (times_.size() < min_steadiness_pairs) return false;
  // Variance of the second difference of the edge times: the change of the
  // edge-to-edge interval, insensitive to slow changes of cadence.
  double crossing = 0.0, refined = 0.0;
  for (std::size_t i = 2; i < times_.size(); ++i) {
    const double c = times_[i].first - 2.0 * times_[i - 1].first + times_[i - 2].first;
    const double r = times_[i].second - 2.0 * times_[i - 1].second + times_[i - 2].second;
    crossing += c * c;
    refined += r * r;
  }
  return refined < crossing;
}

std::optional<double> ForceEdgeTiming::time_since_edge_s(double excess, double dt_s, double edge_excess,
                                                         double min_rise_per_s) const {
  if (recent_.size() < min_history_ || !std::isfinite(excess) || !(dt_s > 0.0)) return std::nullopt;
  std::size_t below_excess = 0, at_excess = 0;
  for (const double v : recent_) {
    below_excess += v < excess ? 1 : 0;
    at_excess += v == excess ? 1 : 0;
  }
  const auto less = static_cast<double>(below_excess);
  const auto equal = static_cast<double>(at_excess);
  // Mid-rank of the new edge among n + 1: its phase as a fraction of dt.
  const double fraction = (less + 0.5 * equal + 0.5) / static_cast<double>(recent_.size() + 1);
  std::vector<double> values(recent_.begin(), recent_.end());
  // The higher quantile first: its selection leaves the lower ranks in front for the lower one.
  const double q_high = quantile(values, values.size(), high_quantile);
  const auto high_rank = static_cast<std::size_t>(high_quantile * static_cast<double>(values.size() - 1));
  const double q_low = quantile(values, high_rank + 1, low_quantile);
  const double slope_per_s = std::max((q_high - q_low) / ((high_quantile - low_quantile) * dt_s), min_rise_per_s);
  double to_level_s = 0.0;
  if (slope_per_s > 0.0) to_level_s = std::clamp((q_low - edge_excess) / slope_per_s - low_quantile * dt_s, 0.0, dt_s);
  return to_level_s + fraction * dt_s;
}

}  // namespace stridefuse::fusion
