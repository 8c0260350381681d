#pragma once
// One stance's ground reaction force and centre of pressure, prescribed
// (README.md, "Ground reaction force" and "Centre of pressure").

#include <Eigen/Core>

#include "stridefuse/core/stream.hpp"
#include "stridefuse/second_runner/scenario.hpp"

namespace stridefuse::second_runner {

/// A force plate's threshold: initial contact and toe-off are where the vertical force crosses it.
inline constexpr double contact_threshold_n = 20.0;
inline constexpr double gravity_mps2 = 9.80665;

struct Stance {
  Side side = Side::left;
  double touchdown_s = 0.0;     ///< true time the force starts rising from zero
  double contact_time_s = 0.0;  ///< until it is zero again
  double step_time_s = 0.0;     ///< to the other foot's touchdown
  StrikePattern pattern = StrikePattern::rearfoot;
  double impact_ratio = 0.0, impact_peak_s = 0.025, rise_exponent = 1.5, fall_exponent = 1.5;
  double amplitude_n = 0.0;     ///< set by balance_impulse
  double start_fraction = 0.15; ///< centre of pressure at touchdown, fraction of the foot's length
  double toe_fraction = 0.92;   ///< at toe-off
  double foot_length_m = 0.27;
  double touchdown_distance_m = 0.0;  ///< centre of pressure ahead of the centre of mass at touchdown (solved: zero net fore-aft impulse)
  double lateral_offset_m = 0.0;  ///< the foot's axis moved across from half the step width, + left (solved: the lateral velocity mirrored)
  double heel_x_m = 0.0, axis_y_m = 0.0;  ///< the foot on the ground, running frame
  double vpp_offset_m = 0.0;    ///< the virtual pivot ahead of the centre of mass
};

/// Vertical ground force at `tau_s` after touchdown, N (0 outside the stance).
double vertical_force_n(const Stance& stance, double tau_s);

/// Scales the stance so that its vertical impulse is body weight times its step time.
void balance_impulse(Stance& stance, double body_mass_kg);

/// Times after touchdown where the vertical force crosses `threshold_n` rising and falling.
struct ForceCrossings {
  double rise_s = 0.0, fall_s = 0.0;
};
ForceCrossings force_crossings(const Stance& stance, double threshold_n = contact_threshold_n);

/// Centre of pressure in the foot frame (fusion/FRAMES.md, "Foot frame"), mm, at `tau_s` after touchdown.
Eigen::Vector2d cop_in_foot_mm(const Stance& stance, double tau_s);

/// The footprint's half width at `x_mm` from the heel, mm (0 beyond the heel or the toe).
double footprint_half_width_mm(double x_mm, double foot_length_mm);

}  // namespace stridefuse::second_runner
