#pragma once
// Detected steps against true contacts: a step matches the same foot's
// contact whose initial contact is nearest its own, within a window. Shared
// by the benchmarks and tests that score `analyze` against a truth: the real
// runner (tests/sdk/rbds_trial.hpp) and the second runner model
// (tests/benchmarks/second_model_bench.cpp). A truth is any type with `side`,
// `ic_s` and `to_s` on the steps' clock.

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "stridefuse/core/events.hpp"

namespace stridefuse::scoring {

struct Score {
  std::size_t true_steps = 0, detected = 0, matched = 0, wrong_side = 0;
  std::vector<double> ic_error_s, to_error_s, contact_error_s;  ///< detected - truth, matched steps

  static double median_abs(std::vector<double> v) {
    if (v.empty()) return NAN;
    for (double& x : v) x = std::abs(x);
    std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
    return v[v.size() / 2];
  }
  static double percentile_abs(std::vector<double> v, double q) {
    if (v.empty()) return NAN;
    for (double& x : v) x = std::abs(x);
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * double(v.size())))];
  }
  static double mean(const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) s += x;
    return v.empty() ? NAN : s / double(v.size());
  }
  static double rms(const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) s += x * x;
    return v.empty() ? NAN : std::sqrt(s / double(v.size()));
  }
  /// Percentage of errors within k of their own standard uncertainty (pairs in order).
  static double within_pct(const std::vector<double>& errors, const std::vector<double>& sds, double k) {
    std::size_t in = 0;
    for (std::size_t i = 0; i < errors.size(); ++i) in += std::abs(errors[i]) <= k * sds[i];
    return errors.empty() ? NAN : 100.0 * double(in) / double(errors.size());
  }
};

/// The detected step nearest each contact's initial contact within
/// `window_s`, whichever its side; null where none is.
template <class Truth>
std::vector<std::pair<const Truth*, const StepEvent*>> nearest_steps(const std::vector<StepEvent>& steps,
                                                                     const std::vector<Truth>& truth, double window_s = 0.06) {
  std::vector<std::pair<const Truth*, const StepEvent*>> out;
  for (const auto& c : truth) {
    const StepEvent* best = nullptr;
    for (const auto& step : steps)
      if (std::abs(step.t_ic_s - c.ic_s) < window_s && (!best || std::abs(step.t_ic_s - c.ic_s) < std::abs(best->t_ic_s - c.ic_s)))
        best = &step;
    out.emplace_back(&c, best);
  }
  return out;
}

/// The contacts whose nearest step (nearest_steps) is of their own foot: the matched steps.
template <class Truth>
std::vector<std::pair<const Truth*, const StepEvent*>> matched_steps(const std::vector<StepEvent>& steps,
                                                                     const std::vector<Truth>& truth) {
  auto pairs = nearest_steps(steps, truth);
  std::erase_if(pairs, [](const auto& p) { return !p.second || p.second->side != p.first->side; });
  return pairs;
}

template <class Truth>
Score score(const std::vector<StepEvent>& steps, const std::vector<Truth>& truth) {
  Score s;
  s.true_steps = truth.size();
  s.detected = steps.size();
  for (const auto& [contact, best] : nearest_steps(steps, truth)) {
    if (!best) continue;
    const Truth& c = *contact;
    if (best->side != c.side) {
      ++s.wrong_side;
      continue;
    }
    ++s.matched;
    s.ic_error_s.push_back(best->t_ic_s - c.ic_s);
    if (std::isfinite(best->t_to_s)) {
      s.to_error_s.push_back(best->t_to_s - c.to_s);
      s.contact_error_s.push_back((best->t_to_s - best->t_ic_s) - (c.to_s - c.ic_s));
    }
  }
  return s;
}

}  // namespace stridefuse::scoring
