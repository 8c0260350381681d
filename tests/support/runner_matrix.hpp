#pragma once
// A seeded randomised scenario of our own simulated runner
// (drivers/simulated/runner), written as its files on their own device
// clocks and analysed by analyze_recording, scored against the simulator's
// truth (matrix_figures.hpp). Shared by tests/benchmarks/runner_matrix_bench.cpp
// and its short version in the suite (tests/drivers/runner_matrix_short_test.cpp);
// the draws are listed at the top of the benchmark.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "matrix_figures.hpp"
#include "stridefuse/core/units.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/sim/recording_writer.hpp"
#include "stridefuse/sim/runner_simulation.hpp"
#include "stridefuse/sim/simulated_device_clock.hpp"

namespace stridefuse::runner_matrix {

enum class SpeedFrom : std::uint8_t { treadmill, footpod, insole_imu };

struct Scenario {
  unsigned seed = 0;
  sim::RunnerConfig config;
  double duration_s = 0.0;  ///< standing, then running
  SpeedFrom speed_from = SpeedFrom::treadmill;
  int redraws = 0;  ///< gaits drawn again (no stride, or not a human one: draw_scenario)
  /// A stretch of the pelvis file with no rows (session time, s): a link
  /// that dropped out. Cut from the written file, so the truth is untouched.
  double pelvis_gap_start_s = 0.0, pelvis_gap_s = 0.0;
  double contact_s = 0.0, peak_force_bw = 0.0;  ///< the drawn gait's, as the model runs it
};

/// A speed file shares the pelvis file's clock (sdk/runtime/src/offline/FILES.md): the footpod's is put on it.
/// `all`: the insoles' too (every file on one clock).
inline void put_on_pelvis_clock(sim::RunnerConfig& c, bool all) {
  for (auto* clock : {&c.speed_stream.clock, all ? &c.insoles.left_clock : nullptr, all ? &c.insoles.right_clock : nullptr})
    if (clock) clock->offset_s = c.pelvis.clock.offset_s, clock->drift_ppm = c.pelvis.clock.drift_ppm;
}

/// The gaits kept: contact time and peak vertical force within those of human running.
constexpr double min_contact_s = 0.14, max_peak_force_bw = 3.5;

/// Draws from one seed, in the order asked.
class Draws {
 public:
  explicit Draws(unsigned seed) : random_(seed) {}
  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(random_); }
  double gauss(double sd) { return std::normal_distribution<double>(0.0, sd)(random_); }
  std::size_t integer(std::size_t lo, std::size_t hi) { return std::uniform_int_distribution<std::size_t>(lo, hi)(random_); }
  template <class T, std::size_t N>
  T one_of(const std::array<T, N>& values) { return values[integer(0, N - 1)]; }

 private:
  std::mt19937 random_;
};

// What the matrix drew later (a pelvis gap, a 416 Hz IMU) comes from a
// second stream of the seed, so that every scenario drawn before keeps its
// body, sensors and gait (the suite's short test names seeds by them).
inline void draw_later_additions(Scenario& sc) {
  Draws draw(sc.seed * 2654435761u + 97u);
  if (draw.uniform(0.0, 1.0) < 0.125) sc.config.pelvis.rate_hz = 416.0;
  const double start_lo = sc.config.standing_s + 10.0, start_hi = sc.duration_s - 10.0;
  if (draw.uniform(0.0, 1.0) < 1.0 / 3.0 && start_hi > start_lo) {
    sc.pelvis_gap_start_s = draw.uniform(start_lo, start_hi);
    sc.pelvis_gap_s = draw.uniform(0.1, 0.6);
  }
}

inline Scenario draw_scenario(unsigned seed, double running_s) {
  Scenario sc;
  sc.seed = seed;
  Draws draw(seed);
  sim::RunnerConfig& c = sc.config;
  c.seed = seed;
  sc.duration_s = c.standing_s + running_s;
  // Body, pelvic motion, the sensor's place and the clocks: uniform in [lo, hi].
  auto& p = c.pelvis;
  auto& m = p.mount_roll_pitch_yaw_deg;
  for (auto [field, lo, hi] : {std::tuple{&c.body_mass_kg, 55.0, 85.0}, {&c.leg_length_m, 0.88, 1.02},
                               {&c.tilt_offset_deg, 0.0, 8.0}, {&c.tilt_amplitude_deg, 1.5, 4.0},
                               {&c.pelvic_drop_deg, 3.0, 10.0}, {&c.rotation_amplitude_deg, 3.0, 9.0},
                               {&c.obliquity_offset_deg, -1.5, 1.5}, {&m[0], -180.0, 180.0}, {&m[2], -180.0, 180.0},
                               {&p.lever_arm_m[0], -0.16, -0.08}, {&p.lever_arm_m[1], -0.03, 0.03},
                               {&p.lever_arm_m[2], -0.03, 0.10}, {&p.clock.offset_s, 60.0, 1000.0},
                               {&p.clock.drift_ppm, -50.0, 50.0}, {&c.speed_stream.rate_hz, 1.0, 4.0}})
    *field = draw.uniform(lo, hi);
  // Any orientation: roll and yaw uniform, the pitch's sine uniform (a uniform rotation).
  m[1] = deg_from_rad(std::asin(draw.uniform(-1.0, 1.0)));
  p.rate_hz = draw.one_of(std::array{100.0, 104.0, 128.0, 200.0, 208.0, 256.0, 400.0});
  c.insoles.sensor_count = draw.integer(8, 24);
  c.insoles.rate_hz = draw.one_of(std::array{50.0, 60.0, 64.0, 80.0, 100.0, 120.0, 128.0, 150.0, 200.0});
  for (auto* insole : {&c.insoles.left_clock, &c.insoles.right_clock}) {
    insole->offset_s = p.clock.offset_s + draw.uniform(-60.0, 60.0);
    insole->drift_ppm = draw.uniform(-100.0, 100.0);
  }

  sc.speed_from = draw.one_of(std::array{SpeedFrom::treadmill, SpeedFrom::footpod, SpeedFrom::insole_imu});
  c.speed_source = sc.speed_from == SpeedFrom::treadmill ? sim::SpeedSource::treadmill
                   : sc.speed_from == SpeedFrom::footpod ? sim::SpeedSource::stream
                                                         : sim::SpeedSource::none;
  put_on_pelvis_clock(c, false);
  if (sc.speed_from == SpeedFrom::insole_imu) {
    // A forefoot strike turns the foot at up to 35 rad/s: a +-4000 deg/s, +-32 g part.
    c.insoles.with_imu = true;
    c.insoles.imu_noise.gyro_range_radps = rad_from_deg(4000.0);
    c.insoles.imu_noise.accel_range_mps2 = 32.0 * standard_gravity_mps2;
  }

  // The gait last: drawn again while the spring-mass model has no stride for
  // it, or only one no runner has (its contact time and peak force are
  // outcomes: a forefoot strike 6 cm ahead lasts 61 ms). The contact's
  // length follows the foot-strike distance whatever the pattern: the speed
  // and pattern are kept, cadence and foot-strike distance drawn again.
  c.speed_mps = draw.uniform(2.5, 5.5);
  c.strike_pattern = draw.one_of(std::array{StrikePattern::rearfoot, StrikePattern::midfoot, StrikePattern::forefoot});
  for (;;) {
    c.cadence_spm = std::clamp(160.0 + 8.0 * (c.speed_mps - 2.5) + draw.gauss(5.0), 152.0, 196.0);
    c.foot_strike_distance_m = draw.uniform(0.05, 0.40);
    try {
      sim::RunnerSimulation probe(c);
      probe.advance_to(probe.running_start_s() + 1.5, [](const sim::SimulatedSample&) {});
      const auto steps = probe.completed_steps();
      if (steps.empty()) throw std::logic_error("runner matrix: no step in the probe's first 1.5 s");
      sc.contact_s = steps.back().contact_time_s;
      sc.peak_force_bw = steps.back().peak_vertical_force_bw;
      if (sc.contact_s >= min_contact_s && sc.peak_force_bw <= max_peak_force_bw) {
        draw_later_additions(sc);
        return sc;
      }
    } catch (const std::invalid_argument&) {
    }
    if (++sc.redraws > 1000) throw std::logic_error("runner matrix: no runnable gait drawn");
  }
}

inline const char* speed_name(SpeedFrom s) {
  return s == SpeedFrom::treadmill ? "treadmill" : s == SpeedFrom::footpod ? "footpod" : "insole IMU";
}

/// One line: what was drawn.
inline std::string describe(const Scenario& sc) {
  const auto& c = sc.config;
  const auto& m = c.pelvis.mount_roll_pitch_yaw_deg;
  char speed[32] = "";
  if (sc.speed_from == SpeedFrom::footpod) std::snprintf(speed, sizeof speed, " %.1f Hz", c.speed_stream.rate_hz);
  char text[320];
  std::snprintf(text, sizeof text,
                "seed %u: %s, %.2f m/s %.0f spm, FSD %.0f cm (contact %.0f ms, %.1f BW), %zu cells %.0f Hz, "
                "IMU %.0f Hz mounted (%.0f,%.0f,%.0f), %s%s, %.0f kg%s%s",
                sc.seed, to_string(c.strike_pattern), c.speed_mps, c.cadence_spm, 100.0 * c.foot_strike_distance_m,
                1e3 * sc.contact_s, sc.peak_force_bw, c.insoles.sensor_count, c.insoles.rate_hz, c.pelvis.rate_hz, m[0],
                m[1], m[2], speed_name(sc.speed_from), speed, c.body_mass_kg,
                sc.redraws ? (", " + std::to_string(sc.redraws) + " gait(s) redrawn").c_str() : "",
                sc.pelvis_gap_s > 0.0 ? (", pelvis gap " + std::to_string(int(1e3 * sc.pelvis_gap_s)) + " ms").c_str() : "");
  return text;
}

/// A true step on the pelvis file's clock: what matrix_figures.hpp scores.
struct TruthStep {
  Side side = Side::left;
  double ic_s = 0.0, to_s = 0.0;
  StrikePattern strike_pattern = StrikePattern::unknown;
  double strike_index_pct = 0.0;
  double foot_strike_distance_m = 0.0, step_length_m = 0.0, tilt_ic_deg = 0.0, obliquity_ic_deg = 0.0;
};

/// The simulator's truth for a configuration: every step on the pelvis
/// file's clock and each device's clock, from a second run of the same
/// deterministic simulation (truth_steps.csv leaves the step length out
/// without a treadmill or speed stream, as with the insole IMU's speed).
class Truth {
 public:
  Truth(const sim::RunnerConfig& config, double duration_s) : sim_(config) {
    sim_.advance_to(duration_s, [](const sim::SimulatedSample&) {});
    const auto& pelvis = sim_.device_clock(sim::RunnerSimulation::pelvis_stream);
    for (const auto& s : sim_.completed_steps())
      steps_.push_back({s.side, pelvis.device_time_s(s.t_ic_s), pelvis.device_time_s(s.t_to_s), s.strike_pattern,
                        s.strike_index_pct, s.foot_strike_distance_m, s.step_length_m, s.tilt_ic_deg,
                        s.obliquity_ic_deg});
  }
  const std::vector<TruthStep>& steps() const { return steps_; }
  /// How far each insole's found clock is from its true one at session time `t_s`, s.
  std::vector<double> clock_errors(const std::vector<ClockAlignment>& alignments, double t_s) const {
    return scoring::clock_errors(alignments, t_s, sim_.device_clock(sim::RunnerSimulation::pelvis_stream),
                                 sim_.device_clock(sim::RunnerSimulation::left_insole_stream),
                                 sim_.device_clock(sim::RunnerSimulation::right_insole_stream),
                                 [](const sim::SimulatedDeviceClock& clock, double t) { return clock.device_time_s(t); });
  }

 private:
  sim::RunnerSimulation sim_;
  std::vector<TruthStep> steps_;
};

inline AnalysisInputs analysis_inputs(const std::filesystem::path& dir, const Scenario& sc, bool same_clock) {
  AnalysisInputs in;
  in.pelvis_csv = dir / "pelvis.csv";
  in.left_csv = dir / "left.csv";
  in.left_layout = dir / "left_layout.json";
  in.right_csv = dir / "right.csv";
  in.right_layout = dir / "right_layout.json";
  in.same_clock = same_clock;
  if (sc.speed_from == SpeedFrom::treadmill) in.speed_mps = sc.config.speed_mps;
  if (sc.speed_from == SpeedFrom::footpod) in.speed_csv = dir / "speed.csv";
  in.body_mass_kg = sc.config.body_mass_kg;
  return in;
}

/// One scenario's figures: its files on their own clocks (aligned from the
/// data), and with every file on the pelvis's clock analysed as such
/// (same_clock) and aligned from the data (the clock figure: the offset found, truth 0).
struct ScenarioFigures {
  scoring::Figures own, one;
  std::optional<std::string> own_refused;  ///< the alignment's message when it refused the own-clock files
};

/// Removes the scenario's pelvis gap from the pelvis file written in `dir`
/// (its first column is the pelvis device's time).
inline void cut_pelvis_gap(const Scenario& sc, const std::filesystem::path& dir) {
  if (!(sc.pelvis_gap_s > 0.0)) return;
  const sim::SimulatedDeviceClock clock(sc.config.pelvis.clock, sc.config.seed);  // its time mapping needs no seed
  const double from = clock.device_time_s(sc.pelvis_gap_start_s);
  const double to = clock.device_time_s(sc.pelvis_gap_start_s + sc.pelvis_gap_s);
  const auto path = dir / "pelvis.csv";
  std::ifstream in(path);
  std::ostringstream kept;
  std::string line;
  for (bool header = true; std::getline(in, line); header = false) {
    const double t = header ? NAN : std::strtod(line.c_str(), nullptr);
    if (header || !(t >= from && t < to)) kept << line << '\n';
  }
  in.close();
  std::ofstream(path, std::ios::trunc) << kept.str();
}

inline ScenarioFigures run_scenario(const Scenario& sc, const std::filesystem::path& dir) {
  ScenarioFigures out;
  const double mid_s = 0.5 * sc.duration_s;
  sim::write_simulated_recording(sc.config, sc.duration_s, dir / "own");
  cut_pelvis_gap(sc, dir / "own");
  const Truth own_truth(sc.config, sc.duration_s);
  try {
    const auto result = analyze_recording(analysis_inputs(dir / "own", sc, false));
    out.own = scoring::measure(result, own_truth.steps());
    out.own.clock_s = own_truth.clock_errors(result.alignments, mid_s);
  } catch (const ClockAlignmentError& e) {
    out.own.true_steps = own_truth.steps().size();
    out.own_refused = e.what();
  }

  Scenario one = sc;
  put_on_pelvis_clock(one.config, true);
  sim::write_simulated_recording(one.config, one.duration_s, dir / "one");
  cut_pelvis_gap(one, dir / "one");
  const Truth one_truth(one.config, one.duration_s);
  out.one = scoring::measure(analyze_recording(analysis_inputs(dir / "one", one, true)), one_truth.steps());
  try {
    out.one.clock_s = one_truth.clock_errors(analyze_recording(analysis_inputs(dir / "one", one, false)).alignments, mid_s);
  } catch (const ClockAlignmentError&) {
    out.one.clock_s.push_back(NAN);
  }
  return out;
}

}  // namespace stridefuse::runner_matrix
