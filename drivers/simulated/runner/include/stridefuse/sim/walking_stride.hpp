#pragma once
// A walking step of the simulated runner: the ground force under each foot is
// prescribed, the centre of mass follows from it (Newton's second law), so
// the pelvis IMU, the insoles and the truth agree. Unlike running
// (spring_mass_stride.hpp) nothing is solved from a leg model.
//
// Under one foot, over its stance fraction s in [0, 1] (initial contact to
// toe-off, stance = duty factor x stride time):
//   vertical   = K (sin(pi s) + 0.25 sin(3 pi s)) + a heel-strike transient
//   horizontal = -B sin(2 pi s)                      (braking, then propulsion)
// The sum of sines is the double hump of walking ground forces (peaks near a
// quarter and three quarters of stance, a valley at mid-stance; e.g. Winter,
// "Biomechanics and Motor Control of Human Movement"); the transient is
// I (tau / r) exp(1 - tau / r), r = 15 ms after contact. With the duty factor
// above one half the stances overlap (double support) and every step sees the
// landing foot's first part and the trailing foot's last part of the same
// curves, so K is set for the vertical impulse of a step to equal body weight
// times step time, and the horizontal impulse of a stance is zero: the step
// is periodic in velocity. The initial vertical and forward velocities are
// chosen so that height is periodic and the mean speed is the one asked.

#include <vector>

namespace stridefuse::sim {

struct WalkingStepParameters {
  double speed_mps = 1.3;
  double step_time_s = 0.545;
  double duty_factor = 0.62;          ///< stance time / stride time
  double body_mass_kg = 70.0;
  double braking_force_bw = 0.2;      ///< peak horizontal force, body weights
  double heel_impact_bw = 0.3;        ///< peak of the heel-strike transient, body weights
};

/// Ground force under one foot, N (session frame: x forward, z up).
struct FootForce {
  double fx_n = 0.0;
  double fz_n = 0.0;
};

/// Centre of mass relative to its state at the step's initial contact.
struct WalkingComState {
  double x_m = 0.0, z_m = 0.0;
  double vx_mps = 0.0, vz_mps = 0.0;
  double fx_n = 0.0, fz_n = 0.0;  ///< total ground force (both feet)
};

class WalkingStep {
 public:
  /// Throws std::invalid_argument for a duty factor outside (0.5, 0.85), a
  /// step time outside 0.3-1.2 s or a speed outside 0.3-2.5 m/s.
  explicit WalkingStep(const WalkingStepParameters& parameters);

  const WalkingStepParameters& parameters() const { return p_; }
  double stance_s() const { return stance_s_; }
  double step_time_s() const { return p_.step_time_s; }

  /// Force under a foot `tau_s` after its own initial contact (zero outside its stance).
  FootForce foot_force(double tau_s) const;

  /// The centre of mass `tau_s` after the step's initial contact, tau in [0, step time]:
  /// x from its value at that contact, z from the step's mean height.
  WalkingComState com(double tau_s) const;

  /// Instant (from IC) where the total horizontal force turns from braking to propulsion.
  double braking_time_s() const { return braking_s_; }
  double vertical_oscillation_m() const { return z_max_ - z_min_; }
  double peak_vertical_force_n() const { return peak_fz_n_; }

 private:
  WalkingStepParameters p_;
  double stance_s_ = 0.0;
  double k_n_ = 0.0;       // scale of the double hump
  double b_n_ = 0.0;       // peak horizontal force
  double impact_n_ = 0.0;  // peak of the heel-strike transient
  double node_s_ = 0.0;
  std::vector<WalkingComState> nodes_;  // evenly spaced over one step, both ends included
  double braking_s_ = 0.0, z_min_ = 0.0, z_max_ = 0.0, peak_fz_n_ = 0.0;
};

}  // namespace stridefuse::sim
