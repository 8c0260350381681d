// `stridefuse simulate`: writes a synthetic recording of the simulated runner
// (the files of sdk/runtime/src/offline/FILES.md, each in its device's clock) with its ground truth.

#include <array>
#include <cstdint>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "command.hpp"
#include "stridefuse/fusion/drill_tracker.hpp"
#include "stridefuse/sim/drill_config.hpp"
#include "stridefuse/sim/recording_writer.hpp"
#include "stridefuse/sim/runner_config.hpp"

namespace stridefuse::cli {
namespace {

StrikePattern strike_pattern_from(const std::string& name) {
  if (name == "rearfoot") return StrikePattern::rearfoot;
  if (name == "midfoot") return StrikePattern::midfoot;
  if (name == "forefoot") return StrikePattern::forefoot;
  throw UsageError("--strike must be rearfoot, midfoot or forefoot, not '" + name + "'");
}

sim::SpeedSource speed_source_from(const std::string& name) {
  if (name == "none") return sim::SpeedSource::none;
  if (name == "treadmill") return sim::SpeedSource::treadmill;
  if (name == "stream") return sim::SpeedSource::stream;
  throw UsageError("--speed-source must be none, treadmill or stream, not '" + name + "'");
}

std::array<double, 3> three_angles_from(const std::string& text) {
  std::array<double, 3> out{};
  std::istringstream in(text);
  char comma = 0;
  if (!(in >> out[0] >> comma >> out[1]) || comma != ',' || !(in >> comma >> out[2]) || comma != ',' ||
      !(in >> std::ws).eof())
    throw UsageError("--mount needs ROLL,PITCH,YAW in degrees, e.g. 0,-90,0; got '" + text + "'");
  return out;
}

// --drill: a simulated drill set instead of a run (fusion/DRILLS.md), from its
// start to its end, with the runner's sensor files and truth_reps.csv.
int write_drill(const po::variables_map& vm, const std::string& exercise, const std::string& out_dir,
                std::uint64_t seed, const std::string& sensor_set) {
  sim::DrillSimConfig d;
  d.seed = seed;
  try {
    const auto drill = fusion::drill_config_from(
        exercise, vm.count("side") ? std::optional<std::string>(vm["side"].as<std::string>()) : std::nullopt,
        std::nullopt, vm.count("calibration-hinge") > 0);
    d.exercise = drill.exercise;
    d.side = drill.side;
    d.calibration_hinge = drill.calibration_hinge;
  } catch (const fusion::DrillSetupError& e) {
    throw UsageError(std::string("--drill: ") + e.what());
  }
  if (vm.count("reps")) d.reps = vm["reps"].as<std::uint32_t>();
  if (vm.count("tempo")) d.tempo_s = vm["tempo"].as<double>();
  try {
    d.sensors = sim::sensor_set_from(sensor_set);
    sim::validate(d);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  const auto summary = sim::write_simulated_drill_recording(d, out_dir);
  std::cout << "wrote " << summary.reps << " reps of " << exercise << " (" << summary.pelvis_samples
            << " pelvis samples) to " << out_dir << ":";
  for (const auto& f : summary.files) std::cout << " " << f;
  std::cout << "\n";
  return exit_ok;
}

}  // namespace

int run_simulate(const std::vector<std::string>& args) {
  sim::RunnerConfig c;
  std::string out_dir, strike = "rearfoot", speed_source = "treadmill", mount, sensor_set = "pelvis,left,right";
  double duration_s = 60.0, packet_loss = -1.0;
  std::size_t sensors = c.insoles.sensor_count;
  po::options_description options("simulate options");
  // clang-format off
  options.add_options()
      ("out", po::value(&out_dir)->required(), "directory to write the files into (created if missing)")
      ("duration", po::value(&duration_s)->default_value(duration_s), "session length, s")
      ("seed", po::value(&c.seed)->default_value(c.seed), "random seed: same seed, same files")
      ("speed", po::value(&c.speed_mps)->default_value(c.speed_mps), "running speed, m/s")
      ("cadence", po::value(&c.cadence_spm)->default_value(c.cadence_spm), "steps per minute")
      ("foot-strike-distance", po::value(&c.foot_strike_distance_m)->default_value(c.foot_strike_distance_m),
       "CoP ahead of the centre of mass at initial contact, m")
      ("strike", po::value(&strike)->default_value(strike), "strike pattern: rearfoot, midfoot or forefoot")
      ("tilt-offset", po::value(&c.tilt_offset_deg)->default_value(c.tilt_offset_deg),
       "mean anterior pelvic tilt while running, relative to standing, deg")
      ("tilt-amplitude", po::value(&c.tilt_amplitude_deg)->default_value(c.tilt_amplitude_deg), "tilt +- per step, deg")
      ("drop", po::value(&c.pelvic_drop_deg)->default_value(c.pelvic_drop_deg), "pelvic drop per stance, deg")
      ("rotation", po::value(&c.rotation_amplitude_deg)->default_value(c.rotation_amplitude_deg),
       "pelvic rotation +- per stride, deg")
      ("fsd-asymmetry", po::value(&c.foot_strike_distance_asymmetry_pct)->default_value(0.0),
       "foot-strike distance (L-R)/mean, %")
      ("drop-asymmetry", po::value(&c.pelvic_drop_asymmetry_pct)->default_value(0.0), "pelvic drop (L-R)/mean, %")
      ("drop-drift", po::value(&c.fatigue.pelvic_drop_deg_per_hour)->default_value(0.0), "fatigue: drop change, deg/h")
      ("fsd-drift", po::value(&c.fatigue.foot_strike_distance_m_per_hour)->default_value(0.0),
       "fatigue: foot-strike distance change, m/h")
      ("cadence-drift", po::value(&c.fatigue.cadence_spm_per_hour)->default_value(0.0),
       "fatigue: cadence change, steps/min per hour")
      ("tilt-drift", po::value(&c.fatigue.tilt_offset_deg_per_hour)->default_value(0.0),
       "fatigue: anterior tilt change, deg/h")
      ("standing", po::value(&c.standing_s)->default_value(c.standing_s), "quiet standing before running, s")
      ("walk", po::value(&c.walking_s)->default_value(c.walking_s),
       "walking after the standing, before running, s (inf: walks the whole session)")
      ("walking-speed", po::value(&c.walking.speed_mps)->default_value(c.walking.speed_mps), "walking speed, m/s")
      ("walking-cadence", po::value(&c.walking.cadence_spm)->default_value(c.walking.cadence_spm),
       "walking steps per minute")
      ("sensor-set", po::value(&sensor_set)->default_value(sensor_set),
       "the sensors that deliver: any of pelvis,left,right (comma separated)")
      ("body-mass", po::value(&c.body_mass_kg)->default_value(c.body_mass_kg), "kg")
      ("leg-length", po::value(&c.leg_length_m)->default_value(c.leg_length_m), "centre of mass to ground, m")
      ("pelvis-rate", po::value(&c.pelvis.rate_hz)->default_value(c.pelvis.rate_hz), "pelvis IMU rate, Hz (100-420)")
      ("insole-rate", po::value(&c.insoles.rate_hz)->default_value(c.insoles.rate_hz), "insole rate, Hz")
      ("sensors", po::value(&sensors)->default_value(sensors), "pressure sensors per insole (8-24)")
      ("insole-imu", po::bool_switch(&c.insoles.with_imu), "add an IMU to each insole (columns ax..gz)")
      ("mount", po::value(&mount), "pelvis IMU mounting ROLL,PITCH,YAW, deg (sensor to pelvis; default 0,-90,0)")
      ("speed-source", po::value(&speed_source)->default_value(speed_source),
       "none, treadmill (constant, no file) or stream (speed.csv)")
      ("packet-loss", po::value(&packet_loss), "probability of losing a BLE packet, all devices (default per device)")
      ("drill", po::value<std::string>(), "a drill set instead of a run: bridge, single-leg-rdl, donkey-kick, "
                                          "banded-hip-extension, running-man or pigeon (with --side, --reps, --tempo)")
      ("side", po::value<std::string>(), "drill: the working side, left, right or both")
      ("reps", po::value<std::uint32_t>(), "drill: reps in the set (default 10)")
      ("tempo", po::value<double>(), "drill: one rep out and back, s (default: the exercise's)")
      ("calibration-hinge", "drill (bridge, single-leg-rdl): open the set with one hinge on both feet, not a rep");
  // clang-format on
  const auto vm = parse_command_line("simulate", "--out DIR [options]", options, args);
  if (!vm) return exit_ok;
  if (vm->count("drill")) return write_drill(*vm, (*vm)["drill"].as<std::string>(), out_dir, c.seed, sensor_set);
  for (const char* drill_only : {"side", "reps", "tempo", "calibration-hinge"})
    if (vm->count(drill_only)) throw UsageError(std::string("--") + drill_only + " goes with --drill");

  c.strike_pattern = strike_pattern_from(strike);
  c.speed_source = speed_source_from(speed_source);
  c.insoles.sensor_count = sensors;
  try {
    c.sensors = sim::sensor_set_from(sensor_set);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--sensor-set: ") + e.what());
  }
  if (!mount.empty()) c.pelvis.mount_roll_pitch_yaw_deg = three_angles_from(mount);
  if (vm->count("packet-loss")) {
    if (!(packet_loss >= 0.0 && packet_loss < 1.0)) throw UsageError("--packet-loss must be in [0, 1)");
    for (auto* clock : {&c.pelvis.clock, &c.insoles.left_clock, &c.insoles.right_clock, &c.speed_stream.clock})
      clock->packet_loss = packet_loss;
  }
  try {
    sim::validate(c);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  if (!(duration_s > 0.0 && duration_s <= 24.0 * 3600.0)) throw UsageError("--duration must be more than 0 and at most 86400 s");

  const auto summary = sim::write_simulated_recording(c, duration_s, out_dir);
  std::cout << "wrote " << summary.pelvis_samples << " pelvis samples and " << summary.steps << " steps to "
            << out_dir << ":";
  for (const auto& f : summary.files) std::cout << " " << f;
  std::cout << "\n";
  return exit_ok;
}

}  // namespace stridefuse::cli
