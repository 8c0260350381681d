#include "stridefuse/second_runner/ground_force.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "stridefuse/core/units.hpp"

namespace stridefuse::second_runner {

namespace ground_force_detail {

// The active hump, peak 1: s^a (1 - s)^b over the stance's fraction s. Unlike
// a half sine its peak sits at a / (a + b) and its edges rise as powers.
double active_hump(double s, double a, double b) {
  if (s <= 0.0 || s >= 1.0) return 0.0;
  const double peak_s = a / (a + b);
  return std::pow(s, a) * std::pow(1.0 - s, b) / (std::pow(peak_s, a) * std::pow(1.0 - peak_s, b));
}

// The impact transient, peak 1 at peak_s: (tau / tp)^3 exp(3 (1 - tau / tp)),
// a heel pad compressing (starts with zero slope, decays after its peak).
double impact_pulse(double tau_s, double peak_s) {
  if (tau_s <= 0.0) return 0.0;
  const double r = tau_s / peak_s;
  return r * r * r * std::exp(3.0 * (1.0 - r));
}

double unscaled_force(const Stance& s, double tau_s) {
  if (tau_s <= 0.0 || tau_s >= s.contact_time_s) return 0.0;
  // The impact fades to nothing by the toe-off, so the stance's end is the active hump's.
  const double fade = 1.0 - tau_s / s.contact_time_s;
  return active_hump(tau_s / s.contact_time_s, s.rise_exponent, s.fall_exponent) +
         s.impact_ratio * impact_pulse(tau_s, s.impact_peak_s) * fade * fade;
}

// Along the foot, as a fraction of its length, at the stance's fraction s:
// piecewise linear through the pattern's knots, the last segment (the roll-off
// over the toes) accelerating.
double cop_fraction(const Stance& st, double s) {
  s = std::clamp(s, 0.0, 1.0);
  struct Knot {
    double s, u;
  };
  const double u0 = st.start_fraction, toe = st.toe_fraction;
  std::array<Knot, 4> k{};
  switch (st.pattern) {
    case StrikePattern::forefoot:  // the heel lowers: the centre first moves back, then forward under the metatarsals
      k = {Knot{0.0, u0}, Knot{0.25, u0 - 0.06}, Knot{0.6, 0.76}, Knot{1.0, toe}};
      break;
    case StrikePattern::midfoot:
      k = {Knot{0.0, u0}, Knot{0.2, std::max(u0, 0.5)}, Knot{0.6, 0.73}, Knot{1.0, toe}};
      break;
    default:  // heel strike: fast transfer from the heel, slow over the midfoot, roll-off
      k = {Knot{0.0, u0}, Knot{0.15, 0.42}, Knot{0.65, 0.72}, Knot{1.0, toe}};
      break;
  }
  for (std::size_t i = 0; i + 1 < k.size(); ++i)
    if (s <= k[i + 1].s) {
      double f = (s - k[i].s) / (k[i + 1].s - k[i].s);
      if (i + 2 == k.size()) f *= f;
      return k[i].u + (k[i + 1].u - k[i].u) * f;
    }
  return toe;
}

}  // namespace ground_force_detail

double vertical_force_n(const Stance& stance, double tau_s) {
  return stance.amplitude_n * ground_force_detail::unscaled_force(stance, tau_s);
}

void balance_impulse(Stance& stance, double body_mass_kg) {
  // Simpson's rule on 2000 intervals: the shape is smooth inside the stance.
  constexpr int n = 2000;
  const double h = stance.contact_time_s / n;
  double sum = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double w = (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    sum += w * ground_force_detail::unscaled_force(stance, i * h);
  }
  const double impulse_per_newton = sum * h / 3.0;
  stance.amplitude_n = body_mass_kg * gravity_mps2 * stance.step_time_s / impulse_per_newton;
}

ForceCrossings force_crossings(const Stance& stance, double threshold_n) {
  // Scan on 0.1 ms, then bisect each crossing: the force rises and falls once (above the threshold).
  const double step_s = 1e-4;
  const auto above = [&](double t) { return vertical_force_n(stance, t) >= threshold_n; };
  const auto bisect = [&](double lo, double hi) {
    for (int i = 0; i < 40; ++i) {
      const double mid = 0.5 * (lo + hi);
      (above(mid) == above(lo) ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
  };
  ForceCrossings c;
  double t = 0.0;
  while (t < stance.contact_time_s && !above(t + step_s)) t += step_s;
  c.rise_s = bisect(t, t + step_s);
  t = stance.contact_time_s;
  while (t > 0.0 && !above(t - step_s)) t -= step_s;
  c.fall_s = bisect(t - step_s, t);
  return c;
}

Eigen::Vector2d cop_in_foot_mm(const Stance& stance, double tau_s) {
  const double length_mm = stance.foot_length_m * 1000.0;
  const double s = std::clamp(tau_s / stance.contact_time_s, 0.0, 1.0);
  const double x_mm = ground_force_detail::cop_fraction(stance, s) * length_mm;
  // Across: from the lateral edge's side at touchdown to under the hallux
  // (medial) at toe-off. The foot frame's y is to the foot's left, so the
  // left foot's lateral side is +y, the right foot's -y.
  const double lateral = stance.side == Side::left ? 1.0 : -1.0;
  const double half_width_mm = footprint_half_width_mm(x_mm, length_mm);
  const double y_mm = lateral * half_width_mm * (0.35 * (1.0 - s) - 0.3 * s);
  return {x_mm, y_mm};
}

double footprint_half_width_mm(double x_mm, double foot_length_mm) {
  const double u = x_mm / foot_length_mm;
  if (u <= 0.0 || u >= 1.0) return 0.0;
  // Heel and toe rounded (quarter ellipses); heel, arch, ball and toes linear between.
  constexpr double heel = 0.115, arch = 0.105, ball = 0.17, toes = 0.15;
  double w;
  if (u < 0.1) w = heel * std::sqrt(1.0 - std::pow((0.1 - u) / 0.1, 2));
  else if (u < 0.3) w = heel;
  else if (u < 0.45) w = heel + (arch - heel) * (u - 0.3) / 0.15;
  else if (u < 0.72) w = arch + (ball - arch) * (u - 0.45) / 0.27;
  else if (u < 0.88) w = ball + (toes - ball) * (u - 0.72) / 0.16;
  else w = toes * std::sqrt(std::max(0.0, 1.0 - std::pow((u - 0.88) / 0.12, 2)));
  return w * foot_length_mm;
}

}  // namespace stridefuse::second_runner
