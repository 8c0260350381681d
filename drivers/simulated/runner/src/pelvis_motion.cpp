#include "stridefuse/sim/pelvis_motion.hpp"

#include <algorithm>
#include <cmath>

#include "stridefuse/core/units.hpp"
#include "motion_shapes.hpp"

namespace stridefuse::sim {
namespace {

// Shape of the drop within a stance: zero with zero slope at IC and toe-off,
// peaking at about 37 % of stance (loading response), as in running gait data.
// The warp of the stance fraction is smooth, so the angular acceleration stays finite.
double drop_shape(double stance_fraction) {
  if (stance_fraction <= 0.0 || stance_fraction >= 1.0) return 0.0;
  const double w = stance_fraction + 0.558 * stance_fraction * (1.0 - stance_fraction);
  const double s = std::sin(pi * w);
  return s * s;
}

}  // namespace

PelvisAngles running_pelvis_angles(const PelvisStep& step, double t_s) {
  const double step_time = step.t_next_ic_s - step.t_ic_s;
  const double u = std::clamp((t_s - step.t_ic_s) / step_time, 0.0, 1.0);
  const double stance = (t_s - step.t_ic_s) / (step.t_to_s - step.t_ic_s);
  // Left stance: the right (swing) side drops, i.e. the left side goes up: positive obliquity.
  const double side_sign = step.side == Side::left ? 1.0 : -1.0;
  PelvisAngles a;
  a.tilt_deg = step.tilt_mean_deg - step.tilt_amplitude_deg * std::cos(2.0 * pi * u);
  a.obliquity_deg = step.obliquity_offset_deg + side_sign * step.pelvic_drop_deg * drop_shape(stance);
  // At left IC the left side is forward, so the right side is back: negative rotation.
  a.rotation_deg = -side_sign * step.rotation_amplitude_deg * std::cos(pi * u);
  return a;
}

PelvisAngles walking_pelvis_angles(const PelvisStep& step, double rotation_lag_stride, double t_s) {
  const double step_time = step.t_next_ic_s - step.t_ic_s;
  const double u = std::clamp((t_s - step.t_ic_s) / step_time, 0.0, 1.0);
  const double stance = std::clamp((t_s - step.t_ic_s) / (step.t_to_s - step.t_ic_s), 0.0, 1.0);
  const double side_sign = step.side == Side::left ? 1.0 : -1.0;
  // Stride phase from the left foot's contact.
  const double stride_phase = (step.side == Side::left ? 0.0 : 0.5) + 0.5 * u;
  PelvisAngles a;
  a.tilt_deg = step.tilt_mean_deg - step.tilt_amplitude_deg * std::cos(2.0 * pi * u);
  // Loading response: the swing side sinks and comes back by mid-stance.
  const double drop = stance < 0.5 ? std::pow(std::sin(2.0 * pi * stance), 2) : 0.0;
  a.obliquity_deg = step.obliquity_offset_deg + side_sign * step.pelvic_drop_deg * drop;
  a.rotation_deg = -step.rotation_amplitude_deg * std::cos(2.0 * pi * (stride_phase - rotation_lag_stride));
  return a;
}

PelvisAngles standing_pelvis_angles(double t_s) {
  // Incommensurate slow sways (about 0.1-0.3 Hz) of a few tenths of a degree.
  return PelvisAngles{0.3 * std::sin(2.0 * pi * 0.23 * t_s), 0.2 * std::sin(2.0 * pi * 0.17 * t_s + 1.0),
                      0.25 * std::sin(2.0 * pi * 0.11 * t_s + 2.0)};
}

PelvisAngles blend_pelvis_angles(const PelvisAngles& standing, const PelvisAngles& running, double start_s,
                                 double ramp_s, double t_s) {
  const double w = ramp_s > 0.0 ? shapes::smoothstep((t_s - start_s) / ramp_s) : (t_s >= start_s ? 1.0 : 0.0);
  return PelvisAngles{standing.tilt_deg + w * (running.tilt_deg - standing.tilt_deg),
                      standing.obliquity_deg + w * (running.obliquity_deg - standing.obliquity_deg),
                      standing.rotation_deg + w * (running.rotation_deg - standing.rotation_deg)};
}

Eigen::Quaterniond pelvis_orientation(const PelvisAngles& a) {
  return Eigen::Quaterniond(Eigen::AngleAxisd(rad_from_deg(a.rotation_deg), Eigen::Vector3d::UnitZ()) *
                            Eigen::AngleAxisd(rad_from_deg(a.obliquity_deg), Eigen::Vector3d::UnitX()) *
                            Eigen::AngleAxisd(rad_from_deg(a.tilt_deg), Eigen::Vector3d::UnitY()));
}

}  // namespace stridefuse::sim
