#pragma once
// The simulated runners of issue 3's scenario matrix (speed, cadence,
// foot-strike distance, strike pattern, pelvic drop, asymmetry, mounting and
// lever arm, pelvis rate, insole sensor count, speed source), shared by the
// engine accuracy benchmark and the sensor-subset benchmark.

#include <functional>
#include <string>
#include <vector>

#include "stridefuse/core/units.hpp"
#include "stridefuse/sim/runner_config.hpp"

namespace stridefuse::bench {

struct Scenario {
  std::string name;
  std::function<void(sim::RunnerConfig&)> edit;
};

inline void insole_imu_only(sim::RunnerConfig& c) {
  c.insoles.with_imu = true;
  c.speed_source = sim::SpeedSource::none;
}

inline std::vector<Scenario> scenarios() {
  using sim::RunnerConfig;
  return {
      {"default: rearfoot 3.5 m/s 170 spm d=0.27", [](RunnerConfig&) {}},
      {"slow 2.5 m/s 152 spm d=0.20", [](RunnerConfig& c) { c.speed_mps = 2.5; c.cadence_spm = 152; c.foot_strike_distance_m = 0.20; }},
      // 150 steps/min is 0.4 s a step, exactly 40 samples of a 100 Hz insole:
      // without stride-to-stride variability every contact falls at one phase.
      {"phase-locked: 150 spm on 100 Hz insoles", [](RunnerConfig& c) {
         c.speed_mps = 2.5; c.cadence_spm = 150; c.foot_strike_distance_m = 0.20; }},
      {"fast 5.0 m/s 190 spm d=0.15 midfoot", [](RunnerConfig& c) {
         c.speed_mps = 5.0; c.cadence_spm = 190; c.foot_strike_distance_m = 0.15; c.strike_pattern = StrikePattern::midfoot; }},
      {"fast 4.5 m/s 180 spm d=0.30 rearfoot", [](RunnerConfig& c) { c.speed_mps = 4.5; c.cadence_spm = 180; c.foot_strike_distance_m = 0.30; }},
      // In the spring-mass model the contact length follows the foot-strike
      // distance: at 0.03 m a forefoot stride does not exist and a midfoot one
      // at 3 m/s lasts 59 ms at 9 body weights (shorter than a contact the
      // detector accepts); a slow rearfoot one is the least extreme (0.11 s, 4.6 BW).
      {"under the body d=0.03 rearfoot 2.5 m/s 180 spm", [](RunnerConfig& c) {
         c.foot_strike_distance_m = 0.03; c.speed_mps = 2.5; c.cadence_spm = 180; }},
      {"d=0.08 midfoot 3.0 m/s 165 spm", [](RunnerConfig& c) {
         c.foot_strike_distance_m = 0.08; c.strike_pattern = StrikePattern::midfoot; c.speed_mps = 3.0; c.cadence_spm = 165; }},
      {"forefoot d=0.12 4.0 m/s 175 spm", [](RunnerConfig& c) {
         c.foot_strike_distance_m = 0.12; c.strike_pattern = StrikePattern::forefoot; c.speed_mps = 4.0; c.cadence_spm = 175; }},
      {"overstrider d=0.30 2.8 m/s 155 spm", [](RunnerConfig& c) { c.foot_strike_distance_m = 0.30; c.speed_mps = 2.8; c.cadence_spm = 155; }},
      {"pelvic drop 2 deg", [](RunnerConfig& c) { c.pelvic_drop_deg = 2.0; }},
      {"pelvic drop 12 deg", [](RunnerConfig& c) { c.pelvic_drop_deg = 12.0; }},
      {"asymmetric: d +30 %, drop +40 %", [](RunnerConfig& c) {
         c.foot_strike_distance_asymmetry_pct = 30.0; c.pelvic_drop_asymmetry_pct = 40.0; c.obliquity_offset_deg = 1.5; }},
      {"asymmetric: d -25 %, drop -60 %, midfoot", [](RunnerConfig& c) {
         c.foot_strike_distance_asymmetry_pct = -25.0; c.pelvic_drop_asymmetry_pct = -60.0; c.strike_pattern = StrikePattern::midfoot;
         c.foot_strike_distance_m = 0.18; }},
      {"mount tilted (35,20,-120), arm (-0.15,0,0.10)", [](RunnerConfig& c) {
         c.pelvis.mount_roll_pitch_yaw_deg = {35.0, 20.0, -120.0}; c.pelvis.lever_arm_m = {-0.15, 0.0, 0.10}; }},
      {"mount upside down (180,0,90), arm (-0.08,0.04,0)", [](RunnerConfig& c) {
         c.pelvis.mount_roll_pitch_yaw_deg = {180.0, 0.0, 90.0}; c.pelvis.lever_arm_m = {-0.08, 0.04, 0.0}; }},
      {"mount on the side (90,0,0), arm (-0.05,0.15,0.02)", [](RunnerConfig& c) {
         c.pelvis.mount_roll_pitch_yaw_deg = {90.0, 0.0, 0.0}; c.pelvis.lever_arm_m = {-0.05, 0.15, 0.02}; }},
      {"pelvis IMU 100 Hz", [](RunnerConfig& c) { c.pelvis.rate_hz = 100.0; }},
      {"pelvis IMU 400 Hz", [](RunnerConfig& c) { c.pelvis.rate_hz = 400.0; }},
      {"insoles 8 sensors", [](RunnerConfig& c) { c.insoles.sensor_count = 8; }},
      {"insoles 24 sensors, forefoot d=0.10", [](RunnerConfig& c) {
         c.insoles.sensor_count = 24; c.strike_pattern = StrikePattern::forefoot; c.foot_strike_distance_m = 0.10; }},
      {"insoles 10 sensors, speed stream 1 Hz", [](RunnerConfig& c) {
         c.insoles.sensor_count = 10; c.speed_source = sim::SpeedSource::stream; }},
      {"no standing start (neutral = running posture)", [](RunnerConfig& c) { c.standing_s = 0.0; c.tilt_offset_deg = 0.0; }},
      {"combined: 100 Hz, 8 sensors, tilted, 4.5 m/s", [](RunnerConfig& c) {
         c.pelvis.rate_hz = 100.0; c.insoles.sensor_count = 8; c.pelvis.mount_roll_pitch_yaw_deg = {-30.0, 60.0, 45.0};
         c.speed_mps = 4.5; c.cadence_spm = 185; c.foot_strike_distance_m = 0.22; c.pelvic_drop_deg = 9.0; }},
      // No treadmill setting and no speed stream: speed only from the insoles'
      // IMUs (stride integration with zero-velocity updates), with the
      // simulator's IMU noise and gyro bias.
      {"insole IMU speed: default 3.5 m/s 170 spm", [](RunnerConfig& c) { insole_imu_only(c); }},
      {"insole IMU speed: 2.5 m/s 152 spm d=0.20", [](RunnerConfig& c) {
         insole_imu_only(c); c.speed_mps = 2.5; c.cadence_spm = 152; c.foot_strike_distance_m = 0.20; }},
      {"insole IMU speed: 3.0 m/s 165 spm midfoot d=0.08", [](RunnerConfig& c) {
         insole_imu_only(c); c.speed_mps = 3.0; c.cadence_spm = 165; c.foot_strike_distance_m = 0.08;
         c.strike_pattern = StrikePattern::midfoot; }},
      // The simulated forefoot strike turns the foot at up to 35 rad/s and
      // lands at over 16 g: a +-4000 deg/s, +-32 g IMU at 200 Hz (with a
      // +-2000 deg/s part every stride is clipped: step length absent, degraded_input).
      {"insole IMU speed: 4.0 m/s forefoot, 200 Hz 4000 dps", [](RunnerConfig& c) {
         insole_imu_only(c); c.speed_mps = 4.0; c.cadence_spm = 175; c.foot_strike_distance_m = 0.12;
         c.strike_pattern = StrikePattern::forefoot; c.insoles.rate_hz = 200.0;
         c.insoles.imu_noise.gyro_range_radps = rad_from_deg(4000.0);
         c.insoles.imu_noise.accel_range_mps2 = 32.0 * standard_gravity_mps2; }},
      {"insole IMU speed: 5.0 m/s 190 spm midfoot d=0.15", [](RunnerConfig& c) {
         insole_imu_only(c); c.speed_mps = 5.0; c.cadence_spm = 190; c.foot_strike_distance_m = 0.15;
         c.strike_pattern = StrikePattern::midfoot; }},
      {"insole IMU speed: 5.0 m/s midfoot, 200 Hz insoles", [](RunnerConfig& c) {
         insole_imu_only(c); c.speed_mps = 5.0; c.cadence_spm = 190; c.foot_strike_distance_m = 0.15;
         c.strike_pattern = StrikePattern::midfoot; c.insoles.rate_hz = 200.0; }},
      {"insole IMU speed: 4.5 m/s 160 spm asymmetric d +30 %", [](RunnerConfig& c) {
         insole_imu_only(c); c.speed_mps = 4.5; c.cadence_spm = 160; c.foot_strike_distance_asymmetry_pct = 30.0; }},
  };
}

}  // namespace stridefuse::bench
