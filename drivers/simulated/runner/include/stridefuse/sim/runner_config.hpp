#pragma once
// Parameters of the simulated runner: body, gait, pelvis motion, sensors and
// their clocks. Every field has a documented default that gives a plausible
// recreational runner at 3.5 m/s; validate() rejects what the model cannot run.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/core/stream.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::sim {

/// How a device keeps time and how its samples reach the host.
/// Device clock reading = offset_s + (1 + drift_ppm * 1e-6) * session time.
struct DeviceClockConfig {
  double offset_s = 0.0;               ///< device clock reading at session time 0; must be >= 0
  double drift_ppm = 0.0;              ///< positive: the device clock runs fast
  double tick_rate_hz = 1000.0;        ///< counter increments per device second
  unsigned tick_bits = 32;             ///< the counter wraps at 2^tick_bits (8..64)
  double connection_interval_s = 0.0;  ///< BLE connection interval (7.5-50 ms); 0 = wired, sent at once
  double latency_s = 0.002;            ///< fixed delay from sending to host arrival
  double latency_jitter_s = 0.001;     ///< extra delay, uniform in [0, jitter], per packet
  double packet_loss = 0.0;            ///< probability that one packet (one connection event) is lost
};

/// Noise and range of a 6-axis IMU.
struct ImuNoiseConfig {
  double accel_noise_mps2 = 0.05;     ///< white noise, standard deviation per sample
  double gyro_noise_radps = 0.004;    ///< white noise, standard deviation per sample
  double gyro_bias_radps = 0.01;      ///< constant bias per axis, drawn from the seed in [-b, b]
  double accel_range_mps2 = 16.0 * standard_gravity_mps2;  ///< readings saturate at +-range
  double gyro_range_radps = 34.9;     ///< +-2000 deg/s
};

/// The IMU on the sacrum.
struct PelvisImuConfig {
  double rate_hz = 200.0;  ///< 100-420 Hz (416 Hz parts included)
  /// Sensor-to-pelvis mounting rotation R = Rz(yaw) Ry(pitch) Rx(roll), degrees.
  /// Default: clipped on the back of a waistband, sensor x up, y left, z backward.
  std::array<double, 3> mount_roll_pitch_yaw_deg{0.0, -90.0, 0.0};
  /// Sensor position relative to the centre of mass, pelvis frame (X anterior, Y left, Z up), metres.
  std::array<double, 3> lever_arm_m{-0.12, 0.0, 0.05};
  ImuNoiseConfig noise;
  /// Soft-tissue wobble after each initial contact: a damped oscillation of the sensor on the skin.
  double wobble_amplitude_mps2 = 4.0;  ///< for a rearfoot strike; less for midfoot/forefoot
  double wobble_frequency_hz = 18.0;
  double wobble_decay_s = 0.03;
  DeviceClockConfig clock{3.7, 35.0, 1.0e6, 32, 0.015, 0.002, 0.001, 0.001};
};

/// The two pressure insoles (same model both feet; each has its own clock).
struct InsoleConfig {
  double rate_hz = 100.0;
  std::size_t sensor_count = 16;  ///< 8-24; used when `sensors` is empty
  double foot_length_mm = 265.0;
  /// Sensor layout in the foot frame (fusion/FRAMES.md); empty = a default layout of sensor_count sites.
  std::vector<PressureSensorSite> sensors;
  double baseline_kpa = 3.0;     ///< mean unloaded offset; each sensor's offset is drawn in [0, 2*baseline]
  double noise_kpa = 1.5;        ///< white noise, standard deviation per reading
  double saturation_kpa = 600.0; ///< readings clip here
  bool with_imu = false;         ///< add ax..gz of an IMU under the midfoot (foot frame axes)
  ImuNoiseConfig imu_noise;
  DeviceClockConfig left_clock{61.0, -80.0, 1000.0, 16, 0.030, 0.002, 0.002, 0.003};
  DeviceClockConfig right_clock{17.5, 120.0, 1000.0, 16, 0.045, 0.002, 0.002, 0.003};
};

enum class SpeedSource : std::uint8_t {
  none,       ///< no speed information at all
  treadmill,  ///< a constant known speed (the treadmill setting), no stream
  stream,     ///< a footpod-like stream of the current stride speed
};

struct SpeedStreamConfig {
  double rate_hz = 1.0;
  double noise_mps = 0.03;
  DeviceClockConfig clock{0.0, 20.0, 1000.0, 32, 0.0, 0.05, 0.01, 0.0};
};

/// Walking (fusion/METRICS.md, "Gait mode"): the model of walking_stride.hpp.
/// The runner walks for RunnerConfig::walking_s after standing, then runs.
struct WalkingConfig {
  double speed_mps = 1.3;
  double cadence_spm = 110.0;           ///< steps per minute
  double duty_factor = 0.62;            ///< stance / stride time; above 0.5: double support
  /// The heel lands this fraction of a step length ahead of the centre of mass.
  double foot_strike_fraction = 0.45;
  double braking_force_bw = 0.2;        ///< peak horizontal ground force under a foot
  /// Heel-strike transient: gives the jump of about 3 m/s^2 in the lower
  /// back's vertical acceleration at each contact seen in the mobgap recordings.
  double heel_impact_bw = 0.3;
  double tilt_offset_deg = 1.0;         ///< mean extra anterior tilt
  double tilt_amplitude_deg = 1.5;      ///< +- about the mean, one cycle per step
  double pelvic_drop_deg = 4.0;         ///< swing-side drop in the first half of each stance
  double rotation_amplitude_deg = 4.0;  ///< +- about neutral, one cycle per stride
  /// The landing side keeps moving forward after its contact and is furthest
  /// forward this fraction of a stride later: measured on the real lower-back
  /// recordings of ../shared/data/mobgap (the yaw rate crosses zero about a
  /// third of a stride after each contact).
  double rotation_lag_stride = 0.3;
};

/// Which of the runner's sensors deliver (the others are not in the session).
struct SensorSet {
  bool pelvis = true;
  bool left_insole = true;
  bool right_insole = true;
};

/// Slow change of the runner's form over the session (per hour of running).
struct FatigueConfig {
  double pelvic_drop_deg_per_hour = 0.0;
  double foot_strike_distance_m_per_hour = 0.0;
  double cadence_spm_per_hour = 0.0;
  double tilt_offset_deg_per_hour = 0.0;
};

struct RunnerConfig {
  std::uint64_t seed = 1;

  // Body.
  double body_mass_kg = 70.0;
  double leg_length_m = 0.95;  ///< centre of mass to centre of pressure with the leg unloaded

  // Gait.
  double speed_mps = 3.5;
  double cadence_spm = 170.0;
  /// Horizontal distance from the centre of mass to the centre of pressure at initial contact (fusion/METRICS.md).
  double foot_strike_distance_m = 0.27;
  StrikePattern strike_pattern = StrikePattern::rearfoot;

  // Pelvis (angles of fusion/FRAMES.md, relative to the neutral standing posture).
  double tilt_offset_deg = 4.0;         ///< mean extra anterior tilt while running
  double tilt_amplitude_deg = 2.5;      ///< +- about the mean, one cycle per step
  double pelvic_drop_deg = 6.0;         ///< swing-side drop per stance (fusion/FRAMES.md definition)
  double rotation_amplitude_deg = 5.0;  ///< +- about neutral, one cycle per stride
  double obliquity_offset_deg = 0.0;    ///< constant obliquity while running (e.g. leg-length difference)

  /// Left/right asymmetry, (L - R) / mean * 100 %.
  double foot_strike_distance_asymmetry_pct = 0.0;
  double pelvic_drop_asymmetry_pct = 0.0;

  FatigueConfig fatigue;

  double standing_s = 5.0;  ///< quiet standing before the first step; the neutral posture
  /// Walking after the standing, before running (infinity: walks the whole
  /// session, 0: runs at once). Walking steps follow `walking`; fatigue and
  /// asymmetry apply to running only.
  double walking_s = 0.0;
  WalkingConfig walking;
  SensorSet sensors;

  PelvisImuConfig pelvis;
  InsoleConfig insoles;
  SpeedSource speed_source = SpeedSource::treadmill;
  SpeedStreamConfig speed_stream;
};

/// Throws std::invalid_argument naming the first parameter out of range.
void validate(const RunnerConfig& config);

/// A sensor set from a comma-separated list of "pelvis", "left", "right"
/// (e.g. "pelvis,left"). Throws std::invalid_argument naming an unknown or
/// repeated name, or an empty list.
SensorSet sensor_set_from(const std::string& names);

/// Where the centre of pressure lands, as a fraction of foot length from the heel,
/// for a strike pattern (rearfoot 0.15, midfoot 0.48, forefoot 0.76).
/// Throws std::invalid_argument for StrikePattern::unknown.
double strike_point_fraction(StrikePattern pattern);

}  // namespace stridefuse::sim
