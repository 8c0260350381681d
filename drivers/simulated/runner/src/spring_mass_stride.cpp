#include "stridefuse/sim/spring_mass_stride.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "stridefuse/core/units.hpp"
#include "motion_shapes.hpp"

namespace stridefuse::sim {
namespace {

using shapes::g;

constexpr double rearfoot_impact_rise_s = 0.012;  // time to the peak of the rearfoot impact transient
constexpr double tolerance = 1e-9;       // residual: seconds, metres, metres per second

// The CoP rolls forward at a steady rate with a faster middle (foot flat to heel-off).
double cop_progress(double s) { return 0.5 * std::clamp(s, 0.0, 1.0) + 0.5 * shapes::smoothstep(s); }

struct StanceControl {
  double strike_distance_m;
  double cop_travel_m;
  double impact_n;
  double stiffness_n_per_m;
  double rest_length_m;
  double rest_length_gain_m;
  double planned_contact_s;  // the schedule of CoP roll and push-off; equals the contact time at the solution
  double mass_kg;
};

struct State {
  double x, z, vx, vz;
};

struct Derivative {
  double dx, dz, dvx, dvz;
  double fx, fz, cop_x, compression;
};

Derivative derivative(const StanceControl& c, double t, const State& s) {
  const double phase = t / c.planned_contact_s;
  const double cop_x = c.strike_distance_m + c.cop_travel_m * cop_progress(phase);
  const double lx = s.x - cop_x;
  const double length = std::hypot(lx, s.z);
  const double rest = c.rest_length_m + c.rest_length_gain_m * shapes::smoothstep(phase);
  const double compression = rest - length;
  const double ti = t / rearfoot_impact_rise_s;
  const double force = c.stiffness_n_per_m * compression + c.impact_n * ti * std::exp(1.0 - ti);
  // The ground pushes along the leg: from the CoP toward the CoM.
  const double fx = force * lx / length;
  const double fz = force * s.z / length;
  return {s.vx, s.vz, fx / c.mass_kg, fz / c.mass_kg - g, fx, fz, cop_x, compression};
}

State rk4(const StanceControl& c, double t, const State& s, double h) {
  auto add = [](const State& a, const Derivative& d, double k) {
    return State{a.x + k * d.dx, a.z + k * d.dz, a.vx + k * d.dvx, a.vz + k * d.dvz};
  };
  const Derivative k1 = derivative(c, t, s);
  const Derivative k2 = derivative(c, t + h / 2, add(s, k1, h / 2));
  const Derivative k3 = derivative(c, t + h / 2, add(s, k2, h / 2));
  const Derivative k4 = derivative(c, t + h, add(s, k3, h));
  return State{s.x + h / 6 * (k1.dx + 2 * k2.dx + 2 * k3.dx + k4.dx),
               s.z + h / 6 * (k1.dz + 2 * k2.dz + 2 * k3.dz + k4.dz),
               s.vx + h / 6 * (k1.dvx + 2 * k2.dvx + 2 * k3.dvx + k4.dvx),
               s.vz + h / 6 * (k1.dvz + 2 * k2.dvz + 2 * k3.dvz + k4.dvz)};
}

struct StanceEnd {
  double t;
  State s;
  bool took_off;
};

StanceNode node_of(const StanceControl& c, double t, const State& s) {
  const Derivative d = derivative(c, t, s);
  return StanceNode{t, s.x, s.z, s.vx, s.vz, d.fx, d.fz, d.cop_x};
}

// Integrates one stance from initial contact (CoM at x = 0) to toe-off, the
// instant the leg spring is back at its rest length.
StanceEnd integrate_stance(const StanceControl& c, const State& start, StanceTrajectory* out) {
  const int n = SpringMassStrideSolver::nodes_per_stance;
  const double h = c.planned_contact_s / n;
  State s = start;
  double t = 0.0;
  bool loaded = false;
  if (out) {
    out->nodes.clear();
    out->nodes.reserve(n + 8);
    out->node_spacing_s = h;
    out->nodes.push_back(node_of(c, t, s));
  }
  for (int i = 0; i < 3 * n; ++i) {
    const double c0 = derivative(c, t, s).compression;
    const State next = rk4(c, t, s, h);
    const double c1 = derivative(c, t + h, next).compression;
    if (c1 > 0.0) loaded = true;
    if (loaded && c1 <= 0.0 && i > 0) {
      // Toe-off inside this step: secant on the compression, integrating from the last node.
      double ha = 0.0, ca = c0, hb = h, cb = c1;
      State at = next;
      for (int k = 0; k < 4 && cb != ca; ++k) {
        const double hm = std::clamp(hb - cb * (hb - ha) / (cb - ca), 0.0, h);
        at = rk4(c, t, s, hm);
        const double cm = derivative(c, t + hm, at).compression;
        ha = hb;
        ca = cb;
        hb = hm;
        cb = cm;
      }
      if (out) out->nodes.push_back(node_of(c, t + hb, at));
      return {t + hb, at, true};
    }
    s = next;
    t += h;
    if (out) out->nodes.push_back(node_of(c, t, s));
  }
  return {t, s, false};
}

}  // namespace

// Unknowns u: horizontal and vertical CoM velocity at the left initial contact,
// leg stiffness (kN/m), push-off rest-length gains (left, right), planned
// contact times (left, right). Residuals: contact times as planned, CoM height
// at each initial contact as the leg geometry demands, vertical and horizontal
// velocity periodic, mean speed as requested.
SpringMassStrideSolver::Vector SpringMassStrideSolver::residual(const StrideParameters& p, const Vector& u,
                                                                StrideSolution* out) const {
  Vector r;
  State start{0.0, 0.0, u(0), u(1)};
  double travelled_m = 0.0;
  for (int side = 0; side < 2; ++side) {
    const StanceParameters& sp = p.stance[side];
    const double z0 = std::sqrt(p.leg_length_m * p.leg_length_m - sp.foot_strike_distance_m * sp.foot_strike_distance_m);
    start.z = z0;
    const StanceControl c{sp.foot_strike_distance_m,
                          sp.cop_travel_m,
                          sp.impact_bw * p.body_mass_kg * g,
                          u(2) * 1000.0,
                          p.leg_length_m,
                          u(3 + side),
                          std::max(u(5 + side), 0.02),
                          p.body_mass_kg};
    std::shared_ptr<StanceTrajectory> trajectory;
    if (out) trajectory = std::make_shared<StanceTrajectory>();
    const StanceEnd end = integrate_stance(c, start, trajectory.get());
    if (out) out->stance[side] = trajectory;
    const double flight = p.step_time_s - end.t;
    const State landing{0.0, end.s.z + end.s.vz * flight - 0.5 * g * flight * flight, end.s.vx,
                        end.s.vz - g * flight};
    travelled_m += end.s.x + end.s.vx * flight;
    r(side) = end.took_off ? end.t - u(5 + side) : 1.0;
    const double next_z0 =
        std::sqrt(p.leg_length_m * p.leg_length_m -
                  p.stance[1 - side].foot_strike_distance_m * p.stance[1 - side].foot_strike_distance_m);
    r(2 + side) = landing.z - next_z0;
    start = landing;
  }
  r(4) = start.vz - u(1);
  r(5) = start.vx - u(0);
  r(6) = travelled_m / (2.0 * p.step_time_s) - p.speed_mps;
  if (out) {
    out->leg_stiffness_n_per_m = u(2) * 1000.0;
    out->rest_length_gain_m = {u(3), u(4)};
  }
  return r;
}

SpringMassStrideSolver::Matrix SpringMassStrideSolver::jacobian(const StrideParameters& p, const Vector& u,
                                                                const Vector& r) const {
  Matrix j;
  for (int k = 0; k < 7; ++k) {
    Vector du = u;
    const double h = 1e-6 * std::max(1.0, std::abs(u(k)));
    du(k) += h;
    j.col(k) = (residual(p, du, nullptr) - r) / h;
  }
  return j;
}

bool SpringMassStrideSolver::newton(const StrideParameters& p, Vector& u, int max_iterations, bool refresh_jacobian) {
  Vector r = residual(p, u, nullptr);
  Matrix j = refresh_jacobian ? jacobian(p, u, r) : last_jacobian_;
  for (int it = 0; it < max_iterations; ++it) {
    if (!r.allFinite()) return false;
    if (r.lpNorm<Eigen::Infinity>() < tolerance) {
      if (refresh_jacobian) last_jacobian_ = j;
      return true;
    }
    const Vector step = j.fullPivLu().solve(-r);
    if (!step.allFinite()) return false;
    double lambda = 1.0;
    bool improved = false;
    for (int k = 0; k < 12; ++k, lambda *= 0.5) {
      Vector trial = u + lambda * step;
      trial(2) = std::max(trial(2), 0.5);
      trial(5) = std::max(trial(5), 0.05);
      trial(6) = std::max(trial(6), 0.05);
      const Vector rt = residual(p, trial, nullptr);
      if (rt.allFinite() && rt.norm() < r.norm()) {
        u = trial;
        r = rt;
        improved = true;
        break;
      }
    }
    if (!improved) return false;
    if (refresh_jacobian) j = jacobian(p, u, r);
  }
  if (r.lpNorm<Eigen::Infinity>() < tolerance) {
    if (refresh_jacobian) last_jacobian_ = j;
    return true;
  }
  return false;
}

SpringMassStrideSolver::Vector SpringMassStrideSolver::initial_guess(const StrideParameters& p) const {
  Vector u;
  double contact_sum = 0.0;
  for (int side = 0; side < 2; ++side) {
    const auto& sp = p.stance[side];
    const double contact = std::clamp((2.0 * sp.foot_strike_distance_m + sp.cop_travel_m) / p.speed_mps, 0.1,
                                      0.8 * p.step_time_s);
    u(5 + side) = contact;
    u(3 + side) = 0.0;
    contact_sum += contact;
  }
  const double contact = contact_sum / 2.0;
  const double peak_force_n = pi / 2.0 * p.body_mass_kg * g * p.step_time_s / contact;
  u(0) = p.speed_mps;
  u(1) = -0.5 * g * (p.step_time_s - contact);
  u(2) = peak_force_n / 0.12 / 1000.0;
  return u;
}

StrideSolution SpringMassStrideSolver::solve(const StrideParameters& p) {
  auto describe = [&] {
    std::ostringstream s;
    s << "speed " << p.speed_mps << " m/s, step time " << p.step_time_s << " s, leg length " << p.leg_length_m
      << " m, foot-strike distance " << p.stance[0].foot_strike_distance_m << "/"
      << p.stance[1].foot_strike_distance_m << " m";
    return s.str();
  };
  if (has_last_ && p == last_parameters_) return last_solution_;
  if (!(p.speed_mps > 0.0) || !(p.step_time_s > 0.0) || !(p.body_mass_kg > 0.0) || !(p.leg_length_m > 0.0))
    throw std::invalid_argument("spring-mass stride needs positive speed, step time, mass and leg length (" +
                                describe() + ")");
  for (const auto& sp : p.stance)
    if (!(sp.foot_strike_distance_m > -0.5 * p.leg_length_m && sp.foot_strike_distance_m < 0.7 * p.leg_length_m) ||
        !(sp.cop_travel_m >= 0.0) || !(sp.impact_bw >= 0.0))
      throw std::invalid_argument("spring-mass stride: foot-strike distance must lie within (-0.5, 0.7) leg lengths "
                                  "and CoP travel and impact must not be negative (" + describe() + ")");

  Vector u = has_last_ ? last_u_ : initial_guess(p);
  bool ok = has_last_ && newton(p, u, 6, false);
  if (!ok) {
    u = has_last_ ? last_u_ : initial_guess(p);
    ok = newton(p, u, 40, true);
  }
  if (!ok && has_last_) {
    u = initial_guess(p);
    ok = newton(p, u, 40, true);
  }
  if (!ok) throw std::invalid_argument("spring-mass model found no periodic running stride for " + describe());
  for (int side = 0; side < 2; ++side)
    if (!(u(5 + side) < p.step_time_s))
      throw std::invalid_argument("spring-mass stride has no flight phase (contact " + std::to_string(u(5 + side)) +
                                  " s >= step time) for " + describe() + ": that is walking, not running");

  StrideSolution solution;
  residual(p, u, &solution);
  has_last_ = true;
  last_parameters_ = p;
  last_u_ = u;
  last_solution_ = solution;
  return solution;
}

}  // namespace stridefuse::sim
