#pragma once
// The sacral IMU: its position and attitude from the body's motion, specific
// force and rate of turn at the model's rate, then sampled as a device would
// (README.md, "Pelvis IMU").

#include <Eigen/Core>
#include <vector>

#include "stridefuse/second_runner/body_motion.hpp"

namespace stridefuse::second_runner {

/// The sensor on the fine grid, without noise: session-frame position and
/// attitude (sensor to session), specific force and rate of turn in the sensor frame.
struct SensorPath {
  std::vector<Eigen::Vector3d> position_m;
  std::vector<Eigen::Matrix3d> attitude;
  std::vector<Eigen::Vector3d> specific_force_mps2, rate_radps;
};
SensorPath sensor_path(const Scenario& scenario, const Motion& motion);

struct ImuSamples {
  std::vector<double> device_t_s;                 ///< on the IMU's clock
  std::vector<Eigen::Vector3d> accel_mps2, gyro_radps;
};
/// Sampled at the IMU's rate on its clock: averaged over each sample's
/// interval (the device's anti-alias filter), noise, bias, saturation,
/// quantisation; samples of the gap left out.
ImuSamples sample_imu(const Scenario& scenario, const Motion& motion, const SensorPath& path);

}  // namespace stridefuse::second_runner
