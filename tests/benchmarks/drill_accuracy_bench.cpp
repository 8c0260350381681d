// Issue 16's figures: drill mode on simulated sets of every exercise, with
// sensor noise and pelvic faults, varied from set to set so that no single
// model is what the tracker fits: seed, side, rep count, tempo, hold, range
// of motion, a standing start or not, mounting misalignment, gyro bias, noise
// level, sample rates,
// sway of the clean reps (up to 1.5 deg under the tolerance) and fault size
// (from 1.5 deg over the tolerance), fault axis and sign.
// Targets: rep count exact on >= 98 % of sets; excursion RMSE <= 1 deg on the
// watched axes; faulty reps flagged and clean reps not flagged >= 95 %;
// pelvis_moved latency < 100 ms. Each figure with '!' when missed.
//
//   drill_accuracy_bench [sets_per_exercise=100]
//   DRILL_DEBUG=1 drill_accuracy_bench ...   also prints each set whose event came over 100 ms late
//   DRILL_EXACT_MOUNT=1 drill_accuracy_bench ...   the pelvis clip exactly on its documented mounting
//   DRILL_CALIBRATION_SWAY_DEG=2 drill_accuracy_bench ...   the calibration hinge sways as far (default 1 deg)

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "../drills/drill_run.hpp"
#include "drills/broad_excursion.hpp"

using namespace stridefuse;

namespace {

constexpr double count_target = 0.98, rmse_target_deg = 1.0, flag_target = 0.95, latency_target_s = 0.1;

struct Tally {
  int sets = 0, exact = 0;
  int faulty = 0, faulty_flagged = 0, clean = 0, clean_quiet = 0;
  std::array<double, 3> sq{0, 0, 0};
  std::array<int, 3> n{0, 0, 0};
  double rom_sq = 0.0, hold_sq = 0.0;
  int rom_n = 0, hold_n = 0;
  std::vector<double> latency_s, delivery_s;
  std::vector<double> delivery_from_rep3_s;  // once the hinge exercises have learnt their lateral axis
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(std::min<double>(static_cast<double>(v.size() - 1),
                                                           std::floor(p * static_cast<double>(v.size() - 1) + 0.5)));
  return v[i];
}

// A figure with its verdict: ' ' met, '!' missed, '~' not judged.
std::string mark(double value, int decimals, bool met, bool judged = true) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f%s", decimals, value, !judged ? "~" : met ? " " : "!");
  return text;
}

// One varied set of an exercise.
sim::DrillSimConfig varied_set(DrillExercise e, std::mt19937_64& rng, double tolerance_deg, const WatchedAxes& watched) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  auto between = [&](double lo, double hi) { return lo + (hi - lo) * u(rng); };
  sim::DrillSimConfig c;
  c.exercise = e;
  c.seed = rng();
  const DrillSide sides[] = {DrillSide::left, DrillSide::right, DrillSide::both};
  c.side = sides[rng() % 3];
  c.reps = static_cast<std::uint32_t>(5 + rng() % 11);
  c.tempo_s = sim::drill_default_tempo_s(e) * between(0.7, 1.4);
  const double hold = sim::drill_default_hold_s(e);
  c.hold_s = hold > 0.0 ? std::max(hold * between(0.6, 1.6), e == DrillExercise::bridge ? 0.8 : 0.0) : 0.0;
  c.rom_deg = std::clamp(sim::drill_default_rom_deg(e) * between(0.75, 1.25), 12.0, 120.0);
  c.rest_s = between(0.6, 2.0);
  // Half the sets start standing and get into position; half start in it.
  c.start_standing_s = u(rng) < 0.5 ? between(1.2, 3.0) : 0.0;
  c.transition_s = between(1.0, 3.0);
  // The clip off its documented mounting: tipped sideways on the back (about
  // X) and following the sacrum's slope (about Y) by up to 5 deg; turned
  // about the vertical (Z) by up to 2 deg, as its face lies flat on the sacrum.
  c.mount_error_deg = {between(-5.0, 5.0), between(-5.0, 5.0), between(-2.0, 2.0)};
  if (std::getenv("DRILL_EXACT_MOUNT")) c.mount_error_deg = {0.0, 0.0, 0.0};
  const double rates_pelvis[] = {100.0, 200.0, 400.0}, rates_insole[] = {50.0, 100.0, 200.0};
  c.pelvis.rate_hz = rates_pelvis[rng() % 3];
  c.insoles.rate_hz = rates_insole[rng() % 3];
  const double noise = between(0.5, 2.0);
  c.pelvis.noise.gyro_noise_radps *= noise;
  c.pelvis.noise.accel_noise_mps2 *= noise;
  c.insoles.imu_noise.gyro_noise_radps *= noise;
  c.insoles.imu_noise.accel_noise_mps2 *= noise;
  c.insoles.noise_kpa *= noise;
  c.pelvis.noise.gyro_bias_radps = between(0.0, 0.03);
  c.insoles.imu_noise.gyro_bias_radps = between(0.0, 0.03);
  c.sway_deg = between(0.3, tolerance_deg - 1.5);
  // One to three faulty reps, each on a watched axis, from 1.5 to 6 deg over the tolerance.
  std::vector<PelvisAxis> axes;
  if (watched.tilt) axes.push_back(PelvisAxis::tilt);
  if (watched.obliquity) axes.push_back(PelvisAxis::obliquity);
  if (watched.rotation) axes.push_back(PelvisAxis::rotation);
  std::vector<sim::DrillFault> faults;
  const auto count = std::min<std::uint32_t>(1 + static_cast<std::uint32_t>(rng() % 3), c.reps);
  std::vector<std::uint32_t> reps(c.reps);
  for (std::uint32_t i = 0; i < c.reps; ++i) reps[i] = i + 1;
  std::shuffle(reps.begin(), reps.end(), rng);
  for (std::uint32_t k = 0; k < count; ++k) {
    const double size = tolerance_deg + between(1.5, 6.0);
    faults.push_back({reps[k], axes[rng() % axes.size()], u(rng) < 0.5 ? -size : size});
  }
  c.faults = faults;
  return c;
}

void score(const drill_test::DrillRun& run, const fusion::DrillDefinition& def, Tally& t) {
  ++t.sets;
  if (drill_test::count_exact(run)) ++t.exact;
  for (const auto& truth : run.truth) {
    const RepEvent* rep = drill_test::matching_rep(run, truth);
    const bool moved = drill_test::truly_moved(truth, def.watched, run.tolerance_deg);
    if (moved) {
      ++t.faulty;
      if (rep && rep->pelvis_moved) ++t.faulty_flagged;
    } else {
      ++t.clean;
      if (rep && !rep->pelvis_moved) ++t.clean_quiet;
    }
    if (!rep) continue;
    for (int a = 0; a < 3; ++a) {
      const auto axis = static_cast<PelvisAxis>(a);
      const double e = drill_test::axis_of(rep->excursion, axis) - drill_test::axis_of(truth.excursion, axis);
      t.sq[a] += e * e;
      ++t.n[a];
    }
    if (rep->range_of_motion_deg) {
      const double e = rep->range_of_motion_deg.value - truth.range_of_motion_deg;
      t.rom_sq += e * e;
      ++t.rom_n;
    }
    if (rep->hold_s && truth.hold_s) {
      const double e = *rep->hold_s - *truth.hold_s;
      t.hold_sq += e * e;
      ++t.hold_n;
    }
  }
  for (std::size_t k = 0; k < run.moved.size(); ++k) {
    const auto& e = run.moved[k];
    if (e.rep < 1 || e.rep > run.truth.size()) continue;
    const auto crossing = run.truth[e.rep - 1].crossing_s(e.axis, run.tolerance_deg);
    if (!crossing) continue;  // a false alarm: counted in clean-not-flagged
    t.latency_s.push_back(e.t_s - *crossing);
    t.delivery_s.push_back(run.moved_delivered_s[k] - *crossing);
    if (e.rep >= 3) t.delivery_from_rep3_s.push_back(run.moved_delivered_s[k] - *crossing);
    if (std::getenv("DRILL_DEBUG") && run.moved_delivered_s[k] - *crossing > 0.1)
      std::printf("late: rep %u axis %s t_s %.3f delivered %.3f crossing %.3f exc %.2f truth start %.3f\n%s", e.rep,
                  to_string(e.axis), e.t_s, run.moved_delivered_s[k], *crossing, e.excursion_deg,
                  run.truth[e.rep - 1].t_start_s, drill_test::describe(run).c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int sets = argc > 1 ? std::max(1, std::atoi(argv[1])) : 100;
  std::printf("Drill accuracy (issue 16): %d varied simulated sets per exercise, noise and faults\n", sets);
  std::printf("targets: count exact >= %.0f %% of sets; RMSE <= %.1f deg on watched axes; faulty flagged and clean not "
              "flagged >= %.0f %%; latency < %.0f ms\n",
              count_target * 100, rmse_target_deg, flag_target * 100, latency_target_s * 1e3);
  std::printf("(axes marked * are not watched in the exercise: for the bridge and the RDL tilt is the hinge itself)\n");
  std::printf("%-21s %4s %5s %7s %8s %8s %8s %7s %7s %7s %7s %7s %7s %8s %8s %6s %6s\n", "exercise", "sets", "reps",
              "exact%", "tilt", "obliq", "rot", "faulty", "flag%", "clean", "quiet%", "lat50ms", "lat95ms", "dlv95ms",
              "dlv95@3+", "rom", "hold");
  bool all_met = true;
  const char* calibration_sway = std::getenv("DRILL_CALIBRATION_SWAY_DEG");
  // The hinge exercises twice, on the same sets: as they come, and opened by a calibration hinge.
  std::vector<std::pair<DrillExercise, bool>> rows;
  for (int i = 0; i <= static_cast<int>(last_drill_exercise); ++i) {
    const auto e = static_cast<DrillExercise>(i);
    rows.emplace_back(e, false);
    if (sim::drill_is_hinge(e)) rows.emplace_back(e, true);
  }
  for (const auto& [e, calibrated] : rows) {
    const auto& def = fusion::drill_definition(e);
    std::mt19937_64 rng(0xD2111 + static_cast<std::uint64_t>(e));
    Tally t;
    int reps = 0;
    for (int k = 0; k < sets; ++k) {
      auto sc = varied_set(e, rng, def.default_tolerance_deg, def.watched);
      sc.calibration_hinge = calibrated;
      if (calibration_sway) sc.calibration_sway_deg = std::atof(calibration_sway);
      DrillConfig config{e, sc.side, std::nullopt};
      config.calibration_hinge = calibrated;
      const auto run = drill_test::run_drill(sc, config);
      reps += static_cast<int>(run.truth.size());
      score(run, def, t);
    }
    const double exact = static_cast<double>(t.exact) / t.sets;
    const double flagged = t.faulty ? static_cast<double>(t.faulty_flagged) / t.faulty : NAN;
    const double quiet = t.clean ? static_cast<double>(t.clean_quiet) / t.clean : NAN;
    std::array<std::string, 3> rmse;
    bool met = exact >= count_target && flagged >= flag_target && quiet >= flag_target;
    for (int a = 0; a < 3; ++a) {
      const double r = std::sqrt(t.sq[a] / std::max(1, t.n[a]));
      const bool watched = (a == 0 && def.watched.tilt) || (a == 1 && def.watched.obliquity) ||
                           (a == 2 && def.watched.rotation);
      rmse[a] = watched ? mark(r, 2, r <= rmse_target_deg) : mark(r, 2, true) + "*";
      if (watched) met = met && r <= rmse_target_deg;
    }
    const double lat50 = percentile(t.latency_s, 0.5) * 1e3, lat95 = percentile(t.latency_s, 0.95) * 1e3;
    const double delivery95 = percentile(t.delivery_s, 0.95) * 1e3;
    const double delivery95_from_rep3 = percentile(t.delivery_from_rep3_s, 0.95) * 1e3;
    // A hinge exercise's latency is judged on the sets that open with a
    // calibration hinge (fusion/DRILLS.md, "Calibration hinge"): without one,
    // rep 1 has only the documented mounting, which a clip turned 2 deg
    // about the vertical leaks 3 deg of hinge into obliquity.
    const bool latency_judged = calibrated || !sim::drill_is_hinge(e);
    const bool latency_met = delivery95 < latency_target_s * 1e3;
    if (latency_judged) met = met && latency_met;
    all_met = all_met && met;
    char hold[16] = "-";
    if (t.hold_n > 0) std::snprintf(hold, sizeof hold, "%.2f", std::sqrt(t.hold_sq / t.hold_n));
    const std::string name = std::string(to_string(e)) + (calibrated ? " +cal" : "");
    std::printf("%-21s %4d %5d %7s %8s %8s %8s %7d %7s %7d %7s %7.1f %7.1f %8s %8.1f %6.2f %6s\n", name.c_str(), t.sets, reps,
                mark(exact * 100, 1, exact >= count_target).c_str(), rmse[0].c_str(), rmse[1].c_str(), rmse[2].c_str(),
                t.faulty, mark(flagged * 100, 1, flagged >= flag_target).c_str(), t.clean,
                mark(quiet * 100, 1, quiet >= flag_target).c_str(), lat50, lat95,
                mark(delivery95, 1, latency_met, latency_judged).c_str(), delivery95_from_rep3, std::sqrt(t.rom_sq / std::max(1, t.rom_n)),
                hold);
  }
  std::printf("columns: tilt/obliq/rot = excursion RMSE, deg; lat50ms, lat95ms = median and 95th percentile of "
              "pelvis_moved t_s minus the true crossing\n         (the excursion's error moves the crossing too); "
              "dlv95ms = 95th percentile of the delivery (the sample whose push\n         called the event back) "
              "minus the true crossing (~: not judged, a hinge exercise without its calibration hinge);\n         dlv95@3+ = the same from the third rep on (the hinge exercises' lateral axis "
              "is learnt from the reps);\n         rom = range-of-motion RMSE, deg; hold = hold RMSE, s "
              "(the tracker's hold is the time within 1.5 %% of the peak, the truth's the plateau)\n");
  // The same measure on a real IMU against optical motion capture (not our simulator).
  const std::string broad_dir = std::string(STRIDEFUSE_SHARED_DIR) + "/data/broad";
  std::vector<stridefuse::fusion::broad::Trial> trials;
  for (const auto& name : stridefuse::fusion::broad::trial_names()) {
    try {
      trials.push_back(stridefuse::fusion::broad::load_trial(broad_dir, name));
    } catch (const std::exception& e) {
      std::printf("BROAD: %s (skipped)\n", e.what());
      break;
    }
  }
  if (!trials.empty()) {
    const auto score = stridefuse::drill_test::score_excursions(trials);
    const bool met = score.rmse_deg[0] <= 1.0 && score.rmse_deg[1] <= 1.0 && score.rmse_deg[2] <= 1.0;
    all_met = all_met && met;
    std::printf("real IMU (BROAD, %zu trials, %zu windows of 4 s below 200 deg/s), the drill's gyro excursion against "
                "optical truth:\n  magnitude RMSE tilt %.2f obliquity %.2f rotation %.2f deg%s; whole turn at the "
                "window's end %.2f deg RMSE; worst %.2f deg\n",
                trials.size(), score.windows, score.rmse_deg[0], score.rmse_deg[1], score.rmse_deg[2], met ? "" : "!",
                score.end_angle_rmse_deg, score.max_abs_error_deg);
  }
  std::printf("%s\n", all_met ? "all targets met" : "some targets missed (!)");
  return all_met ? 0 : 1;
}
