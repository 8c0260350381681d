#include "gyro_orientation.hpp"

#include <algorithm>
#include <cmath>

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion::drill {

void GyroOrientation::push(double t_s, const Eigen::Vector3d& accel, const Eigen::Vector3d& gyro) {
  if (!accel.allFinite() || !gyro.allFinite()) return;  // a corrupt sample: integrate across it
  if (!started_) {
    started_ = true;
    t0_s_ = t_s_ = t_s;
  }
  if (!ready_) {
    ++n_;
    gyro_sum_ += gyro;
    accel_sum_ += accel;
    gyro_min_ = gyro_min_.cwiseMin(gyro);
    gyro_max_ = gyro_max_.cwiseMax(gyro);
    accel_norm_min_ = std::min(accel_norm_min_, accel.norm());
    accel_norm_max_ = std::max(accel_norm_max_, accel.norm());
    t_s_ = t_s;
    if (t_s - t0_s_ < calibration_s) return;
    ready_ = true;
    const Eigen::Vector3d mean = gyro_sum_ / n_;
    const double wobble = std::max((gyro_max_ - mean).cwiseAbs().maxCoeff(), (mean - gyro_min_).cwiseAbs().maxCoeff());
    const bool still = wobble < max_wobble_radps &&
                       std::abs(accel_norm_min_ - standard_gravity_mps2) < max_gravity_error_mps2 &&
                       std::abs(accel_norm_max_ - standard_gravity_mps2) < max_gravity_error_mps2;
    if (still) {
      bias_ = mean;
      gravity_ = accel_sum_ / n_;
    }
    rate_ = gyro - bias_;
    return;
  }
  const double dt = t_s - t_s_;
  t_s_ = t_s;
  const Eigen::Vector3d rate = gyro - bias_;
  // Trapezoid: the mean rate over the interval, so a lost packet's gap is bridged by its two neighbours.
  const Eigen::Vector3d w = 0.5 * (rate + rate_);
  rate_ = rate;
  const double angle = w.norm() * dt;
  if (angle > 0.0 && dt > 0.0) {
    q_ = q_ * Eigen::Quaterniond(Eigen::AngleAxisd(angle, w.normalized()));
    q_.normalize();
  }
}

}  // namespace stridefuse::fusion::drill
