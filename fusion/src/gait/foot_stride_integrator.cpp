#include "stridefuse/fusion/foot_stride_integrator.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "stridefuse/core/units.hpp"
#include "positive_setting_check.hpp"

namespace stridefuse::fusion {

FootStrideIntegrator::FootStrideIntegrator(FootStrideIntegratorConfig config) : config_(config) {
  const PositiveSettingCheck require_positive("FootStrideIntegrator: ");
  require_positive(config_.still_gyro_radps, "still_gyro_radps");
  require_positive(config_.still_accel_mps2, "still_accel_mps2");
  require_positive(config_.max_stride_s, "max_stride_s");
  require_positive(config_.max_gap_s, "max_gap_s");
  require_positive(config_.bias_time_constant_s, "bias_time_constant_s");
  for (const auto& f : config_.full_scale)
    if (f) require_positive(*f, "full_scale");
}

bool FootStrideIntegrator::clipped(const Eigen::Vector3d& accel, const Eigen::Vector3d& gyro) const {
  // Only the device knows where its range ends: the largest reading seen so
  // far is the foot's hardest landing as often as the sensor's ceiling.
  for (int i = 0; i < 6; ++i) {
    const auto& full_scale = config_.full_scale[static_cast<std::size_t>(i)];
    const double magnitude = std::abs(i < 3 ? accel[i] : gyro[i - 3]);
    if (full_scale && magnitude >= *full_scale) return true;
  }
  return false;
}

void FootStrideIntegrator::propagate(double dt_s, const Eigen::Vector3d& accel, const Eigen::Vector3d& omega) {
  // Rate at the middle of the interval (trapezoid), then the specific force
  // in the navigation frame with the attitude at the end of it.
  const Eigen::Vector3d mid_rate = 0.5 * (previous_omega_ + omega);
  const double angle_rad = mid_rate.norm() * dt_s;
  if (angle_rad > 0.0)
    orientation_ = (orientation_ * Eigen::Quaterniond(Eigen::AngleAxisd(angle_rad, mid_rate.normalized()))).normalized();
  const Eigen::Vector3d linear = orientation_ * accel - standard_gravity_mps2 * Eigen::Vector3d::UnitZ();
  velocity_mps_ += 0.5 * (previous_linear_mps2_ + linear) * dt_s;
  previous_linear_mps2_ = linear;
}

void FootStrideIntegrator::start_stride(double t_s) {
  in_stride_ = true;
  stride_degraded_ = false;
  stride_start_s_ = t_s;
  stride_start_ic_s_ = rest_ic_s_;
  stride_velocity_.clear();
  velocity_mps_.setZero();
  // The foot was at rest: no linear acceleration at the stride's first instant.
  previous_linear_mps2_.setZero();
}

std::optional<FootStride> FootStrideIntegrator::end_stride(double t_s, std::optional<double> contact_ic_s) {
  in_stride_ = false;
  const double duration_s = t_s - stride_start_s_;
  if (!stride_start_ic_s_ || !contact_ic_s || !(duration_s > 0.0) || duration_s > config_.max_stride_s) return std::nullopt;
  const double stride_time_s = *contact_ic_s - *stride_start_ic_s_;
  if (!(stride_time_s > 0.0)) return std::nullopt;
  FootStride stride;
  stride.t_start_s = *stride_start_ic_s_;
  stride.t_end_s = *contact_ic_s;
  if (stride_degraded_) {
    stride.length_m = stride.speed_mps = Metric::absent(AbsentReason::degraded_input);
    return stride;
  }
  // The velocity the foot has at rest is the integration error; it is taken
  // to have grown linearly since the last rest, and the position follows from
  // the corrected velocity (trapezoid).
  const Eigen::Vector3d error_mps = velocity_mps_;
  Eigen::Vector3d position_m = Eigen::Vector3d::Zero();
  Eigen::Vector3d previous_v = Eigen::Vector3d::Zero();
  double previous_t = stride_start_s_;
  for (const auto& [t, v] : stride_velocity_) {
    const Eigen::Vector3d corrected = v - error_mps * ((t - stride_start_s_) / duration_s);
    position_m += 0.5 * (previous_v + corrected) * (t - previous_t);
    previous_v = corrected;
    previous_t = t;
  }
  const double length_m = std::hypot(position_m.x(), position_m.y());
  stride.length_m = Metric::of(length_m);
  stride.speed_mps = Metric::of(length_m / stride_time_s);
  return stride;
}

std::optional<FootStride> FootStrideIntegrator::update(double t_s, const Eigen::Vector3d& accel_mps2,
                                                       const Eigen::Vector3d& gyro_radps,
                                                       std::optional<double> contact_ic_s) {
  last_quality_ = FootImuSampleQuality::ok;
  if (!std::isfinite(t_s) || !accel_mps2.allFinite() || !gyro_radps.allFinite()) {
    last_quality_ = FootImuSampleQuality::non_finite;
    stride_degraded_ = true;
    return std::nullopt;
  }
  if (have_previous_ && t_s <= previous_t_s_) return std::nullopt;
  if (clipped(accel_mps2, gyro_radps)) {
    last_quality_ = FootImuSampleQuality::saturated;
    stride_degraded_ = true;
    return std::nullopt;
  }
  const double dt_s = have_previous_ ? t_s - previous_t_s_ : 0.0;
  const bool gap = dt_s > config_.max_gap_s;
  const Eigen::Vector3d omega = gyro_radps - gyro_bias_radps_;
  const bool still = contact_ic_s.has_value() && omega.norm() < config_.still_gyro_radps &&
                     std::abs(accel_mps2.norm() - standard_gravity_mps2) < config_.still_accel_mps2;

  if (at_rest_ && !still) {
    // The rest has ended: its mean specific force is straight up. The
    // smallest rotation that makes it so leaves the heading alone.
    if (rest_samples_ > 0 && rest_force_sum_.norm() > 0.0) {
      orientation_ = (Eigen::Quaterniond::FromTwoVectors(rest_force_sum_, Eigen::Vector3d::UnitZ()) * orientation_).normalized();
      initialised_ = true;
    }
    at_rest_ = false;
    if (initialised_) start_stride(previous_t_s_);
  }
  // After a new stride has started: a gap at the end of a rest spoils it too.
  if (gap) stride_degraded_ = true;

  if (have_previous_ && !gap) {
    propagate(dt_s, accel_mps2, omega);
  } else {
    previous_linear_mps2_ = orientation_ * accel_mps2 - standard_gravity_mps2 * Eigen::Vector3d::UnitZ();
  }
  previous_omega_ = omega;
  have_previous_ = true;
  previous_t_s_ = t_s;

  std::optional<FootStride> completed;
  if (still) {
    if (!at_rest_) {
      if (in_stride_) {
        stride_velocity_.push_back({t_s, velocity_mps_});
        completed = end_stride(t_s, contact_ic_s);
      }
      rest_force_sum_.setZero();
      rest_samples_ = 0;
      at_rest_ = true;
    }
    rest_ic_s_ = contact_ic_s;
    rest_force_sum_ += orientation_ * accel_mps2;
    ++rest_samples_;
    velocity_mps_.setZero();
    if (dt_s > 0.0 && !gap) gyro_bias_radps_ += std::min(1.0, dt_s / config_.bias_time_constant_s) * (gyro_radps - gyro_bias_radps_);
  } else if (in_stride_) {
    if (t_s - stride_start_s_ > config_.max_stride_s) {
      // No rest for too long (a lost contact, a stop on the toes): the
      // integration has drifted; the next rest starts afresh.
      in_stride_ = false;
      stride_velocity_.clear();
    } else {
      stride_velocity_.push_back({t_s, velocity_mps_});
    }
  }
  return completed;
}

}  // namespace stridefuse::fusion
