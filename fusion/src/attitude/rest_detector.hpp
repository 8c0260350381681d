#pragma once
// Rest: gyroscope and accelerometer both stay close to their own recent
// average for long enough. Comparing with the recent average (not with zero)
// makes the test independent of the unknown gyro bias; the extra bound on the
// averaged rate keeps a slow steady turn from being taken for a large bias.

#include <Eigen/Core>

#include "low_pass_filter.hpp"

namespace stridefuse::fusion::attitude {

struct RestDetectorConfig {
  double time_constant_s = 0.5;     ///< averaging of the signals compared against
  double gyro_deviation_radps = 0.035;
  double accel_deviation_mps2 = 0.5;
  double max_mean_rate_radps = 0.035;  ///< averaged rate above this is motion, not bias
  double min_duration_s = 1.5;
};

class RestDetector {
 public:
  explicit RestDetector(const RestDetectorConfig& config);

  /// Returns whether the sensor is at rest after this sample.
  bool update(const Eigen::Vector3d& gyro_radps, const Eigen::Vector3d& accel_mps2, double dt_s);

  bool at_rest() const { return at_rest_; }
  /// Averaged gyroscope reading: the bias itself while at rest.
  const Eigen::Vector3d& mean_gyro_radps() const { return gyro_lp_.value(); }

 private:
  RestDetectorConfig config_;
  LowPassDesign design_;
  LowPassFilter<3> gyro_lp_;
  LowPassFilter<3> accel_lp_;
  double quiet_for_s_ = 0.0;
  bool at_rest_ = false;
};

}  // namespace stridefuse::fusion::attitude
