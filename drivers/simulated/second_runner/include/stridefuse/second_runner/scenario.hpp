#pragma once
// One run of the second runner model: the athlete, the sensors and their
// clocks (README.md beside this folder's src/ says where each range comes from).

#include <Eigen/Geometry>
#include <cstdint>

#include "stridefuse/core/events.hpp"

namespace stridefuse::second_runner {

/// A device's clock against true time: device time = offset + (1 + drift) * true time.
struct DeviceClock {
  double offset_s = 0.0;
  double drift_ppm = 0.0;
  double device_from_true(double t_s) const { return offset_s + (1.0 + drift_ppm * 1e-6) * t_s; }
  double true_from_device(double t_s) const { return (t_s - offset_s) / (1.0 + drift_ppm * 1e-6); }
};

/// Where `analyze` is told the speed: a treadmill's setting, or a footpod's stream (speed.csv).
enum class SpeedSource : std::uint8_t { treadmill, footpod };

struct Scenario {
  unsigned seed = 1;

  // The athlete.
  double body_mass_kg = 70.0;
  double com_height_m = 1.0;   ///< centre of mass above the ground, standing and mean running
  double foot_length_m = 0.27;
  double step_width_m = 0.08;  ///< lateral distance between the feet's long axes
  double speed_mps = 3.5;
  double step_time_s = 0.35;
  double contact_time_s = 0.23;
  StrikePattern pattern = StrikePattern::rearfoot;
  double strike_index_pct = 15.0;        ///< where the centre of pressure starts, % of the foot's length
  /// The virtual pivot point: above the centre of mass, and a little ahead
  /// (negative: behind) in the running direction. Where the foot lands
  /// follows from it: the placement that makes a stance's fore-aft impulse zero.
  double vpp_height_m = 0.2, vpp_offset_m = 0.0;
  // Step-to-step variability (standard deviations).
  double step_time_cv = 0.015, contact_time_cv = 0.03, vpp_offset_sd_m = 0.01, strike_index_sd_pct = 2.0;
  // Vertical force shape: impact transient (0 for none) and the active hump's exponents.
  double impact_ratio = 0.6, impact_peak_s = 0.025, rise_exponent = 1.5, fall_exponent = 1.4;

  // The pelvis (fusion/FRAMES.md angles; 0 standing).
  double tilt_running_deg = 4.0;  ///< mean anterior tilt running, against standing
  double tilt_amplitude_deg = 2.5, tilt_phase_rad = 0.0;
  double obliquity_amplitude_deg = 5.0, obliquity_harmonic = 0.25, obliquity_harmonic_phase_rad = 0.0;
  double rotation_amplitude_deg = 6.0;

  // The pelvis IMU.
  Eigen::Vector3d lever_arm_m{-0.14, 0.0, 0.02};  ///< sensor from the centre of mass, pelvis frame
  Eigen::Quaterniond mounting = Eigen::Quaterniond::Identity();  ///< sensor axes in the pelvis frame
  double wobble_hz = 16.0, wobble_damping = 0.3, wobble_peak_mps2 = 2.0;
  double imu_rate_hz = 200.0;
  double accel_noise_mps2 = 0.04, gyro_noise_radps = 0.004;
  Eigen::Vector3d accel_bias_mps2 = Eigen::Vector3d::Zero(), gyro_bias_radps = Eigen::Vector3d::Zero();
  double accel_lsb_mps2 = 16.0 * 9.80665 / 32768.0, gyro_lsb_radps = 2000.0 * 3.14159265358979 / 180.0 / 32768.0;
  double accel_range_mps2 = 16.0 * 9.80665;
  double pelvis_gap_start_s = 0.0, pelvis_gap_s = 0.0;  ///< true time; no gap when 0 long

  // The insoles.
  int insole_cells = 16;
  double insole_rate_hz = 100.0;
  double insole_scan_s = 0.002;  ///< the cells are read one after another over this time, from the frame's stamp
  double cell_saturation_kpa = 600.0;
  int adc_bits = 12;
  double cell_noise_kpa = 0.4;

  DeviceClock pelvis_clock, left_clock, right_clock;
  SpeedSource speed_source = SpeedSource::treadmill;
  double footpod_rate_hz = 1.0, footpod_scale_error = 0.0, footpod_noise = 0.01;

  // The session (true time): standing still, a ramp into running, steady running.
  double standing_s = 3.0, ramp_s = 1.5, running_s = 40.0;
  double duration_s() const { return standing_s + ramp_s + running_s; }
};

/// A scenario drawn from the ranges of the README ("Scenario ranges"): any
/// mounting, own clocks, 8-24 cells at 50-200 Hz, an IMU at 100-416 Hz;
/// `running_s` of steady running after the standing start and the ramp.
Scenario draw_scenario(unsigned seed, double running_s = 40.0);

}  // namespace stridefuse::second_runner
