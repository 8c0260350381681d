#include "rest_detector.hpp"

namespace stridefuse::fusion::attitude {

RestDetector::RestDetector(const RestDetectorConfig& config) : config_(config), design_(config.time_constant_s) {}

bool RestDetector::update(const Eigen::Vector3d& gyro_radps, const Eigen::Vector3d& accel_mps2, double dt_s) {
  const auto& c = design_.for_interval(dt_s);
  const Eigen::Vector3d& gyro_mean = gyro_lp_.step(gyro_radps, c);
  const Eigen::Vector3d& accel_mean = accel_lp_.step(accel_mps2, c);
  const bool quiet = (gyro_radps - gyro_mean).squaredNorm() < config_.gyro_deviation_radps * config_.gyro_deviation_radps &&
                     (accel_mps2 - accel_mean).squaredNorm() < config_.accel_deviation_mps2 * config_.accel_deviation_mps2 &&
                     gyro_mean.squaredNorm() < config_.max_mean_rate_radps * config_.max_mean_rate_radps;
  quiet_for_s_ = quiet ? quiet_for_s_ + dt_s : 0.0;
  at_rest_ = quiet_for_s_ >= config_.min_duration_s;
  return at_rest_;
}

}  // namespace stridefuse::fusion::attitude
