#pragma once
// An IMU's orientation by integrating its gyro, relative to its first
// sample, with the gyro bias taken from the first still second
// (fusion/DRILLS.md, "Assumptions"). Only the rotation between two moments a
// few seconds apart is used, so slow drift of the absolute orientation does
// not matter; the bias, integrated over a rep, would.

#include <optional>

#include <Eigen/Geometry>

namespace stridefuse::fusion::drill {

class GyroOrientation {
 public:
  /// The still window: this long at the start, the gyro steadier than
  /// max_wobble_radps about its mean and the accelerometer near 1 g.
  static constexpr double calibration_s = 1.0;
  static constexpr double max_wobble_radps = 0.1;    // ~6 deg/s: far above gyro noise, far below a rep
  static constexpr double max_gravity_error_mps2 = 1.0;

  /// One IMU sample: specific force (m/s^2) and rate (rad/s), sensor axes.
  void push(double t_s, const Eigen::Vector3d& accel_mps2, const Eigen::Vector3d& gyro_radps);

  /// The first second is over: the bias is known (or was not measurable: not still).
  bool ready() const { return ready_; }
  /// The first second was still: bias and gravity were measured.
  bool still_start() const { return gravity_.has_value(); }
  /// Mean specific force over the still first second (sensor axes): "up".
  const std::optional<Eigen::Vector3d>& start_gravity() const { return gravity_; }
  const Eigen::Vector3d& bias_radps() const { return bias_; }
  /// Latest bias-corrected rate, sensor axes.
  const Eigen::Vector3d& rate_radps() const { return rate_; }
  /// Sensor frame now to the sensor frame at the end of the still second.
  const Eigen::Quaterniond& orientation() const { return q_; }
  double t_s() const { return t_s_; }

 private:
  bool started_ = false;
  bool ready_ = false;
  double t0_s_ = 0.0, t_s_ = 0.0;
  int n_ = 0;
  Eigen::Vector3d gyro_sum_ = Eigen::Vector3d::Zero(), accel_sum_ = Eigen::Vector3d::Zero();
  Eigen::Vector3d gyro_min_ = Eigen::Vector3d::Constant(1e9), gyro_max_ = Eigen::Vector3d::Constant(-1e9);
  double accel_norm_min_ = 1e9, accel_norm_max_ = -1e9;
  std::optional<Eigen::Vector3d> gravity_;
  Eigen::Vector3d bias_ = Eigen::Vector3d::Zero();
  Eigen::Vector3d rate_ = Eigen::Vector3d::Zero();
  Eigen::Quaterniond q_ = Eigen::Quaterniond::Identity();
};

}  // namespace stridefuse::fusion::drill
