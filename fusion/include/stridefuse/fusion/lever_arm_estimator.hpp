#pragma once
// Where the pelvis sensor sits relative to the centre of mass (CoM), learnt
// from the flight phases of running, so that the per-step metrics can use the
// CoM's acceleration instead of the sensor's.
//
// Why: a sacral sensor is some 5-15 cm behind and above or below the CoM.
// As the pelvis tilts and rotates through the stride, that lever arm adds
// alpha x r + omega x (omega x r) to the sensor's acceleration, about 1 m/s^2
// at running frequencies: it shifts the instant where the forward acceleration
// turns from braking to propulsion by several ms, i.e. several cm of
// foot-strike distance.
//
// What it rests on: in flight (both feet off the ground, known from the
// insoles) the only external force is gravity, so the CoM's specific force is
// zero and the accelerometer reads only the rotational terms of the lever arm
// (the pelvis treated as a rigid body carrying the sensor and the CoM, which
// is approximate: the legs swing). Least squares over many flights, with a
// constant accelerometer offset as a further unknown, gives r in the sensor
// frame. A weak prior (ridge, sigma 0.2 m) keeps directions the flights do not
// excite at zero.

#include <cstddef>
#include <optional>

#include <Eigen/Core>

namespace stridefuse::fusion {

class LeverArmEstimator {
 public:
  /// Acceleration of a point at `r_m` from the rotation centre: alpha x r + omega x (omega x r).
  static Eigen::Vector3d rotational_acceleration(const Eigen::Vector3d& r_m, const Eigen::Vector3d& omega_radps,
                                                 const Eigen::Vector3d& alpha_radps2);

  /// One sample taken in flight: accelerometer (specific force, m/s^2),
  /// angular rate (rad/s) and angular acceleration (rad/s^2), all in the
  /// sensor frame. Non-finite values are ignored.
  void add_flight_sample(const Eigen::Vector3d& accel_mps2, const Eigen::Vector3d& omega_radps,
                         const Eigen::Vector3d& alpha_radps2);

  /// Sensor position relative to the CoM, sensor frame, m; std::nullopt until
  /// `min_samples` flight samples have been seen.
  std::optional<Eigen::Vector3d> lever_arm_m() const;

  std::size_t samples() const { return samples_; }

  static constexpr std::size_t min_samples = 400;

 private:
  Eigen::Matrix<double, 6, 6> normal_ = Eigen::Matrix<double, 6, 6>::Zero();
  Eigen::Matrix<double, 6, 1> rhs_ = Eigen::Matrix<double, 6, 1>::Zero();
  std::size_t samples_ = 0;
  mutable std::optional<Eigen::Vector3d> cached_;
  mutable std::size_t cached_at_ = 0;
};

}  // namespace stridefuse::fusion
