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

  /// Time constant of the accelerometer low-pass, applied in the gyro-integrated
  /// (almost inertial) frame, where impacts and sway average out because velocity
  /// stays bounded. Longer: less sensitive to accelerations, slower to correct drift.
  double accel_time_constant_s = 3.0;

  /// Learn the gyro bias from the inclination correction while moving.
  bool motion_bias_estimation = true;
  /// Learn the gyro bias from the averaged gyro reading while at rest.
  bool rest_bias_estimation = true;
  double bias_initial_sigma_degps = 0.5;   ///< prior uncertainty of the bias
  double bias_forgetting_time_s = 100.0;   ///< uncertainty grows back to the prior in this time
  /// Noise of the bias measurements, per sample at 100 Hz (scaled with the rate
  /// so that one second of samples weighs the same at any rate).
  double bias_motion_sigma_degps = 2.5;    ///< in motion (from the inclination correction)
  double bias_rest_sigma_degps = 0.1;      ///< at rest (averaged gyro)
  double bias_clip_degps = 2.0;            ///< largest plausible bias per axis

  double rest_gyro_deviation_degps = 2.0;  ///< rest: gyro within this of its 0.5 s average...
  double rest_accel_deviation_mps2 = 0.5;  ///< ...and accelerometer within this of its average...
  double rest_min_duration_s = 1.5;        ///< ...for at least this long

  /// After a rest, the gyroscope alone carries the inclination for this long
  /// (its bias was just measured at rest): setting off from standing
  /// accelerates the pelvis for a few strides, and the accelerometer's
  /// low-pass would take that for a tilt of up to |dv| / (g x
  /// accel_time_constant_s). The bound is the gyroscope's own drift: on a
  /// real hand-held IMU (BROAD trial 16) 2 s after a rest helps (0.53 to
  /// 0.48 deg RMS), 3 s already costs (0.66), 6 s much (1.6). A start that
  /// takes longer than this to reach its speed keeps the tilt of the rest of
  /// its acceleration. 0: off.
  double gyro_leads_after_rest_s = 2.0;

  /// A sample arriving after a longer gap than this restarts the orientation
  /// from the accelerometer (the bias estimate is kept): one gyro sample cannot
  /// say how the sensor turned meanwhile.
  double restart_after_gap_s = 1.0;

  double mag_time_constant_s = 9.0;        ///< heading correction speed when use_magnetometer
  /// Magnetometer samples whose norm or dip differ this much from the learned
  /// field (relative, degrees) are taken as disturbed and ignored.
  double mag_norm_tolerance = 0.1;
  double mag_dip_tolerance_deg = 10.0;
};

class AttitudeEstimator {
 public:
  /// Throws std::invalid_argument when a config value is not finite or out of range
  /// (rates, time constants and sigmas must be positive).
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
