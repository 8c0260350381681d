#pragma once
// Pelvic angles (fusion/FRAMES.md, "Pelvic angles") from orientations.

#include <Eigen/Geometry>

#include "stridefuse/core/events.hpp"

namespace stridefuse::fusion {

/// Pelvic angles of a pelvis whose orientation relative to its neutral
/// posture is `relative` (rotation from the current pelvis frame to the
/// neutral pelvis frame: X anterior, Y left, Z superior). Decomposed in the
/// rotation-obliquity-tilt order of Baker (2001): R = Rz(rotation) Rx(obliquity) Ry(tilt),
/// with anterior tilt, left-side-up obliquity and right-side-forward rotation positive.
PelvisAngles pelvis_angles_from(const Eigen::Quaterniond& relative);

/// Inverse of pelvis_angles_from: the relative orientation with these angles.
Eigen::Quaterniond relative_orientation_from(const PelvisAngles& angles);

}  // namespace stridefuse::fusion
