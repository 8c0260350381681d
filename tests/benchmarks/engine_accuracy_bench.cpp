// Fusion engine on the simulated runner: accuracy of every per-step metric of
// issue 3 against the simulator's ground truth, over a matrix of scenarios
// (speed, cadence, foot-strike distance, strike pattern, pelvic drop,
// asymmetry, sensor mounting and lever arm, pelvis rate, insole sensor
// count), one table row per scenario plus the pooled overall row, each figure
// marked against its target. Then the default runner for longer, with the
// full error breakdown, the form alerts and the engine's CPU time.
//
//   engine_accuracy_bench [seconds_per_scenario=240] [long_run_seconds=3600]
//   engine_accuracy_bench --detail NAME [seconds]   (full breakdown of one scenario)

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "../fusion/simulated_session.hpp"
#include "../support/step_scoring.hpp"
#include "running_scenarios.hpp"
#include "stridefuse/core/units.hpp"

using namespace stridefuse;
using fusion::testing::ErrorStats;
using fusion::testing::SessionAccuracy;
using stridefuse::bench::scenarios;

namespace {

// Targets of issue 3.
constexpr double target_recall = 0.995, target_precision = 0.995;
constexpr double target_ic_median_ms = 3.0, target_ic_p95_ms = 8.0, target_contact_rmse_ms = 5.0;
constexpr double target_pattern = 0.98, target_fsd_rmse_cm = 2.0, target_drop_rmse_deg = 1.0;
constexpr double target_angles_rmse_deg = 1.0, target_step_length_rmse_cm = 3.0;

struct Row {
  double recall, precision, ic_median_ms, ic_p95_ms, contact_ms, pattern, fsd_cm, fsd_bias_cm, drop_deg, angles_deg,
      step_length_cm;
};

Row row_of(const SessionAccuracy& a) {
  return {a.recall,
          a.precision,
          a.ic_s.abs_quantile(0.5) * 1e3,
          a.ic_s.abs_quantile(0.95) * 1e3,
          a.contact_s.rms * 1e3,
          a.strike_pattern_agreement,
          a.foot_strike_m.rms * 1e2,
          a.foot_strike_m.mean * 1e2,
          a.drop_deg.rms,
          std::max({a.tilt_deg.rms, a.obliquity_deg.rms, a.rotation_deg.rms}),
          a.step_length_m.rms * 1e2};
}

// A figure with the mark '!' when it misses its target.
std::string cell(double value, int decimals, bool met) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f%s", decimals, value, met ? " " : "!");
  return text;
}

std::size_t misses = 0;

void print_row(const char* name, std::size_t steps, const Row& r) {
  auto low = [](double v, double target) { return std::isfinite(v) && v <= target; };
  auto high = [](double v, double target) { return std::isfinite(v) && v >= target; };
  const std::string cells[] = {cell(r.recall * 100, 2, high(r.recall, target_recall)),
                               cell(r.precision * 100, 2, high(r.precision, target_precision)),
                               cell(r.ic_median_ms, 2, low(r.ic_median_ms, target_ic_median_ms)),
                               cell(r.ic_p95_ms, 2, low(r.ic_p95_ms, target_ic_p95_ms)),
                               cell(r.contact_ms, 2, low(r.contact_ms, target_contact_rmse_ms)),
                               cell(r.pattern * 100, 2, high(r.pattern, target_pattern)),
                               cell(r.fsd_cm, 2, low(r.fsd_cm, target_fsd_rmse_cm)),
                               cell(r.fsd_bias_cm, 2, true),
                               cell(r.drop_deg, 2, low(r.drop_deg, target_drop_rmse_deg)),
                               cell(r.angles_deg, 2, low(r.angles_deg, target_angles_rmse_deg)),
                               cell(r.step_length_cm, 2, low(r.step_length_cm, target_step_length_rmse_cm))};
  std::printf("%-50s %6zu", name, steps);
  for (const auto& c : cells) {
    std::printf(" %8s", c.c_str());
    misses += c.back() == '!';
  }
  std::printf("\n");
}

void print_header() {
  std::printf("%-50s %6s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s\n", "scenario", "steps", "recall%", "prec%",
              "ICmed", "ICp95", "contact", "pattern%", "FSD", "FSDbias", "drop", "angles", "steplen");
  std::printf("%-50s %6s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s\n", "targets", "", ">=99.5", ">=99.5", "<=3ms",
              "<=8ms", "<=5ms", ">=98", "<=2cm", "cm", "<=1deg", "<=1deg", "<=3cm");
}

SessionAccuracy run(const sim::RunnerConfig& config, double duration_s) {
  return fusion::testing::run_simulated_session(config, duration_s);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc > 1 && std::string(argv[1]) == "--detail") {
      if (argc < 3) throw std::invalid_argument("--detail needs a scenario name");
      const double duration_s = argc > 3 ? std::atof(argv[3]) : 240.0;
      for (const auto& s : scenarios()) {
        if (s.name.rfind(argv[2], 0) != 0) continue;
        sim::RunnerConfig config;
        s.edit(config);
        std::printf("== %s, %.0f s simulated\n", s.name.c_str(), duration_s);
        fusion::testing::print(run(config, duration_s));
        return 0;
      }
      throw std::invalid_argument(std::string("no scenario starts with '") + argv[2] + "'");
    }
    const double per_scenario_s = argc > 1 ? std::atof(argv[1]) : 240.0;
    const double long_s = argc > 2 ? std::atof(argv[2]) : 3600.0;
    if (!(per_scenario_s > 30.0) || !(long_s >= 0.0))
      throw std::invalid_argument("usage: engine_accuracy_bench [seconds_per_scenario > 30] [long_run_seconds >= 0]");

    std::printf("Engine accuracy on the simulated runner, %.0f s per scenario (true session time; '!' = target missed)\n"
                "IC: |error| median / 95th percentile, ms; contact: contact time RMSE, ms; FSD: foot-strike distance\n"
                "RMSE and mean error, cm; drop: pelvic drop RMSE, deg; angles: worst of tilt/obliquity/rotation at IC RMSE,\n"
                "deg; steplen: step length RMSE, cm.\n\n",
                per_scenario_s);
    print_header();
    SessionAccuracy all;
    std::size_t all_truth = 0, all_detected = 0;
    for (const auto& s : scenarios()) {
      sim::RunnerConfig config;
      s.edit(config);
      SessionAccuracy a;
      try {
        a = run(config, per_scenario_s);
      } catch (const std::invalid_argument& e) {
        std::printf("%-50s rejected by the simulator: %s\n", s.name.c_str(), e.what());
        continue;
      }
      print_row(s.name.c_str(), a.truth_steps, row_of(a));
      all_truth += a.truth_steps;
      all_detected += a.detected_steps;
      all.matched += a.matched;
      all.pattern_agree += a.pattern_agree;
      for (auto [into, from] : {std::pair{&all.ic_s, &a.ic_s}, {&all.contact_s, &a.contact_s},
                                {&all.foot_strike_m, &a.foot_strike_m}, {&all.drop_deg, &a.drop_deg},
                                {&all.tilt_deg, &a.tilt_deg}, {&all.obliquity_deg, &a.obliquity_deg},
                                {&all.rotation_deg, &a.rotation_deg}, {&all.step_length_m, &a.step_length_m}})
        into->merge(*from);
      all.foot_strike_sd_m.insert(all.foot_strike_sd_m.end(), a.foot_strike_sd_m.begin(), a.foot_strike_sd_m.end());
    }
    for (auto* s : {&all.ic_s, &all.contact_s, &all.foot_strike_m, &all.drop_deg, &all.tilt_deg, &all.obliquity_deg,
                    &all.rotation_deg, &all.step_length_m})
      s->finish();
    all.recall = static_cast<double>(all.matched) / static_cast<double>(all_truth);
    all.precision = static_cast<double>(all.matched) / static_cast<double>(all_detected);
    all.strike_pattern_agreement = static_cast<double>(all.pattern_agree) / static_cast<double>(all.matched);
    const std::size_t scenario_misses = misses;
    print_row("overall (all steps pooled)", all_truth, row_of(all));
    std::printf("\n%zu of the scenario cells miss their target; overall row: %s\n", scenario_misses,
                misses == scenario_misses ? "every target met" : "some targets missed ('!')");
    std::printf("foot-strike distance within 2 of its own uncertainty: %.1f %% of %zu steps (uncertainty mean %.2f cm)\n\n",
                scoring::Score::within_pct(all.foot_strike_m.errors, all.foot_strike_sd_m, 2.0),
                all.foot_strike_sd_m.size(), 100.0 * scoring::Score::mean(all.foot_strike_sd_m));

    if (long_s > 0.0) {
      sim::RunnerConfig rearfoot;
      rearfoot.fatigue.pelvic_drop_deg_per_hour = 2.0;
      rearfoot.fatigue.foot_strike_distance_m_per_hour = 0.04;
      std::printf("== default runner with fatigue drift, %.0f s simulated\n", long_s);
      const auto a = run(rearfoot, long_s);
      fusion::testing::print(a);
      const double per_hour = a.engine_seconds * 3600.0 / long_s;
      std::printf("  engine CPU per hour of data: %.3f s (goal <= 2 s): %s\n", per_hour, per_hour <= 2.0 ? "met" : "NOT met");
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "engine_accuracy_bench: %s\n", e.what());
    return 2;
  }
}
