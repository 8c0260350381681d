#pragma once
// Running speed from the IMU inside an insole: strapdown integration of the
// foot sensor from one stance to the next, with zero-velocity updates (ZUPT).
//
// What it rests on: while the foot is flat on the ground it does not move, so
// every stance gives the integrator a velocity it knows (zero) and a direction
// of gravity (the mean specific force). Between two such intervals the sensor
// is integrated (attitude from the gyro, specific force rotated to a Z-up
// navigation frame, gravity removed, velocity, position); the velocity it has
// gathered at the next zero-velocity interval is its error, removed linearly
// over the stride (the error of a slowly drifting attitude and bias grows
// steadily, the standard de-drifting). The foot's horizontal displacement
// between the two foot-flat positions is the stride length; over the time
// between the two stances' initial contacts it is the speed of that stride.
//
// Zero-velocity samples: the insole's own pressure says the foot is on the
// ground (between initial contact and toe-off), the gyro confirms the foot is
// not rolling (|rate - bias| below `still_gyro_radps`: the heel rocker and
// heel-off are loaded but rotating) and the accelerometer that it is not
// accelerating (|specific force| within `still_accel_mps2` of g). The gyro bias is averaged over those
// samples, the tilt reset from their mean specific force.

#include <cstdint>
#include <array>
#include <optional>
#include <vector>

#include <Eigen/Core>
#include <Eigen/Geometry>

#include "stridefuse/core/metric.hpp"

namespace stridefuse::fusion {

struct FootStrideIntegratorConfig {
  /// Largest angular rate (bias removed) of a foot at rest on the ground.
  /// Loaded but rolling (heel rocker, heel-off) turns faster than this; a
  /// flat foot's sensor moves at rate x its distance from the pivot (~0.1 m),
  /// i.e. below 0.1 m/s under this threshold.
  double still_gyro_radps = 1.0;
  /// Largest difference between |specific force| and g of a foot at rest
  /// (the impact still rings for a few tens of ms after a short contact's IC).
  /// The insole's contact may start a little early, and a landing foot can
  /// turn slowly while it still moves fast; it decelerates then, at several g.
  double still_accel_mps2 = 5.0;
  /// A stride with no zero-velocity interval for longer than this is dropped
  /// (the integrated error grows with the square of the time).
  double max_stride_s = 2.5;
  /// A longer interval between samples is not integrated across: the stride
  /// in progress becomes degraded. Set it to ~2.5 sample periods: a landing
  /// is over in ~30 ms, so even two lost samples spoil a stride.
  double max_gap_s = 0.025;
  /// Time constant of the gyro bias average, counted in zero-velocity time.
  double bias_time_constant_s = 1.0;
  /// Full scale the IMU declares for ax, ay, az (m/s^2) and gx, gy, gz
  /// (rad/s) (ChannelDescriptor::full_scale): a reading whose magnitude
  /// reaches it is clipped. A channel without one is never taken as clipped.
  std::array<std::optional<double>, 6> full_scale{};
};

/// One stride of one foot, from a stance's zero-velocity interval to the next.
struct FootStride {
  double t_start_s = 0.0;  ///< initial contact of the stance the stride starts from
  double t_end_s = 0.0;    ///< initial contact of the stance it ends in
  Metric length_m;         ///< horizontal distance travelled by the foot; absent(degraded_input) if the IMU was invalid
  Metric speed_mps;        ///< length_m / (t_end_s - t_start_s), absent with the same reason
};

/// What the last sample given to update() was.
enum class FootImuSampleQuality : std::uint8_t { ok, non_finite, saturated };

class FootStrideIntegrator {
 public:
  /// Throws std::invalid_argument when a threshold or time is not finite and positive.
  explicit FootStrideIntegrator(FootStrideIntegratorConfig config = {});

  /// One IMU sample in the sensor's own axes: specific force (m/s^2) and
  /// angular rate (rad/s). `contact_ic_s` is the initial contact time of the
  /// ground contact in progress according to the insole's pressure, or
  /// std::nullopt while the foot is in the air. Returns the stride that this
  /// sample completes (the first zero-velocity sample of a stance), if any.
  /// A non-finite value or a clipped reading (a magnitude at or beyond the
  /// channel's declared full scale, FootStrideIntegratorConfig::full_scale)
  /// is skipped and makes the stride in progress degraded; so does a gap
  /// longer than max_gap_s. A sample not later than the previous one is ignored.
  std::optional<FootStride> update(double t_s, const Eigen::Vector3d& accel_mps2, const Eigen::Vector3d& gyro_radps,
                                   std::optional<double> contact_ic_s);

  FootImuSampleQuality last_sample_quality() const { return last_quality_; }
  /// True once a first zero-velocity interval has given the tilt.
  bool initialised() const { return initialised_; }
  /// The last sample was a zero-velocity sample.
  bool at_rest() const { return at_rest_; }
  /// Sensor frame to a Z-up navigation frame (heading arbitrary).
  const Eigen::Quaterniond& orientation() const { return orientation_; }
  const Eigen::Vector3d& gyro_bias_radps() const { return gyro_bias_radps_; }

 private:
  bool clipped(const Eigen::Vector3d& accel, const Eigen::Vector3d& gyro) const;
  void propagate(double dt_s, const Eigen::Vector3d& accel, const Eigen::Vector3d& omega);
  std::optional<FootStride> end_stride(double t_s, std::optional<double> contact_ic_s);
  void start_stride(double t_s);

  struct VelocityAt {
    double t_s;
    Eigen::Vector3d velocity_mps;
  };

  FootStrideIntegratorConfig config_;
  FootImuSampleQuality last_quality_ = FootImuSampleQuality::ok;
  bool initialised_ = false;
  bool at_rest_ = false;
  bool have_previous_ = false;
  double previous_t_s_ = 0.0;
  Eigen::Vector3d previous_omega_ = Eigen::Vector3d::Zero();
  Eigen::Vector3d previous_linear_mps2_ = Eigen::Vector3d::Zero();
  Eigen::Quaterniond orientation_ = Eigen::Quaterniond::Identity();
  Eigen::Vector3d gyro_bias_radps_ = Eigen::Vector3d::Zero();
  Eigen::Vector3d velocity_mps_ = Eigen::Vector3d::Zero();
  // Zero-velocity interval in progress: its mean specific force (navigation
  // frame) gives the tilt when it ends; its initial contact starts the next stride.
  Eigen::Vector3d rest_force_sum_ = Eigen::Vector3d::Zero();
  std::size_t rest_samples_ = 0;
  std::optional<double> rest_ic_s_;
  // Stride in progress: started at the end of the last zero-velocity interval.
  bool in_stride_ = false;
  bool stride_degraded_ = false;
  double stride_start_s_ = 0.0;
  std::optional<double> stride_start_ic_s_;
  std::vector<VelocityAt> stride_velocity_;
};

}  // namespace stridefuse::fusion
