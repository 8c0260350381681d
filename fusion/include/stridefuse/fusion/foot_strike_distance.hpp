#pragma once
// Foot-strike distance by momentum balance (fusion/METRICS.md, "Foot-strike
// distance from forces"), with its per-step standard uncertainty.
//
// Over a stance at steady running the body's fore-aft momentum and its pitch
// angular momentum about the centre of mass come back to what they were
// (periodic gait). Taken together, with the centre of mass's height about
// constant over the stance, that makes the vertical force's moment about the
// centre of mass sum to zero:
//
//     integral over the stance of F_z (x_cop - x_com) dt = 0,
//
// whatever the direction of the ground force at each instant (no force line
// through the centre of mass is assumed). So the centre of mass sits over the
// force-weighted mean centre of pressure, and at initial contact
//
//     distance = force-weighted mean of (com travel since IC - cop travel since IC).
//
// Only the force's shape enters (its scale cancels): an insole whose cells
// read in any linear unit serves.

#include <vector>

#include "stridefuse/core/stream.hpp"
#include "stridefuse/fusion/pelvis_step_metrics.hpp"

namespace stridefuse::fusion {

/// One stance as the insole sees it: from IC, the centre of pressure along
/// the foot and the load at each sample.
struct StanceLoading {
  std::vector<double> t_s;
  std::vector<double> cop_x_mm;  ///< along the foot from the heel
  std::vector<double> load_n;    ///< any unit proportional to the vertical force
};

/// What the per-step uncertainty rests on (fusion/METRICS.md, "Its uncertainty").
struct FootStrikeUncertaintyInputs {
  double ic_timing_sd_s = 0.0;        ///< of this stance's IC relative to its own insole's samples
  double speed_relative_sd = 0.0;     ///< of the mean speed, as a fraction of it
  double cop_sd_mm = 0.0;             ///< of the insole's centre of pressure along the foot
  double balance_sd_m = 0.0;          ///< of one stance's momentum balance (gait not exactly periodic step to step)
};

/// Standard deviation of one stance's momentum balance, as a distance: a
/// real runner's stances are not exact copies (RBDS plate, 76 stances: the
/// fore-aft impulse varies by 2.2 N s and the moment about the pelvis by
/// 0.8 N m s per stance, i.e. 0.9 cm at the runner's vertical impulse).
inline constexpr double stance_balance_sd_m = 0.01;

/// An IC timed by an insole at `rate_hz`: the uniform spread over one sample
/// period (the edge timing within it does better once it has learnt the edges).
double ic_timing_sd_s(double rate_hz);

/// Of the centre of pressure along the foot: the spread of a centroid over
/// one row of cells (the row pitch over sqrt 12). An insole that reports its
/// own centre (no sites) is taken as 8 rows, a 16-cell insole.
double centre_of_pressure_sd_mm(const InsoleLayout& layout);

struct FootStrikeDistance {
  double distance_m = 0.0;     ///< positive: the foot lands ahead of the centre of mass
  double uncertainty_m = 0.0;  ///< standard uncertainty (one standard deviation)
};

/// The distance for a stance [t_ic_s, t_to_s] of a step ending at step_end_s,
/// the pelvis trace covering the step, its mean speed, the insole's samples
/// (those outside the stance are ignored) and the centre of pressure at the
/// IC instant. Throws std::invalid_argument when the stance has fewer than
/// three loaded insole samples or the trace does not cover the step.
FootStrikeDistance foot_strike_distance(const PelvisTrace& trace, double mean_speed_mps, double t_ic_s, double t_to_s,
                                        double step_end_s, const StanceLoading& stance, double cop_at_ic_mm,
                                        const FootStrikeUncertaintyInputs& uncertainty);

}  // namespace stridefuse::fusion
