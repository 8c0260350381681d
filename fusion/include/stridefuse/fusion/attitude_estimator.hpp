#pragma once
// Pelvis attitude from gyroscope and accelerometer (magnetometer optional,
// off by default): orientation of the sensor frame in a Z-up earth frame with
// arbitrary heading. Must stay accurate through the 2-3 g impacts of running.

#include <Eigen/Geometry>
#include <memory>
#include <optional>

namespace stridefuse::fusion {

struct AttitudeEstimatorConfig {
  double sample_rate_hz = 200.0;  ///< nominal rate; update() takes the actual dt
  bool use_magnetometer = false;
};

class AttitudeEstimator {
 public:
  explicit AttitudeEstimator(AttitudeEstimatorConfig config = {});
  ~AttitudeEstimator();
  AttitudeEstimator(AttitudeEstimator&&) noexcept;
  AttitudeEstimator& operator=(AttitudeEstimator&&) noexcept;

  /// One sample: gyro in rad/s, accelerometer in m/s^2 (specific force, +g up
  /// at rest), optional magnetometer in uT, all in the sensor frame; dt_s is
  /// the time since the previous sample. Non-finite inputs are skipped and counted.
  void update(const Eigen::Vector3d& gyro_radps, const Eigen::Vector3d& accel_mps2, double dt_s,
              const std::optional<Eigen::Vector3d>& mag_ut = std::nullopt);

  /// Sensor frame to earth frame (Z up, heading arbitrary unless the magnetometer is used).
  Eigen::Quaterniond orientation() const;

  /// Current gyroscope bias estimate, rad/s, sensor frame.
  Eigen::Vector3d gyro_bias_radps() const;

  /// True while the sensor is judged to be at rest.
  bool at_rest() const;

  /// Samples skipped because an input was not finite or dt was not positive.
  std::uint64_t skipped_samples() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stridefuse::fusion
