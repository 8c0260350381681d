#pragma once
// Finds how a pelvis IMU sits on the body, for any mounting: which sensor
// direction is up, which is forward (the running direction) and the neutral
// posture the pelvic angles are relative to (fusion/FRAMES.md).
//
// Physics used:
// - up: at rest the accelerometer measures gravity's reaction, so a quiet
//   standing period at the start gives the neutral "up" directly; without one,
//   the mean sensor-frame up direction over the first strides (the pelvis
//   oscillates about its mean running posture) is the neutral.
// - forward: the ground force points from the centre of pressure toward the
//   centre of mass, so just after each initial contact the body decelerates:
//   the mean horizontal acceleration over the early stance of many steps
//   points backward, while the left/right sway of left and right steps
//   cancels. Without insoles, forward is the principal horizontal axis of the
//   acceleration, signed so that braking (negative forward acceleration)
//   comes while the vertical force rises (early stance).

#include <Eigen/Geometry>
#include <cstddef>

#include "stridefuse/core/events.hpp"

namespace stridefuse::fusion {

struct MountingCalibrationConfig {
  double standing_min_s = 1.0;                  ///< a quiet start at least this long is a standing period
  double quiet_gyro_max_radps = 0.3;            ///< quiet: rotation rate below this
  double quiet_accel_tolerance_mps2 = 1.0;      ///< quiet: |accel| within this of g
  std::size_t braking_windows_needed = 8;       ///< steps whose stance gives a first forward (with insoles)
  std::size_t braking_windows_refined = 32;     ///< steps after which forward is refined once and fixed
  double motion_needed_s = 8.0;                 ///< movement that fixes forward without insoles
  double min_forward_strength = 0.3;            ///< |mean| / rms a forward estimate needs to be trusted
  /// Without a standing start the attitude estimate starts from the mean
  /// specific force since the start, and is within a few degrees once its
  /// accelerometer time constant has passed (AttitudeEstimatorConfig::
  /// accel_time_constant_s, 3 s): movement samples are used after this much movement.
  double settle_s = 3.0;
  double first_strides_up_s = 3.0;              ///< movement averaged for the neutral up without a standing start (several strides)
};

class MountingCalibration {
 public:
  /// Throws std::invalid_argument for non-positive durations or counts.
  explicit MountingCalibration(MountingCalibrationConfig config = {}, bool expect_steps = true);

  /// One pelvis sample: specific force (m/s^2) and rate (rad/s) in the sensor
  /// frame, the estimated sensor-to-earth orientation, and the time step.
  void add_sample(const Eigen::Vector3d& accel_mps2, const Eigen::Vector3d& gyro_radps,
                  const Eigen::Quaterniond& sensor_to_earth, double dt_s);

  /// True when the attitude estimate can be trusted for the calibration
  /// (after a standing start, or after settle_s of movement).
  bool settled() const { return standing_done_ && (has_standing() || motion_s_ >= config_.settle_s); }

  /// Mean horizontal linear acceleration (sensor frame) over the early
  /// (braking) stance of one step, less that of its late (propulsion) stance.
  /// Ignored until settled(); after the first calibration, windows are still
  /// taken until braking_windows_refined, when forward is recomputed once.
  void add_braking_window(const Eigen::Vector3d& mean_horizontal_accel_sensor_mps2);

  bool calibrated() const { return calibrated_; }
  /// True while add_braking_window() still uses what it is given.
  bool wants_braking_windows() const {
    return !calibrated_ || (from_braking_ && braking_windows_ < config_.braking_windows_refined);
  }
  /// standing when a quiet start defined the neutral, first_strides otherwise; none before.
  CalibrationSource source() const { return calibrated_ ? source_ : CalibrationSource::none; }
  /// True once a standing period at the start has been measured (before forward is known).
  bool has_standing() const { return standing_done_ && standing_s_ >= config_.standing_min_s; }

  /// Rotation taking pelvis-frame vectors (X anterior, Y left, Z superior,
  /// neutral posture) to sensor-frame vectors. Throws std::logic_error before calibration.
  Eigen::Matrix3d pelvis_to_sensor() const;

  /// Sensor-frame horizontal linear acceleration of a sample (helper for braking windows).
  static Eigen::Vector3d horizontal_linear_accel(const Eigen::Vector3d& accel_mps2,
                                                 const Eigen::Quaterniond& sensor_to_earth);

 private:
  void try_finish();
  void finish_with(const Eigen::Vector3d& up_s, const Eigen::Vector3d& forward_s, CalibrationSource source);

  MountingCalibrationConfig config_;
  bool expect_steps_;
  bool calibrated_ = false;
  CalibrationSource source_ = CalibrationSource::none;
  Eigen::Matrix3d pelvis_to_sensor_ = Eigen::Matrix3d::Identity();

  bool standing_done_ = false;
  double standing_s_ = 0.0;
  Eigen::Vector3d standing_accel_sum_ = Eigen::Vector3d::Zero();

  double motion_s_ = 0.0;
  double used_motion_s_ = 0.0;
  Eigen::Vector3d motion_up_sum_ = Eigen::Vector3d::Zero();
  Eigen::Matrix3d horizontal_cov_ = Eigen::Matrix3d::Zero();
  Eigen::Vector3d horizontal_times_vertical_rate_ = Eigen::Vector3d::Zero();
  bool have_vertical_ = false;
  double previous_vertical_mps2_ = 0.0;

  std::size_t braking_windows_ = 0;
  bool from_braking_ = false;
  Eigen::Vector3d up_s_ = Eigen::Vector3d::UnitZ();
  Eigen::Vector3d braking_sum_ = Eigen::Vector3d::Zero();
  double braking_sq_sum_ = 0.0;
};

}  // namespace stridefuse::fusion
