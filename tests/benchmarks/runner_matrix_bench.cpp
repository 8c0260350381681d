// `analyze` on our own simulated runner (drivers/simulated/runner) over a
// seeded randomised matrix (issue 11, item 5): every figure of issue 11
// against its target, per scenario and pooled, '!' marking a missed target,
// in the table of second_model_bench (tests/support/matrix_figures.hpp). Each
// scenario is written by the simulator's recording writer and analysed three
// times: its files on their own device clocks (aligned from the data), the
// same run with every file on the pelvis's clock (same_clock), and those
// one-clock files aligned from the data (the offset found should be 0).
//
//   runner_matrix_bench [scenarios=24] [running seconds=40] [first seed=1]
//
// Drawn per scenario (tests/support/runner_matrix.hpp, std::mt19937 from the seed):
// - insole cells 8-24; insole rate one of 50, 60, 64, 80, 100, 120, 128, 150, 200 Hz;
// - pelvis IMU one of 100, 104, 128, 200, 208, 256, 400 Hz, or 416 Hz for
//   an eighth of the scenarios, mounted at any orientation (a uniform
//   rotation), lever arm x -16..-8 cm, y +-3 cm, z -3..+10 cm;
// - speed 2.5-5.5 m/s; strike pattern rearfoot / midfoot / forefoot (the
//   simulator's three, its strike point fixed per pattern at 15 / 48 / 76 %
//   of the foot); cadence 160 + 8 (v - 2.5) steps/min + N(0, 5), within
//   152-196; foot-strike distance 5-40 cm (the config takes -10..60). In the
//   spring-mass model contact time and peak force follow from these: cadence
//   and distance are drawn again (speed and pattern kept) until the model has
//   a stride with a contact of at least 140 ms and a peak of at most 3.5 body
//   weights (a forefoot strike 6 cm ahead lasts 61 ms), so the distances kept
//   are mostly 11-40 cm, longer the faster;
// - speed source, each a third: the treadmill setting, the footpod speed
//   stream at 1-4 Hz (its file on the pelvis's clock, as FILES.md takes a
//   speed file), or the insoles' IMUs alone (+-4000 deg/s, +-32 g parts);
// - body mass 55-85 kg, leg length 0.88-1.02 m; tilt offset 0-8 deg,
//   amplitude 1.5-4 deg, pelvic drop 3-10 deg, rotation 3-9 deg, obliquity
//   offset +-1.5 deg;
// - clocks: pelvis offset 60-1000 s, drift +-50 ppm; each insole the pelvis's
//   offset +-60 s, drift +-100 ppm (links and packet loss as the simulator's defaults).
// - a third of the scenarios: a gap of 0.1-0.6 s in the pelvis file, from
//   10 s after the standing to 10 s before the end (its rows cut from the
//   written file; besides the simulator's lost BLE packets).
// The 416 Hz part and the gap come from a second random stream of the seed,
// so that the scenarios drawn before they were added are unchanged.
// Not drawn: stride-to-stride variability, asymmetry and fatigue, a ramp up
// to speed (the simulator starts running at full speed after its 5 s standing).
// Truth: the simulator's steps (IC/TO, pattern, foot-strike distance, step
// length, pelvic angles at IC) on the pelvis file's clock.
//
// The files go to a directory of this process under $TMPDIR (two runs at
// once do not share them); with STRIDEFUSE_KEEP_FILES set they are kept and
// the directory is printed, for `stridefuse analyze` by hand.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "../support/matrix_figures.hpp"
#include "../support/runner_matrix.hpp"

using namespace stridefuse;
using scoring::Figures;

int main(int argc, char** argv) {
  const int scenarios = argc > 1 ? std::atoi(argv[1]) : 24;
  const double running_s = argc > 2 ? std::atof(argv[2]) : 40.0;
  const unsigned first_seed = argc > 3 ? unsigned(std::atoi(argv[3])) : 1u;
  const auto dir = std::filesystem::temp_directory_path() / ("stridefuse-runner-matrix-bench-" + std::to_string(getpid()));
  std::printf("our simulated runner: %d scenarios from seed %u, 5 s standing, %.0f s running each;\n", scenarios, first_seed,
              running_s);
  std::printf("truth: the simulator's steps; 'own clocks' aligned from the data, 'one clock' same_clock;\n");
  std::printf("clock: own clocks, the found insole clock's error at mid-run; one clock, the offset found from the data (truth 0)\n\n");
  Figures pooled_own, pooled_one;
  std::size_t refused = 0;
  std::map<std::string, std::pair<int, std::string>> missed_by;  // target -> rows, "own 3, one 7, ..." (seeds)
  const auto note_misses = [&](const std::vector<std::string>& missed, const char* files, unsigned seed) {
    for (const auto& target : missed) {
      auto& [rows, where] = missed_by[target];
      where += (rows++ ? ", " : "") + std::string(files) + " " + std::to_string(seed);
    }
  };
  for (int k = 0; k < scenarios; ++k) {
    const unsigned seed = first_seed + unsigned(k);
    const auto sc = runner_matrix::draw_scenario(seed, running_s);
    std::printf("%s\n", runner_matrix::describe(sc).c_str());
    if (k == 0) scoring::print_header();
    const auto figures = runner_matrix::run_scenario(sc, dir);
    if (figures.own_refused) {
      ++refused;
      std::printf("  own clocks: alignment refused: %.100s\n", figures.own_refused->c_str());
      note_misses({"refused"}, "own", seed);
    } else {
      note_misses(scoring::print_row("  own clocks", figures.own), "own", seed);
    }
    note_misses(scoring::print_row("  one clock", figures.one), "one", seed);
    pooled_own.add(figures.own);
    pooled_one.add(figures.one);
  }
  std::printf("\npooled over %d scenarios (angles: each scenario's mean difference removed; clock: the largest)\n", scenarios);
  scoring::print_header();
  scoring::print_row("  own clocks", pooled_own);
  if (refused) std::printf("  own clocks: %zu of %d scenarios refused by the alignment (their steps count as missed)\n", refused, scenarios);
  scoring::print_row("  one clock", pooled_one);
  scoring::print_strike_index("one clock:", pooled_one);
  std::printf("\nscenario rows missing a target, of %d per clock setting (files and seed):\n", scenarios);
  for (const auto& [target, rows_where] : missed_by)
    std::printf("  %-15s %2d: %s\n", target.c_str(), rows_where.first, rows_where.second.c_str());
  if (std::getenv("STRIDEFUSE_KEEP_FILES")) std::printf("files kept in %s\n", dir.c_str());
  else std::filesystem::remove_all(dir);
  return 0;
}
