#include "stridefuse/fusion/mounting_calibration.hpp"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <stdexcept>

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion {

MountingCalibration::MountingCalibration(MountingCalibrationConfig config, bool expect_steps)
    : config_(config), expect_steps_(expect_steps) {
  if (!(config_.standing_min_s > 0.0) || !(config_.quiet_gyro_max_radps > 0.0) ||
      !(config_.quiet_accel_tolerance_mps2 > 0.0) || config_.braking_windows_needed == 0 ||
      config_.braking_windows_refined < config_.braking_windows_needed ||
      !(config_.motion_needed_s > 0.0) || !(config_.min_forward_strength >= 0.0) || !(config_.settle_s >= 0.0) ||
      !(config_.first_strides_up_s > 0.0))
    throw std::invalid_argument("MountingCalibration: durations, thresholds and counts must be positive");
}

Eigen::Vector3d MountingCalibration::horizontal_linear_accel(const Eigen::Vector3d& accel_mps2,
                                                             const Eigen::Quaterniond& sensor_to_earth) {
  const Eigen::Vector3d up_s = sensor_to_earth.conjugate() * Eigen::Vector3d::UnitZ();
  const Eigen::Vector3d linear = accel_mps2 - standard_gravity_mps2 * up_s;
  return linear - linear.dot(up_s) * up_s;
}

void MountingCalibration::add_sample(const Eigen::Vector3d& accel, const Eigen::Vector3d& gyro,
                                     const Eigen::Quaterniond& q_es, double dt_s) {
  if (!accel.allFinite() || !gyro.allFinite() || !q_es.coeffs().allFinite() || !(dt_s > 0.0) || !std::isfinite(dt_s))
    return;
  if (!standing_done_) {
    const bool quiet = gyro.norm() < config_.quiet_gyro_max_radps &&
                       std::abs(accel.norm() - standard_gravity_mps2) < config_.quiet_accel_tolerance_mps2;
    if (quiet) {
      standing_s_ += dt_s;
      standing_accel_sum_ += accel * dt_s;
      return;
    }
    standing_done_ = true;
  }
  if (calibrated_) return;
  motion_s_ += dt_s;
  if (!settled()) return;

  const Eigen::Vector3d up_s = q_es.conjugate() * Eigen::Vector3d::UnitZ();
  const Eigen::Vector3d linear = accel - standard_gravity_mps2 * up_s;
  const double vertical = linear.dot(up_s);
  const Eigen::Vector3d horizontal = linear - vertical * up_s;
  used_motion_s_ += dt_s;
  motion_up_sum_ += up_s * dt_s;
  horizontal_cov_ += horizontal * horizontal.transpose() * dt_s;
  if (have_vertical_) horizontal_times_vertical_rate_ += horizontal * (vertical - previous_vertical_mps2_);
  previous_vertical_mps2_ = vertical;
  have_vertical_ = true;
  try_finish();
}

void MountingCalibration::add_braking_window(const Eigen::Vector3d& mean_horizontal) {
  if (!settled() || !mean_horizontal.allFinite()) return;
  const bool refining = calibrated_ && from_braking_ && braking_windows_ < config_.braking_windows_refined;
  if (calibrated_ && !refining) return;
  ++braking_windows_;
  braking_sum_ += mean_horizontal;
  braking_sq_sum_ += mean_horizontal.squaredNorm();
  // A few steps give a usable forward early; averaging more removes the
  // step-to-step scatter (a few degrees of heading error mix tilt into obliquity).
  if (refining && braking_windows_ == config_.braking_windows_refined) finish_with(up_s_, -braking_sum_, source_);
  try_finish();
}

void MountingCalibration::try_finish() {
  if (calibrated_ || !settled() || !(used_motion_s_ > 0.0)) return;
  const bool standing = has_standing();
  if (!standing && used_motion_s_ < config_.first_strides_up_s) return;
  const Eigen::Vector3d up_s =
      standing ? Eigen::Vector3d(standing_accel_sum_.normalized()) : Eigen::Vector3d(motion_up_sum_.normalized());
  const CalibrationSource source = standing ? CalibrationSource::standing : CalibrationSource::first_strides;

  if (braking_windows_ >= config_.braking_windows_needed) {
    const auto n = static_cast<double>(braking_windows_);
    const Eigen::Vector3d mean = braking_sum_ / n;
    const double rms = std::sqrt(braking_sq_sum_ / n);
    if (rms > 0.0 && mean.norm() / rms >= config_.min_forward_strength) {
      finish_with(up_s, -mean, source);
      from_braking_ = calibrated_;
      return;
    }
  }
  // Without step timing (or when it never becomes consistent) fall back to the
  // acceleration's principal horizontal axis after enough movement.
  const double needed = expect_steps_ ? 3.0 * config_.motion_needed_s : config_.motion_needed_s;
  if (used_motion_s_ < needed) return;
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig(horizontal_cov_);
  Eigen::Vector3d axis = eig.eigenvectors().col(2);
  if (axis.dot(horizontal_times_vertical_rate_) > 0.0) axis = -axis;
  finish_with(up_s, axis, source);
}

void MountingCalibration::finish_with(const Eigen::Vector3d& up_s, const Eigen::Vector3d& forward_s,
                                      CalibrationSource source) {
  Eigen::Vector3d x = forward_s - forward_s.dot(up_s) * up_s;
  if (!(x.norm() > 1e-9)) return;
  x.normalize();
  const Eigen::Vector3d y = up_s.cross(x);
  pelvis_to_sensor_.col(0) = x;
  pelvis_to_sensor_.col(1) = y;
  pelvis_to_sensor_.col(2) = up_s;
  source_ = source;
  up_s_ = up_s;
  calibrated_ = true;
}

Eigen::Matrix3d MountingCalibration::pelvis_to_sensor() const {
  if (!calibrated_) throw std::logic_error("MountingCalibration: not calibrated yet");
  return pelvis_to_sensor_;
}

}  // namespace stridefuse::fusion
