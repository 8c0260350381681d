#pragma once
// Per-step pelvis metrics (fusion/FRAMES.md, fusion/METRICS.md) from a pelvis trace that
// has already been put in the session frame (forward along the running
// direction, vertical up, linear acceleration without gravity).
//
// Integration drift is removed per step: a steady runner's mean forward and
// vertical acceleration over one step (IC to the next IC) are zero, and so is
// the mean vertical velocity; the forward velocity's mean over the step is the
// speed source's.

#include <optional>
#include <vector>

#include "stridefuse/core/stream.hpp"

namespace stridefuse::fusion {

/// Samples of the pelvis over a time span, in increasing time.
struct PelvisTrace {
  std::vector<double> t_s;
  std::vector<double> forward_mps2;   ///< linear acceleration along the running direction
  std::vector<double> vertical_mps2;  ///< linear acceleration along Z (up), gravity removed
  std::vector<double> obliquity_deg;  ///< obliquity (fusion/FRAMES.md), left side up positive

  void clear();
  void reserve(std::size_t n);
  void push(double t, double forward, double vertical, double obliquity);
  std::size_t size() const { return t_s.size(); }
};

/// Linear interpolation of `values` at time `t_s` (clamped to the trace).
/// Throws std::invalid_argument for an empty trace.
double interpolate_at(const std::vector<double>& t_s, const std::vector<double>& values, double t);

/// Instant where the pelvis forward acceleration turns from braking to
/// propulsion during a stance [t_ic_s, t_to_s]: the last upward zero crossing
/// between the braking peak and the following propulsion peak of the
/// acceleration (step-mean removed over [t_ic_s, step_end_s], lightly
/// smoothed against the impact transient). std::nullopt when there is no
/// braking followed by propulsion.
std::optional<double> braking_to_propulsion_s(const PelvisTrace& trace, double t_ic_s, double t_to_s, double step_end_s);

/// As above, with the acceleration's mean taken over [mean_from_s, mean_to_s]:
/// for an asymmetric runner only the stride (previous IC of the other foot to
/// its next IC) is periodic, each step alone may gain or lose speed.
std::optional<double> braking_to_propulsion_s(const PelvisTrace& trace, double t_ic_s, double t_to_s, double mean_from_s,
                                              double mean_to_s);

/// Forward travel of the pelvis over [from_s, to_s], m: mean speed over the
/// step [t_ic_s, step_end_s] plus the integrated fluctuation of the forward acceleration.
double pelvis_forward_travel_m(const PelvisTrace& trace, double mean_speed_mps, double t_ic_s, double step_end_s,
                               double from_s, double to_s);

/// As above, from from_s to each of `to_s` (each within the step or its
/// neighbouring samples), m.
std::vector<double> pelvis_forward_travel_m(const PelvisTrace& trace, double mean_speed_mps, double t_ic_s,
                                            double step_end_s, double from_s, const std::vector<double>& to_s);

/// Peak-to-peak vertical displacement over [t_ic_s, step_end_s], m, by double
/// integration of the vertical acceleration with per-step drift removal.
double vertical_oscillation_m(const PelvisTrace& trace, double t_ic_s, double step_end_s);

/// Pelvic drop of a stance of `stance_side` (fusion/FRAMES.md): the largest
/// downward obliquity of the swing side during [t_ic_s, t_to_s] relative to its
/// value at t_ic_s, degrees; positive means the swing side dropped (never below 0,
/// since the IC instant itself is part of the stance).
double pelvic_drop_deg(const PelvisTrace& trace, Side stance_side, double t_ic_s, double t_to_s);

}  // namespace stridefuse::fusion
