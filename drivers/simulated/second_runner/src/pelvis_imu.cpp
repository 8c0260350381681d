#include "stridefuse/second_runner/pelvis_imu.hpp"

#include <Eigen/Geometry>
#include <cmath>
#include <random>

#include "stridefuse/core/units.hpp"

namespace stridefuse::second_runner {

SensorPath sensor_path(const Scenario& sc, const Motion& motion) {
  const std::size_t n = motion.size();
  const double dt = motion.dt_s;
  SensorPath path;
  path.position_m.resize(n);
  path.attitude.resize(n);
  path.specific_force_mps2.resize(n);
  path.rate_radps.resize(n);

  // Soft tissue: after each touchdown the sensor rings on the skin, a damped
  // oscillation mostly along the body's long axis, its size growing with the
  // impact. Displacement amplitude from the peak acceleration: a = x w^2.
  const double omega = 2.0 * pi * sc.wobble_hz;
  const double omega_d = omega * std::sqrt(1.0 - sc.wobble_damping * sc.wobble_damping);
  const double amplitude_m = sc.wobble_peak_mps2 * (0.5 + sc.impact_ratio) / (omega * omega);
  const Eigen::Vector3d wobble_direction = Eigen::Vector3d(0.25, 0.0, 1.0).normalized();
  constexpr double wobble_tilt_rad_per_m = 10.0;  // the skin tilts 0.5 deg (0.009 rad) as the sensor travels 0.9 mm
  const Eigen::Matrix3d mounting = sc.mounting.toRotationMatrix();
  std::size_t first_stance = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = motion.time_s(i);
    while (first_stance < motion.stances.size() && motion.stances[first_stance].touchdown_s < t - 0.5) ++first_stance;
    double wobble_m = 0.0;
    for (std::size_t k = first_stance; k < motion.stances.size() && motion.stances[k].touchdown_s < t; ++k) {
      const double tau = t - motion.stances[k].touchdown_s;
      const double w = motion.running_weight[std::min(n - 1, static_cast<std::size_t>(motion.stances[k].touchdown_s / dt))];
      wobble_m += w * amplitude_m * std::exp(-sc.wobble_damping * omega * tau) * std::sin(omega_d * tau);
    }
    const Eigen::Matrix3d pelvis = pelvis_orientation(motion.pelvis_deg[i]);
    path.position_m[i] = motion.com_m[i] + pelvis * sc.lever_arm_m + wobble_m * wobble_direction;
    path.attitude[i] = pelvis * Eigen::AngleAxisd(wobble_tilt_rad_per_m * wobble_m, Eigen::Vector3d::UnitY()) * mounting;
  }
  const Eigen::Vector3d up_g(0.0, 0.0, gravity_mps2);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t a = i > 0 ? i - 1 : 0, b = std::min(n - 1, i + 1);
    const std::size_t c = a == i ? i + 1 : (b == i ? i - 1 : i);  // the ends take their neighbour's second difference
    const std::size_t lo = c - 1, hi = c + 1;
    const Eigen::Vector3d accel = (path.position_m[hi] - 2.0 * path.position_m[c] + path.position_m[lo]) / (dt * dt);
    path.specific_force_mps2[i] = path.attitude[i].transpose() * (accel + up_g);
    const Eigen::AngleAxisd turn(path.attitude[a].transpose() * path.attitude[b]);
    path.rate_radps[i] = turn.axis() * turn.angle() / (double(b - a) * dt);
  }
  return path;
}

ImuSamples sample_imu(const Scenario& sc, const Motion& motion, const SensorPath& path) {
  ImuSamples out;
  std::mt19937 random(sc.seed * 104729u + 3u);
  std::normal_distribution<double> unit(0.0, 1.0);
  const double dt = motion.dt_s;
  const double period_dev_s = 1.0 / sc.imu_rate_hz;
  const double end_s = motion.time_s(motion.size() - 1);
  const auto quantise = [](double x, double lsb) { return std::round(x / lsb) * lsb; };
  // The first tick one sample after the model's start, so its averaging interval lies inside the run.
  const double first_dev_s = sc.pelvis_clock.device_from_true(period_dev_s * 1.5);
  for (std::size_t k = 0;; ++k) {
    const double t_dev = first_dev_s + double(k) * period_dev_s;
    const double t = sc.pelvis_clock.true_from_device(t_dev);
    if (t >= end_s) break;
    if (sc.pelvis_gap_s > 0.0 && t >= sc.pelvis_gap_start_s && t < sc.pelvis_gap_start_s + sc.pelvis_gap_s) continue;
    // The mean over the sample's interval: the device's filter ahead of decimation.
    const double start = t - period_dev_s;
    const auto i0 = static_cast<std::size_t>(std::ceil(start / dt)), i1 = static_cast<std::size_t>(std::floor(t / dt));
    Eigen::Vector3d f = Eigen::Vector3d::Zero(), w = Eigen::Vector3d::Zero();
    for (std::size_t i = i0; i <= i1; ++i) {
      f += path.specific_force_mps2[i];
      w += path.rate_radps[i];
    }
    f /= double(i1 - i0 + 1);
    w /= double(i1 - i0 + 1);
    for (int c = 0; c < 3; ++c) {
      f[c] = std::clamp(f[c] + sc.accel_bias_mps2[c] + sc.accel_noise_mps2 * unit(random), -sc.accel_range_mps2,
                        sc.accel_range_mps2);
      f[c] = quantise(f[c], sc.accel_lsb_mps2);
      w[c] = quantise(w[c] + sc.gyro_bias_radps[c] + sc.gyro_noise_radps * unit(random), sc.gyro_lsb_radps);
    }
    out.device_t_s.push_back(t_dev);
    out.accel_mps2.push_back(f);
    out.gyro_radps.push_back(w);
  }
  return out;
}

}  // namespace stridefuse::second_runner
