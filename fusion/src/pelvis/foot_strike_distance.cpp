#include "stridefuse/fusion/foot_strike_distance.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace stridefuse::fusion {

namespace {

constexpr double uniform_sd = 0.28867513459481287;  // 1 / sqrt(12): a uniform spread over one unit
constexpr double same_row_mm = 10.0;                // cells closer than this along the foot are one row
constexpr int rows_of_a_force_insole = 8;

}  // namespace

double ic_timing_sd_s(double rate_hz) {
  if (!(rate_hz > 0.0)) throw std::invalid_argument("ic_timing_sd_s: the insole's rate must be positive");
  return uniform_sd / rate_hz;
}

double centre_of_pressure_sd_mm(const InsoleLayout& layout) {
  if (!(layout.length_mm > 0.0)) throw std::invalid_argument("centre_of_pressure_sd_mm: the insole's length is not known");
  std::vector<double> x;
  for (const auto& s : layout.sensors) x.push_back(s.x_mm);
  std::sort(x.begin(), x.end());
  int rows = layout.reports_force() ? rows_of_a_force_insole : 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (i == 0 || x[i] - x[i - 1] > same_row_mm) ++rows;
  return uniform_sd * layout.length_mm / rows;
}

FootStrikeDistance foot_strike_distance(const PelvisTrace& trace, double mean_speed_mps, double t_ic_s, double t_to_s,
                                        double step_end_s, const StanceLoading& stance, double cop_at_ic_mm,
                                        const FootStrikeUncertaintyInputs& u) {
  std::vector<double> t, cop_mm, load;
  for (std::size_t i = 0; i < stance.t_s.size(); ++i) {
    if (stance.t_s[i] < t_ic_s || stance.t_s[i] > t_to_s || !(stance.load_n[i] > 0.0)) continue;
    t.push_back(stance.t_s[i]);
    cop_mm.push_back(stance.cop_x_mm[i]);
    load.push_back(stance.load_n[i]);
  }
  if (t.size() < 3) throw std::invalid_argument("foot_strike_distance: fewer than three loaded insole samples in the stance");
  const auto com_travel_m = pelvis_forward_travel_m(trace, mean_speed_mps, t_ic_s, step_end_s, t_ic_s, t);
  // Each sample weighs its force times the time it stands for (trapezoid).
  double weighted_gap_m = 0.0, weight = 0.0, weighted_t_s = 0.0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double dt = 0.5 * (t[i + 1 < t.size() ? i + 1 : i] - t[i > 0 ? i - 1 : i]);
    const double w = load[i] * dt;
    weighted_gap_m += w * (com_travel_m[i] - (cop_mm[i] - cop_at_ic_mm) * 1e-3);
    weighted_t_s += w * (t[i] - t_ic_s);
    weight += w;
  }
  if (!(weight > 0.0)) throw std::invalid_argument("foot_strike_distance: the stance carries no load");
  // Independent parts: an IC late by dt moves every travel since it by the
  // speed times dt; a speed error builds up to the force-weighted mean time
  // since IC; the centre of pressure's own error; the stance's imbalance.
  const double ic_m = mean_speed_mps * u.ic_timing_sd_s;
  const double speed_m = mean_speed_mps * u.speed_relative_sd * weighted_t_s / weight;
  const double cop_m = u.cop_sd_mm * 1e-3;
  return {weighted_gap_m / weight,
          std::sqrt(ic_m * ic_m + speed_m * speed_m + cop_m * cop_m + u.balance_sd_m * u.balance_sd_m)};
}

}  // namespace stridefuse::fusion
