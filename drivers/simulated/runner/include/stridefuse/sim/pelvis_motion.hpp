#pragma once
// Pelvic angles over the gait cycle (fusion/FRAMES.md, relative to the neutral
// standing posture): tilt oscillates once per step, rotation once per stride,
// obliquity rises and falls within each stance as the swing side drops.

#include <Eigen/Geometry>

#include "stridefuse/core/events.hpp"
#include "stridefuse/core/stream.hpp"

namespace stridefuse::sim {

/// The pelvis-related part of one step, from its initial contact to the next one.
struct PelvisStep {
  Side side = Side::left;
  double t_ic_s = 0.0;
  double t_to_s = 0.0;
  double t_next_ic_s = 0.0;
  double tilt_mean_deg = 0.0;       ///< mean tilt while running (offset from neutral)
  double tilt_amplitude_deg = 0.0;  ///< +- about the mean
  double pelvic_drop_deg = 0.0;     ///< swing-side drop at its largest in this stance
  double rotation_amplitude_deg = 0.0;
  double obliquity_offset_deg = 0.0;
};

/// Angles at time t within `step` (t_ic_s <= t <= t_next_ic_s).
PelvisAngles running_pelvis_angles(const PelvisStep& step, double t_s);

/// Walking angles at time t within `step`: tilt once per step, the swing side
/// dropping in the first half of each stance, and the rotation one cycle per
/// stride with the landing side furthest forward `rotation_lag_stride` of a
/// stride after its contact (WalkingConfig::rotation_lag_stride).
PelvisAngles walking_pelvis_angles(const PelvisStep& step, double rotation_lag_stride, double t_s);

/// Quiet standing: a small postural sway about neutral.
PelvisAngles standing_pelvis_angles(double t_s);

/// Blend from standing to running over `ramp_s` after running starts, so the
/// pelvis does not jump: weight 0 at start_s, 1 at start_s + ramp_s (smooth).
PelvisAngles blend_pelvis_angles(const PelvisAngles& standing, const PelvisAngles& running, double start_s,
                                 double ramp_s, double t_s);

/// Rotation from the pelvis frame to the session frame for these angles:
/// Rz(rotation) Rx(obliquity) Ry(tilt), each right-handed (fusion/FRAMES.md, "Pelvic angles").
Eigen::Quaterniond pelvis_orientation(const PelvisAngles& angles);

}  // namespace stridefuse::sim
