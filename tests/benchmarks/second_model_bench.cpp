// `analyze` on the second runner model (drivers/simulated/second_runner), a
// runner built apart from the simulator the estimators were written with:
// a seeded randomised matrix of athletes and sensors, every figure of issue 11
// against its target, per scenario and pooled; '!' marks a missed target.
// Each scenario is analysed three times: its files on their own clocks
// (aligned from the data), the same run with every file on the pelvis's
// clock (--same-clock), and those one-clock files aligned from the data (the
// offset found should be 0).
//
//   second_model_bench [scenarios=24] [running seconds=40] [first seed=1]
//
// The files go to a directory of this process under $TMPDIR (two runs at
// once do not share them); with STRIDEFUSE_KEEP_FILES set they are kept and
// the directory is printed, for `stridefuse analyze` by hand.

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "../support/matrix_figures.hpp"
#include "../support/second_runner_inputs.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/second_runner/recording.hpp"

using namespace stridefuse;
using scoring::Figures;
using scoring::measure;
using scoring::print_header;
using scoring::print_row;

namespace {

// How far each insole's found clock is from its true one, at the middle of the run, s.
std::vector<double> clock_errors(const std::vector<ClockAlignment>& alignments, const second_runner::Scenario& sc) {
  return scoring::clock_errors(alignments, 0.5 * sc.duration_s(), sc.pelvis_clock, sc.left_clock, sc.right_clock,
                               [](const auto& clock, double t_s) { return clock.device_from_true(t_s); });
}

}  // namespace

int main(int argc, char** argv) {
  const int scenarios = argc > 1 ? std::atoi(argv[1]) : 24;
  const double running_s = argc > 2 ? std::atof(argv[2]) : 40.0;
  const unsigned first_seed = argc > 3 ? unsigned(std::atoi(argv[3])) : 1u;
  const auto dir =
      std::filesystem::temp_directory_path() / ("stridefuse-second-model-bench-" + std::to_string(getpid()));
  std::printf("second runner model: %d scenarios from seed %u, 3 s standing, 1.5 s ramp, %.0f s running each;\n", scenarios,
              first_seed, running_s);
  std::printf("truth: the model's vertical force crossing 20 N; 'own clocks' aligned from the data, 'one clock' --same-clock;\n");
  std::printf("clock: own clocks, the found insole clock's error at mid-run; one clock, the offset found from the data (truth 0)\n\n");
  Figures pooled_own, pooled_one;
  std::size_t refused = 0;
  for (int k = 0; k < scenarios; ++k) {
    const unsigned seed = first_seed + unsigned(k);
    auto sc = second_runner::draw_scenario(seed, running_s);
    const auto rec = second_runner::write_recording(sc, dir / "own");
    double truth_fsd_m = 0.0;
    for (const auto& c : rec.contacts) truth_fsd_m += c.foot_strike_distance_m / double(rec.contacts.size());
    const char* pattern = sc.pattern == StrikePattern::rearfoot ? "rear" : sc.pattern == StrikePattern::midfoot ? "mid" : "fore";
    // A footpod's scale error passes into step length whole (1 % of a 1.5 m step is 1.5 cm): printed so
    // that a step length row can be read against it.
    char speed[48];
    if (sc.speed_source == second_runner::SpeedSource::treadmill)
      std::snprintf(speed, sizeof speed, "treadmill");
    else
      std::snprintf(speed, sizeof speed, "footpod %.0f Hz scale %+.1f %%", sc.footpod_rate_hz, 100.0 * sc.footpod_scale_error);
    std::printf("seed %u: %s, %.2f m/s, true FSD %.0f cm, pivot %+.1f cm ahead %.0f cm up, %d cells %.0f Hz, IMU %.0f Hz, %s, %.0f kg%s\n",
                seed, pattern, sc.speed_mps, 100.0 * truth_fsd_m, 100.0 * sc.vpp_offset_m, 100.0 * sc.vpp_height_m, sc.insole_cells, sc.insole_rate_hz, sc.imu_rate_hz,
                speed, sc.body_mass_kg,
                sc.pelvis_gap_s > 0.0 ? (", pelvis gap " + std::to_string(int(1e3 * sc.pelvis_gap_s)) + " ms").c_str() : "");
    if (k == 0) print_header();
    Figures own;
    try {
      const auto result = analyze_recording(second_runner::analysis_inputs(rec, sc, false));
      own = measure(result, rec.contacts);
      own.clock_s = clock_errors(result.alignments, sc);
      print_row("  own clocks", own);
    } catch (const ClockAlignmentError& e) {
      ++refused;
      own.true_steps = rec.contacts.size();
      std::printf("  own clocks: alignment refused: %.100s\n", e.what());
    }
    pooled_own.add(own);
    sc.left_clock = sc.right_clock = sc.pelvis_clock;
    const auto one_rec = second_runner::write_recording(sc, dir / "one");
    const auto one_result = analyze_recording(second_runner::analysis_inputs(one_rec, sc, true));
    Figures one = measure(one_result, one_rec.contacts);
    try {
      // Every file on the pelvis's clock now: the right answer is no shift.
      one.clock_s = clock_errors(analyze_recording(second_runner::analysis_inputs(one_rec, sc, false)).alignments, sc);
    } catch (const ClockAlignmentError&) {
      one.clock_s.push_back(NAN);
    }
    print_row("  one clock", one);
    pooled_one.add(one);
  }
  std::printf("\npooled over %d scenarios (angles: each scenario's mean difference removed; clock: the largest)\n", scenarios);
  print_header();
  print_row("  own clocks", pooled_own);
  if (refused) std::printf("  own clocks: %zu of %d scenarios refused by the alignment (their steps count as missed)\n", refused, scenarios);
  print_row("  one clock", pooled_one);
  scoring::print_strike_index("one clock:", pooled_one);
  if (std::getenv("STRIDEFUSE_KEEP_FILES")) std::printf("files kept in %s\n", dir.c_str());
  else std::filesystem::remove_all(dir);
  return 0;
}
