#include "magnetic_heading.hpp"

#include <algorithm>
#include <cmath>

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion::attitude {

namespace {
double wrapped(double angle_rad) { return std::remainder(angle_rad, 2.0 * pi); }
}  // namespace

void MagneticHeading::update(const Eigen::Vector3d& mag_earth_ut, double dt_s) {
  const double norm = mag_earth_ut.norm();
  const double horizontal = mag_earth_ut.head<2>().norm();
  if (norm <= 0.0 || horizontal <= 0.0) {
    disturbed_ = true;
    return;
  }
  const double dip = std::atan2(-mag_earth_ut.z(), horizontal);
  if (learned_for_s_ < config_.learning_time_s) {
    // Running mean over the learning window.
    const double w = dt_s / (learned_for_s_ + dt_s);
    ref_norm_ut_ += w * (norm - ref_norm_ut_);
    ref_dip_rad_ += w * (dip - ref_dip_rad_);
    learned_for_s_ += dt_s;
  } else {
    disturbed_ = std::abs(norm - ref_norm_ut_) > config_.norm_tolerance * ref_norm_ut_ ||
                 std::abs(dip - ref_dip_rad_) > config_.dip_tolerance_rad;
    if (disturbed_) return;
  }
  // Heading of the field as seen after the current correction; drive it to zero.
  const double error = wrapped(std::atan2(mag_earth_ut.y(), mag_earth_ut.x()) + heading_rad_);
  if (!has_heading_) {
    heading_rad_ = -std::atan2(mag_earth_ut.y(), mag_earth_ut.x());
    has_heading_ = true;
    return;
  }
  const double gain = std::min(1.0, dt_s / config_.time_constant_s);
  heading_rad_ = wrapped(heading_rad_ - gain * error);
}

Eigen::Quaterniond MagneticHeading::correction() const {
  return Eigen::Quaterniond(Eigen::AngleAxisd(heading_rad_, Eigen::Vector3d::UnitZ()));
}

}  // namespace stridefuse::fusion::attitude
