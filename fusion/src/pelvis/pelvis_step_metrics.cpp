#include "stridefuse/fusion/pelvis_step_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace stridefuse::fusion {

void PelvisTrace::clear() {
  t_s.clear();
  forward_mps2.clear();
  vertical_mps2.clear();
  obliquity_deg.clear();
}

void PelvisTrace::reserve(std::size_t n) {
  t_s.reserve(n);
  forward_mps2.reserve(n);
  vertical_mps2.reserve(n);
  obliquity_deg.reserve(n);
}

void PelvisTrace::push(double t, double forward, double vertical, double obliquity) {
  t_s.push_back(t);
  forward_mps2.push_back(forward);
  vertical_mps2.push_back(vertical);
  obliquity_deg.push_back(obliquity);
}

double interpolate_at(const std::vector<double>& t_s, const std::vector<double>& values, double t) {
  if (t_s.empty() || values.size() != t_s.size()) throw std::invalid_argument("interpolate_at: empty or mismatched trace");
  if (t <= t_s.front()) return values.front();
  if (t >= t_s.back()) return values.back();
  const auto it = std::upper_bound(t_s.begin(), t_s.end(), t);
  const auto i = static_cast<std::size_t>(it - t_s.begin());
  const double w = (t - t_s[i - 1]) / (t_s[i] - t_s[i - 1]);
  return values[i - 1] + w * (values[i] - values[i - 1]);
}

namespace {

struct Span {
  std::size_t begin = 0, end = 0;  // samples with t in [from, to]
};

Span span_of(const std::vector<double>& t, double from, double to) {
  Span s;
  s.begin = static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), from) - t.begin());
  s.end = static_cast<std::size_t>(std::upper_bound(t.begin(), t.end(), to) - t.begin());
  if (s.end < s.begin) s.end = s.begin;
  return s;
}

// Time-weighted (trapezoid) mean over the samples of a span.
double trapezoid_mean(const std::vector<double>& t, const std::vector<double>& v, Span s) {
  if (s.end - s.begin < 2) return s.end > s.begin ? v[s.begin] : 0.0;
  double integral = 0.0;
  for (std::size_t i = s.begin + 1; i < s.end; ++i) integral += 0.5 * (v[i] + v[i - 1]) * (t[i] - t[i - 1]);
  const double duration = t[s.end - 1] - t[s.begin];
  return duration > 0.0 ? integral / duration : v[s.begin];
}

// Cumulative trapezoid integral of (v - offset) over the span, starting at 0.
std::vector<double> integrate(const std::vector<double>& t, const std::vector<double>& v, Span s, double offset) {
  std::vector<double> out;
  if (s.end <= s.begin) return out;
  out.reserve(s.end - s.begin);
  out.push_back(0.0);
  for (std::size_t i = s.begin + 1; i < s.end; ++i)
    out.push_back(out.back() + 0.5 * (v[i] + v[i - 1] - 2.0 * offset) * (t[i] - t[i - 1]));
  return out;
}

std::vector<double> slice(const std::vector<double>& v, Span s) {
  return {v.begin() + static_cast<std::ptrdiff_t>(s.begin), v.begin() + static_cast<std::ptrdiff_t>(s.end)};
}

}  // namespace

std::optional<double> braking_to_propulsion_s(const PelvisTrace& trace, double t_ic_s, double t_to_s,
                                              double step_end_s) {
  return braking_to_propulsion_s(trace, t_ic_s, t_to_s, t_ic_s, step_end_s);
}

std::optional<double> braking_to_propulsion_s(const PelvisTrace& trace, double t_ic_s, double t_to_s, double mean_from_s,
                                              double mean_to_s) {
  const auto& t = trace.t_s;
  const Span step = span_of(t, mean_from_s, mean_to_s);
  const Span stance = span_of(t, t_ic_s, t_to_s);
  if (stance.end - stance.begin < 4) return std::nullopt;
  const double mean = trapezoid_mean(t, trace.forward_mps2, step);
  // A short centred moving average (about 20 ms) keeps the soft-tissue
  // ringing after impact from making spurious sign changes.
  const double dt = (t[stance.end - 1] - t[stance.begin]) / static_cast<double>(stance.end - stance.begin - 1);
  const auto half = static_cast<std::ptrdiff_t>(dt > 0.0 ? std::floor(0.01 / dt) : 0.0);
  std::vector<double> a(stance.end - stance.begin);
  const auto n = static_cast<std::ptrdiff_t>(t.size());
  for (std::size_t i = stance.begin; i < stance.end; ++i) {
    const auto lo = std::max<std::ptrdiff_t>(0, static_cast<std::ptrdiff_t>(i) - half);
    const auto hi = std::min<std::ptrdiff_t>(n - 1, static_cast<std::ptrdiff_t>(i) + half);
    double sum = 0.0;
    for (auto j = lo; j <= hi; ++j) sum += trace.forward_mps2[static_cast<std::size_t>(j)];
    a[i - stance.begin] = sum / static_cast<double>(hi - lo + 1) - mean;
  }
  const auto braking_peak = static_cast<std::size_t>(std::min_element(a.begin(), a.end()) - a.begin());
  const auto propulsion_peak =
      braking_peak + static_cast<std::size_t>(std::max_element(a.begin() + static_cast<std::ptrdiff_t>(braking_peak), a.end()) -
                                              (a.begin() + static_cast<std::ptrdiff_t>(braking_peak)));
  if (!(a[braking_peak] < 0.0) || !(a[propulsion_peak] > 0.0)) return std::nullopt;
  for (std::size_t i = propulsion_peak; i > braking_peak; --i) {
    if (a[i - 1] < 0.0 && a[i] >= 0.0) {
      const double t0 = t[stance.begin + i - 1], t1 = t[stance.begin + i];
      return t0 + (0.0 - a[i - 1]) / (a[i] - a[i - 1]) * (t1 - t0);
    }
  }
  return std::nullopt;
}

std::vector<double> pelvis_forward_travel_m(const PelvisTrace& trace, double mean_speed_mps, double t_ic_s,
                                            double step_end_s, double from_s, const std::vector<double>& to_s) {
  const auto& t = trace.t_s;
  Span step = span_of(t, t_ic_s, step_end_s);
  // The travel is read at from_s and to_s between samples: the samples just
  // outside the step belong in, or the piece between the IC and the first
  // sample after it (up to a sample period of travel) would be lost.
  const double last_s = to_s.empty() ? step_end_s : *std::max_element(to_s.begin(), to_s.end());
  const double first_s = to_s.empty() ? from_s : std::min(from_s, *std::min_element(to_s.begin(), to_s.end()));
  if (step.begin > 0 && (step.begin == t.size() || t[step.begin] > std::min(t_ic_s, first_s))) --step.begin;
  if (step.end < t.size() && t[step.end - 1] < std::max(step_end_s, last_s)) ++step.end;
  if (step.end - step.begin < 2) throw std::invalid_argument("pelvis_forward_travel_m: trace does not cover the step");
  const double mean_a = trapezoid_mean(t, trace.forward_mps2, step);
  const auto u = integrate(t, trace.forward_mps2, step, mean_a);
  const auto ts = slice(t, step);
  const double mean_u = trapezoid_mean(ts, u, Span{0, u.size()});
  std::vector<double> v(u.size());
  for (std::size_t i = 0; i < u.size(); ++i) v[i] = mean_speed_mps + u[i] - mean_u;
  const auto x = integrate(ts, v, Span{0, v.size()}, 0.0);
  const double x_from = interpolate_at(ts, x, from_s);
  std::vector<double> travel(to_s.size());
  for (std::size_t i = 0; i < to_s.size(); ++i) travel[i] = interpolate_at(ts, x, to_s[i]) - x_from;
  return travel;
}

double pelvis_forward_travel_m(const PelvisTrace& trace, double mean_speed_mps, double t_ic_s, double step_end_s,
                               double from_s, double to_s) {
  return pelvis_forward_travel_m(trace, mean_speed_mps, t_ic_s, step_end_s, from_s, std::vector<double>{to_s})[0];
}

double vertical_oscillation_m(const PelvisTrace& trace, double t_ic_s, double step_end_s) {
  const auto& t = trace.t_s;
  const Span step = span_of(t, t_ic_s, step_end_s);
  if (step.end - step.begin < 3) throw std::invalid_argument("vertical_oscillation_m: trace does not cover the step");
  const auto ts = slice(t, step);
  const Span all{0, ts.size()};
  const double mean_a = trapezoid_mean(t, trace.vertical_mps2, step);
  auto v = integrate(t, trace.vertical_mps2, step, mean_a);
  const double mean_v = trapezoid_mean(ts, v, all);
  auto z = integrate(ts, v, all, mean_v);
  // What drift the mean removals leave (uneven sampling) is taken out as a linear trend.
  const double slope = (z.back() - z.front()) / (ts.back() - ts.front());
  for (std::size_t i = 0; i < z.size(); ++i) z[i] -= slope * (ts[i] - ts.front());
  const auto [lo, hi] = std::minmax_element(z.begin(), z.end());
  return *hi - *lo;
}

double pelvic_drop_deg(const PelvisTrace& trace, Side stance_side, double t_ic_s, double t_to_s) {
  const auto& t = trace.t_s;
  const double at_ic = interpolate_at(t, trace.obliquity_deg, t_ic_s);
  // Obliquity is left side up positive: with the left foot in stance the
  // right (swing) side drops as obliquity rises, and the other way round.
  const double sign = stance_side == Side::left ? 1.0 : -1.0;
  double drop = 0.0;
  const Span stance = span_of(t, t_ic_s, t_to_s);
  for (std::size_t i = stance.begin; i < stance.end; ++i) drop = std::max(drop, sign * (trace.obliquity_deg[i] - at_ic));
  return drop;
}

}  // namespace stridefuse::fusion
