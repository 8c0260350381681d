#include "stridefuse/fusion/pelvis_angles.hpp"

#include <algorithm>
#include <cmath>

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion {

// With R = Rz(psi) Rx(phi) Ry(theta): R(2,1) = sin(phi), R(2,0) = -cos(phi) sin(theta),
// R(2,2) = cos(phi) cos(theta), R(0,1) = -sin(psi) cos(phi), R(1,1) = cos(psi) cos(phi).
// Each angle is a right-handed rotation about its axis, which is exactly the
// sign rule of fusion/FRAMES.md for a pelvis frame X anterior, Y left, Z up.
PelvisAngles pelvis_angles_from(const Eigen::Quaterniond& relative) {
  const Eigen::Matrix3d r = relative.normalized().toRotationMatrix();
  const double phi = std::asin(std::clamp(r(2, 1), -1.0, 1.0));
  const double theta = std::atan2(-r(2, 0), r(2, 2));
  const double psi = std::atan2(-r(0, 1), r(1, 1));
  return PelvisAngles{deg_from_rad(theta), deg_from_rad(phi), deg_from_rad(psi)};
}

Eigen::Quaterniond relative_orientation_from(const PelvisAngles& a) {
  return Eigen::AngleAxisd(rad_from_deg(a.rotation_deg), Eigen::Vector3d::UnitZ()) *
         Eigen::AngleAxisd(rad_from_deg(a.obliquity_deg), Eigen::Vector3d::UnitX()) *
         Eigen::AngleAxisd(rad_from_deg(a.tilt_deg), Eigen::Vector3d::UnitY());
}

}  // namespace stridefuse::fusion
