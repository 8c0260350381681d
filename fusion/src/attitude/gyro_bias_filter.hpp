#pragma once
// Kalman filter for a slowly wandering gyroscope bias (random walk), sensor frame.
// At rest the averaged gyro reading measures the bias directly. In motion the
// inclination correction does: a bias error b~ makes the estimate tilt at
// R*b~ in the earth frame, and the accelerometer correction undoes exactly the
// horizontal part of that tilt, so the correction rate is a measurement of
// the horizontal components of R*b (see attitude_estimator.cpp for how it is formed).

#include <Eigen/Core>

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion::attitude {

struct GyroBiasFilterConfig {
  double initial_sigma_radps = 0.5 * pi / 180.0;
  /// Time in which the bias uncertainty grows back to initial_sigma without measurements.
  double forgetting_time_s = 100.0;
  /// Scale of the process noise along earth vertical: in motion that component is
  /// seen only when the sensor turns, so it should not be forgotten meanwhile.
  double vertical_forgetting_factor = 1e-4;
  /// Measurement noise for one sample at the 100 Hz reference rate; at other
  /// rates it is scaled so that one second of measurements carries the same
  /// information (variance proportional to 1/dt).
  double motion_sigma_radps = 2.5 * pi / 180.0;
  double rest_sigma_radps = 0.1 * pi / 180.0;
  double clip_radps = 2.0 * pi / 180.0;
};

class GyroBiasFilter {
 public:
  explicit GyroBiasFilter(const GyroBiasFilterConfig& config);

  /// Random-walk growth of the uncertainty over dt; sensor_to_earth orients the
  /// reduced vertical process noise.
  void predict(double dt_s, const Eigen::Matrix3d& sensor_to_earth);

  /// At rest: the averaged gyroscope reading is the bias.
  void update_at_rest(const Eigen::Vector3d& mean_gyro_radps, double dt_s);

  /// In motion: measurement y = H * bias of the horizontal earth-frame drift rate.
  void update_in_motion(const Eigen::Vector2d& y_radps, const Eigen::Matrix<double, 2, 3>& h, double dt_s);

  const Eigen::Vector3d& bias_radps() const { return bias_; }
  const Eigen::Matrix3d& covariance() const { return p_; }

 private:
  template <int M>
  void correct(const Eigen::Matrix<double, M, 1>& y, const Eigen::Matrix<double, M, 3>& h, double variance);

  GyroBiasFilterConfig config_;
  Eigen::Vector3d bias_ = Eigen::Vector3d::Zero();
  Eigen::Matrix3d p_;
};

}  // namespace stridefuse::fusion::attitude
