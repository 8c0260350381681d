#include "stridefuse/sim/walking_stride.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "stridefuse/core/units.hpp"
#include "motion_shapes.hpp"

namespace stridefuse::sim {
namespace {

using shapes::g;

constexpr double third_harmonic = 0.25;  // depth of the mid-stance valley of the double hump
constexpr double heel_strike_rise_s = 0.015;  // heel-strike transient: time to its peak
constexpr double node_spacing_s = 5e-4;

}  // namespace

WalkingStep::WalkingStep(const WalkingStepParameters& p) : p_(p) {
  if (!(p.duty_factor > 0.5 && p.duty_factor < 0.85))
    throw std::invalid_argument("simulated walker: duty factor must be above 0.5 (double support) and below 0.85");
  if (!(p.step_time_s >= 0.3 && p.step_time_s <= 1.2))
    throw std::invalid_argument("simulated walker: step time must be 0.3 to 1.2 s");
  if (!(p.speed_mps >= 0.3 && p.speed_mps <= 2.5))
    throw std::invalid_argument("simulated walker: walking speed must be 0.3 to 2.5 m/s");
  const double weight_n = p.body_mass_kg * g;
  stance_s_ = p.duty_factor * 2.0 * p.step_time_s;
  impact_n_ = p.heel_impact_bw * weight_n;
  b_n_ = p.braking_force_bw * weight_n;
  // One stance's vertical impulse is one step's weight times its duration.
  const double impact_impulse = impact_n_ * heel_strike_rise_s * std::exp(1.0);
  const double shape_impulse = stance_s_ * (2.0 / pi) * (1.0 + third_harmonic / 3.0);
  k_n_ = (weight_n * p.step_time_s - impact_impulse) / shape_impulse;
  if (!(k_n_ > 0.0)) throw std::invalid_argument("simulated walker: the heel impact is too large for the step");

  // Accelerations over one step: the landing foot from its contact, the
  // trailing foot from one step time after its own.
  const auto n = static_cast<std::size_t>(std::ceil(p.step_time_s / node_spacing_s));
  node_s_ = p.step_time_s / static_cast<double>(n);
  nodes_.resize(n + 1);
  std::vector<double> ax(n + 1), az(n + 1);
  for (std::size_t i = 0; i <= n; ++i) {
    const double tau = static_cast<double>(i) * node_s_;
    const FootForce lead = foot_force(tau), trail = foot_force(tau + p.step_time_s);
    nodes_[i].fx_n = lead.fx_n + trail.fx_n;
    nodes_[i].fz_n = lead.fz_n + trail.fz_n;
    ax[i] = nodes_[i].fx_n / p.body_mass_kg;
    az[i] = nodes_[i].fz_n / p.body_mass_kg - g;
  }
  // Velocity change from the step's start (trapezoid), then the start
  // velocities that make the mean speed the one asked and the height periodic.
  std::vector<double> dvx(n + 1, 0.0), dvz(n + 1, 0.0);
  for (std::size_t i = 1; i <= n; ++i) {
    dvx[i] = dvx[i - 1] + 0.5 * (ax[i - 1] + ax[i]) * node_s_;
    dvz[i] = dvz[i - 1] + 0.5 * (az[i - 1] + az[i]) * node_s_;
  }
  auto mean = [&](const std::vector<double>& v) {
    double s = 0.0;
    for (std::size_t i = 1; i <= n; ++i) s += 0.5 * (v[i - 1] + v[i]) * node_s_;
    return s / p.step_time_s;
  };
  const double vx0 = p.speed_mps - mean(dvx), vz0 = -mean(dvz);
  for (std::size_t i = 0; i <= n; ++i) {
    nodes_[i].vx_mps = vx0 + dvx[i];
    nodes_[i].vz_mps = vz0 + dvz[i];
    if (i > 0) {
      nodes_[i].x_m = nodes_[i - 1].x_m + 0.5 * (nodes_[i - 1].vx_mps + nodes_[i].vx_mps) * node_s_;
      nodes_[i].z_m = nodes_[i - 1].z_m + 0.5 * (nodes_[i - 1].vz_mps + nodes_[i].vz_mps) * node_s_;
    }
  }
  double z_mean = 0.0;
  for (std::size_t i = 1; i <= n; ++i) z_mean += 0.5 * (nodes_[i - 1].z_m + nodes_[i].z_m) * node_s_;
  z_mean /= p.step_time_s;
  z_min_ = z_max_ = nodes_[0].z_m - z_mean;
  bool braking = false;
  for (std::size_t i = 0; i <= n; ++i) {
    auto& node = nodes_[i];
    node.z_m -= z_mean;
    z_min_ = std::min(z_min_, node.z_m);
    z_max_ = std::max(z_max_, node.z_m);
    peak_fz_n_ = std::max(peak_fz_n_, node.fz_n);
    // At contact the trailing foot still pushes: braking starts once the
    // total turns negative, and ends when it turns positive again.
    if (node.fx_n < 0.0) braking = true;
    if (braking && braking_s_ == 0.0 && i > 0 && nodes_[i - 1].fx_n < 0.0 && node.fx_n >= 0.0)
      braking_s_ = static_cast<double>(i - 1) * node_s_ + node_s_ * (-nodes_[i - 1].fx_n) / (node.fx_n - nodes_[i - 1].fx_n);
  }
}

FootForce WalkingStep::foot_force(double tau_s) const {
  if (!(tau_s >= 0.0 && tau_s <= stance_s_)) return {};
  const double s = tau_s / stance_s_;
  const double impact = impact_n_ * (tau_s / heel_strike_rise_s) * std::exp(1.0 - tau_s / heel_strike_rise_s);
  return FootForce{-b_n_ * std::sin(2.0 * pi * s),
                   k_n_ * (std::sin(pi * s) + third_harmonic * std::sin(3.0 * pi * s)) + impact};
}

WalkingComState WalkingStep::com(double tau_s) const {
  const double tau = std::clamp(tau_s, 0.0, p_.step_time_s);
  const std::size_t i = std::min(static_cast<std::size_t>(tau / node_s_), nodes_.size() - 2);
  const auto& a = nodes_[i];
  const auto& c = nodes_[i + 1];
  const double s = std::clamp((tau - static_cast<double>(i) * node_s_) / node_s_, 0.0, 1.0);
  const double m = p_.body_mass_kg;
  WalkingComState out;
  out.x_m = shapes::hermite(a.x_m, a.vx_mps, c.x_m, c.vx_mps, node_s_, s);
  out.z_m = shapes::hermite(a.z_m, a.vz_mps, c.z_m, c.vz_mps, node_s_, s);
  out.vx_mps = shapes::hermite(a.vx_mps, a.fx_n / m, c.vx_mps, c.fx_n / m, node_s_, s);
  out.vz_mps = shapes::hermite(a.vz_mps, a.fz_n / m - g, c.vz_mps, c.fz_n / m - g, node_s_, s);
  out.fx_n = a.fx_n + s * (c.fx_n - a.fx_n);
  out.fz_n = a.fz_n + s * (c.fz_n - a.fz_n);
  return out;
}

}  // namespace stridefuse::sim
