#include "stridefuse/second_runner/scenario.hpp"

#include <array>
#include <cmath>
#include <random>

namespace stridefuse::second_runner {

Scenario draw_scenario(unsigned seed, double running_s) {
  Scenario sc;
  sc.seed = seed;
  sc.running_s = running_s;
  std::mt19937 random(seed);
  const auto uniform = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(random); };
  const auto normal = [&](double sd) { return std::normal_distribution<double>(0.0, sd)(random); };
  const auto pick = [&](const auto& values) {
    return values[std::uniform_int_distribution<std::size_t>(0, values.size() - 1)(random)];
  };

  sc.body_mass_kg = uniform(55.0, 85.0);
  sc.com_height_m = uniform(0.92, 1.05);
  sc.foot_length_m = uniform(0.24, 0.29);
  sc.step_width_m = uniform(0.05, 0.12);
  sc.speed_mps = uniform(2.5, 5.5);
  sc.step_time_s = 60.0 / std::clamp(160.0 + 8.0 * (sc.speed_mps - 2.5) + normal(5.0), 152.0, 196.0);
  sc.pattern = pick(std::array{StrikePattern::rearfoot, StrikePattern::midfoot, StrikePattern::forefoot});
  const double pattern_factor = sc.pattern == StrikePattern::rearfoot ? 1.05 : sc.pattern == StrikePattern::forefoot ? 0.95 : 1.0;
  sc.contact_time_s = std::min(0.245 * std::pow(3.5 / sc.speed_mps, 0.75) * uniform(0.9, 1.1) * pattern_factor,
                               sc.step_time_s - 0.05);
  switch (sc.pattern) {
    case StrikePattern::rearfoot:
      sc.strike_index_pct = uniform(8.0, 24.0);
      sc.impact_ratio = uniform(0.5, 0.9);
      sc.impact_peak_s = uniform(0.02, 0.035);
      break;
    case StrikePattern::midfoot:
      sc.strike_index_pct = uniform(40.0, 58.0);
      sc.impact_ratio = uniform(0.1, 0.3);
      sc.impact_peak_s = uniform(0.015, 0.025);
      break;
    default:
      sc.strike_index_pct = uniform(72.0, 84.0);
      sc.impact_ratio = 0.0;
      break;
  }
  sc.rise_exponent = uniform(1.3, 1.9);
  sc.fall_exponent = uniform(1.2, 1.7);
  sc.vpp_offset_m = uniform(-0.04, 0.04);
  sc.vpp_height_m = uniform(0.05, 0.30);

  sc.tilt_running_deg = uniform(2.0, 8.0);
  sc.tilt_amplitude_deg = uniform(1.5, 4.0);
  sc.tilt_phase_rad = uniform(0.0, 6.283);
  sc.obliquity_amplitude_deg = uniform(3.0, 8.0);
  sc.obliquity_harmonic = uniform(0.0, 0.35);
  sc.obliquity_harmonic_phase_rad = uniform(0.0, 6.283);
  sc.rotation_amplitude_deg = uniform(3.0, 9.0);

  sc.lever_arm_m = {uniform(-0.16, -0.10), uniform(-0.015, 0.015), uniform(-0.03, 0.07)};
  sc.mounting = Eigen::Quaterniond(Eigen::Vector4d(normal(1.0), normal(1.0), normal(1.0), normal(1.0)).normalized());
  sc.wobble_hz = uniform(12.0, 22.0);
  sc.wobble_damping = uniform(0.2, 0.45);
  sc.wobble_peak_mps2 = uniform(1.0, 4.0);
  sc.imu_rate_hz = pick(std::array{100.0, 104.0, 128.0, 200.0, 208.0, 256.0, 400.0, 416.0});
  sc.accel_noise_mps2 = uniform(0.02, 0.08);
  sc.gyro_noise_radps = uniform(0.002, 0.008);
  sc.accel_bias_mps2 = {normal(0.08), normal(0.08), normal(0.08)};
  sc.gyro_bias_radps = {normal(0.005), normal(0.005), normal(0.005)};

  sc.insole_cells = std::uniform_int_distribution<int>(8, 24)(random);
  sc.insole_rate_hz = pick(std::array{50.0, 60.0, 64.0, 80.0, 100.0, 120.0, 128.0, 150.0, 200.0});
  sc.insole_scan_s = uniform(0.0005, 0.003);
  sc.cell_saturation_kpa = uniform(350.0, 800.0);
  sc.adc_bits = pick(std::array{8, 10, 12});
  sc.cell_noise_kpa = uniform(0.2, 1.0);

  sc.pelvis_clock = {uniform(0.0, 1000.0), uniform(-50.0, 50.0)};
  sc.left_clock = {sc.pelvis_clock.offset_s + uniform(-60.0, 60.0), uniform(-100.0, 100.0)};
  sc.right_clock = {sc.pelvis_clock.offset_s + uniform(-60.0, 60.0), uniform(-100.0, 100.0)};
  sc.speed_source = uniform(0.0, 1.0) < 0.5 ? SpeedSource::treadmill : SpeedSource::footpod;
  sc.footpod_rate_hz = 2.0;
  sc.footpod_scale_error = std::clamp(normal(0.01), -0.025, 0.025);
  if (uniform(0.0, 1.0) < 0.35) {
    sc.pelvis_gap_start_s = uniform(sc.standing_s + sc.ramp_s + 10.0, sc.duration_s() - 10.0);
    sc.pelvis_gap_s = uniform(0.1, 0.6);
  }
  return sc;
}

}  // namespace stridefuse::second_runner
