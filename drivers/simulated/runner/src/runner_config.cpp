#include "stridefuse/sim/runner_config.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace stridefuse::sim {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("simulated runner: " + what);
}

bool within(double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; }

std::string range(const char* name, double lo, double hi, const char* unit) {
  std::ostringstream s;
  s << name << " must be " << lo << " to " << hi << " " << unit;
  return s.str();
}

void check_noise(const ImuNoiseConfig& n, const std::string& who) {
  require(within(n.accel_noise_mps2, 0.0, 10.0), who + " accelerometer noise must be 0 to 10 m/s^2");
  require(within(n.gyro_noise_radps, 0.0, 1.0), who + " gyro noise must be 0 to 1 rad/s");
  require(within(n.gyro_bias_radps, 0.0, 1.0), who + " gyro bias must be 0 to 1 rad/s");
  require(within(n.accel_range_mps2, 20.0, 2000.0), who + " accelerometer range must be 20 to 2000 m/s^2");
  require(within(n.gyro_range_radps, 1.0, 100.0), who + " gyro range must be 1 to 100 rad/s");
}

}  // namespace

double strike_point_fraction(StrikePattern pattern) {
  switch (pattern) {
    case StrikePattern::rearfoot: return 0.15;
    case StrikePattern::midfoot: return 0.48;
    case StrikePattern::forefoot: return 0.76;
    case StrikePattern::unknown: break;
  }
  throw std::invalid_argument("simulated runner: strike pattern must be rearfoot, midfoot or forefoot");
}

SensorSet sensor_set_from(const std::string& names) {
  SensorSet set{false, false, false};
  std::size_t start = 0;
  bool any = false;
  while (start <= names.size()) {
    const std::size_t comma = std::min(names.find(',', start), names.size());
    const std::string name = names.substr(start, comma - start);
    bool* slot = name == "pelvis" ? &set.pelvis : name == "left" ? &set.left_insole : name == "right" ? &set.right_insole
                                                                                                       : nullptr;
    if (!slot) throw std::invalid_argument("sensor set: '" + name + "' is not pelvis, left or right (in '" + names + "')");
    if (*slot) throw std::invalid_argument("sensor set: '" + name + "' is named twice (in '" + names + "')");
    *slot = any = true;
    start = comma + 1;
  }
  if (!any) throw std::invalid_argument("sensor set is empty");
  return set;
}

void validate(const RunnerConfig& c) {
  require(within(c.body_mass_kg, 20.0, 200.0), range("body mass", 20, 200, "kg"));
  require(within(c.leg_length_m, 0.5, 1.3), range("leg length", 0.5, 1.3, "m"));
  require(within(c.speed_mps, 1.5, 8.0), range("speed", 1.5, 8, "m/s"));
  require(within(c.cadence_spm, 120.0, 240.0), range("cadence", 120, 240, "steps/min"));
  require(within(c.foot_strike_distance_m, -0.1, 0.6), range("foot-strike distance", -0.1, 0.6, "m"));
  strike_point_fraction(c.strike_pattern);
  require(within(c.tilt_offset_deg, -30.0, 30.0), range("tilt offset", -30, 30, "deg"));
  require(within(c.tilt_amplitude_deg, 0.0, 20.0), range("tilt amplitude", 0, 20, "deg"));
  require(within(c.pelvic_drop_deg, 0.0, 25.0), range("pelvic drop", 0, 25, "deg"));
  require(within(c.rotation_amplitude_deg, 0.0, 30.0), range("rotation amplitude", 0, 30, "deg"));
  require(within(c.obliquity_offset_deg, -15.0, 15.0), range("obliquity offset", -15, 15, "deg"));
  require(within(c.foot_strike_distance_asymmetry_pct, -50.0, 50.0),
          range("foot-strike distance asymmetry", -50, 50, "%"));
  require(within(c.pelvic_drop_asymmetry_pct, -100.0, 100.0), range("pelvic drop asymmetry", -100, 100, "%"));
  // Fast enough for issue 15's fatigue finding, defined on a change within
  // two minutes (3 deg of drop or tilt, 4 cm of foot-strike distance: 90 deg/h,
  // 1.2 m/h), with room to spare; the ranges the drift may reach are checked
  // as it goes (gait_timeline.cpp).
  require(within(c.fatigue.pelvic_drop_deg_per_hour, -240.0, 240.0), range("pelvic drop drift", -240, 240, "deg/h"));
  require(within(c.fatigue.foot_strike_distance_m_per_hour, -3.0, 3.0),
          range("foot-strike distance drift", -3, 3, "m/h"));
  require(within(c.fatigue.cadence_spm_per_hour, -40.0, 40.0), range("cadence drift", -40, 40, "steps/min/h"));
  require(within(c.fatigue.tilt_offset_deg_per_hour, -240.0, 240.0), range("tilt drift", -240, 240, "deg/h"));
  require(within(c.standing_s, 0.0, 600.0), range("standing time", 0, 600, "s"));
  require(c.walking_s >= 0.0 && !std::isnan(c.walking_s), "walking time must be 0 s or more (inf: walks throughout)");
  const auto& w = c.walking;
  require(within(w.speed_mps, 0.3, 2.5), range("walking speed", 0.3, 2.5, "m/s"));
  require(within(w.cadence_spm, 60.0, 160.0), range("walking cadence", 60, 160, "steps/min"));
  require(within(w.duty_factor, 0.52, 0.8), range("walking duty factor", 0.52, 0.8, ""));
  require(within(w.foot_strike_fraction, 0.0, 1.0), range("walking foot-strike fraction", 0, 1, "of a step"));
  require(within(w.braking_force_bw, 0.0, 0.5), range("walking braking force", 0, 0.5, "body weights"));
  require(within(w.heel_impact_bw, 0.0, 0.5), range("walking heel impact", 0, 0.5, "body weights"));
  require(within(w.tilt_offset_deg, -30.0, 30.0), range("walking tilt offset", -30, 30, "deg"));
  require(within(w.tilt_amplitude_deg, 0.0, 20.0), range("walking tilt amplitude", 0, 20, "deg"));
  require(within(w.pelvic_drop_deg, 0.0, 25.0), range("walking pelvic drop", 0, 25, "deg"));
  require(within(w.rotation_amplitude_deg, 0.0, 30.0), range("walking rotation amplitude", 0, 30, "deg"));
  require(within(w.rotation_lag_stride, 0.0, 1.0), range("walking rotation lag", 0, 1, "strides"));
  require(c.sensors.pelvis || c.sensors.left_insole || c.sensors.right_insole,
          "at least one sensor (pelvis, left or right insole) must deliver");

  require(within(c.pelvis.rate_hz, 100.0, 420.0), range("pelvis IMU rate", 100, 420, "Hz"));
  for (double a : c.pelvis.mount_roll_pitch_yaw_deg) require(within(a, -360.0, 360.0), "mounting angles must be finite degrees");
  for (double a : c.pelvis.lever_arm_m) require(within(a, -0.5, 0.5), "lever arm components must be within +-0.5 m");
  check_noise(c.pelvis.noise, "pelvis IMU");
  require(within(c.pelvis.wobble_amplitude_mps2, 0.0, 50.0), range("wobble amplitude", 0, 50, "m/s^2"));
  require(within(c.pelvis.wobble_frequency_hz, 1.0, 60.0), range("wobble frequency", 1, 60, "Hz"));
  require(within(c.pelvis.wobble_decay_s, 0.001, 1.0), range("wobble decay", 0.001, 1, "s"));

  const auto& in = c.insoles;
  require(within(in.rate_hz, 20.0, 1000.0), range("insole rate", 20, 1000, "Hz"));
  require(within(in.foot_length_mm, 150.0, 350.0), range("foot length", 150, 350, "mm"));
  if (in.sensors.empty()) {
    require(in.sensor_count >= 8 && in.sensor_count <= 24, "insole sensor count must be 8 to 24");
  } else {
    require(in.sensors.size() >= 8 && in.sensors.size() <= 24, "an insole layout must have 8 to 24 sensors");
    for (const auto& s : in.sensors)
      require(within(s.x_mm, 0.0, in.foot_length_mm) && within(s.y_mm, -80.0, 80.0) && within(s.area_mm2, 1e-3, 5000.0),
              "insole sensor sites must lie on the foot (0 <= x <= length, |y| <= 80 mm) with a positive area");
  }
  require(within(in.baseline_kpa, 0.0, 100.0), range("insole baseline", 0, 100, "kPa"));
  require(within(in.noise_kpa, 0.0, 100.0), range("insole noise", 0, 100, "kPa"));
  require(within(in.saturation_kpa, 50.0, 5000.0), range("insole saturation", 50, 5000, "kPa"));
  check_noise(in.imu_noise, "insole IMU");

  require(within(c.speed_stream.rate_hz, 0.1, 100.0), range("speed stream rate", 0.1, 100, "Hz"));
  require(within(c.speed_stream.noise_mps, 0.0, 2.0), range("speed stream noise", 0, 2, "m/s"));
}

}  // namespace stridefuse::sim
