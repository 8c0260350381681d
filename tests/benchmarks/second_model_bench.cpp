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

#include "../support/second_runner_inputs.hpp"
#include "../support/step_scoring.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/second_runner/recording.hpp"

using namespace stridefuse;
using second_runner::ContactTruth;

namespace {

// The figures of one analysis (or of several pooled): errors detected - truth.
struct Figures {
  std::size_t true_steps = 0, detected = 0, matched = 0;
  std::vector<double> ic_s, contact_s, fsd_m, fsd_sd_m, step_length_m, tilt_deg, obliquity_deg, clock_s;
  std::size_t patterns = 0, patterns_agreeing = 0;

  void add(const Figures& o) {
    true_steps += o.true_steps, detected += o.detected, matched += o.matched;
    patterns += o.patterns, patterns_agreeing += o.patterns_agreeing;
    for (auto [to, from] : {std::pair{&ic_s, &o.ic_s}, {&contact_s, &o.contact_s}, {&fsd_m, &o.fsd_m}, {&fsd_sd_m, &o.fsd_sd_m},
                            {&step_length_m, &o.step_length_m}, {&tilt_deg, &o.tilt_deg},
                            {&obliquity_deg, &o.obliquity_deg}, {&clock_s, &o.clock_s}})
      to->insert(to->end(), from->begin(), from->end());
  }
};

using scoring::Score;

// The angles' neutral postures differ (the engine's from the standing start
// as it finds it, the model's exactly): each scenario's mean difference is taken out.
void remove_mean(std::vector<double>& v) {
  const double m = Score::mean(v);
  for (double& x : v) x -= m;
}

Figures measure(const AnalysisResult& result, const std::vector<ContactTruth>& truth) {
  Figures f;
  f.true_steps = truth.size();
  for (const auto& s : result.steps)
    if (s.t_ic_s > truth.front().ic_s - 0.1 && s.t_ic_s < truth.back().ic_s + 0.1) ++f.detected;
  const auto score = scoring::score(result.steps, truth);
  f.matched = score.matched;
  f.ic_s = score.ic_error_s;
  f.contact_s = score.contact_error_s;
  for (const auto& [c, s] : scoring::matched_steps(result.steps, truth)) {
    if (s->strike_pattern != StrikePattern::unknown) {
      ++f.patterns;
      f.patterns_agreeing += s->strike_pattern == c->strike_pattern;
    }
    if (std::isfinite(s->foot_strike_distance_m.value)) {
      f.fsd_m.push_back(s->foot_strike_distance_m.value - c->foot_strike_distance_m);
      f.fsd_sd_m.push_back(s->foot_strike_distance_uncertainty_m.value);
    }
    if (std::isfinite(s->step_length_m.value)) f.step_length_m.push_back(s->step_length_m.value - c->step_length_m);
    if (std::isfinite(s->tilt_ic_deg.value)) f.tilt_deg.push_back(s->tilt_ic_deg.value - c->tilt_ic_deg);
    if (std::isfinite(s->obliquity_ic_deg.value)) f.obliquity_deg.push_back(s->obliquity_ic_deg.value - c->obliquity_ic_deg);
  }
  remove_mean(f.tilt_deg);
  remove_mean(f.obliquity_deg);
  return f;
}

// A figure against its target: '!' when missed (or not measured).
std::string mark(double value, bool met, const char* format) {
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  return std::string(text) + (std::isfinite(value) && met ? " " : "!");
}
std::string at_most(double value, double target, const char* format) { return mark(value, value <= target, format); }
std::string at_least(double value, double target, const char* format) { return mark(value, value >= target, format); }

void print_header() {
  std::printf("%-28s %6s %6s | %6s %6s %6s | %6s | %6s | %6s %6s %6s | %6s | %6s %6s | %7s\n", "", "recall", "precis", "IC|med|",
              "IC p95", "IC sgn", "CT rms", "strike", "FSD rms", "FSD bias", "in 2u", "SL rms", "tilt", "obliq", "clock");
  std::printf("%-28s %6s %6s | %6s %6s %6s | %6s | %6s | %6s %6s %6s | %6s | %6s %6s | %7s\n", "targets", "%", "%",
              "<=3ms", "<=8ms", "ms", "<=5ms", ">=98%", "<=2cm", "|<=2|cm", "~95%", "<=3cm", "<=1deg", "<=1deg", "<=1ms");
}

void print_row(const char* name, const Figures& f) {
  const double recall = 100.0 * double(f.matched) / double(std::max<std::size_t>(1, f.true_steps));
  const double precision = 100.0 * double(f.matched) / double(std::max<std::size_t>(1, f.detected));
  const double agreement = f.patterns ? 100.0 * double(f.patterns_agreeing) / double(f.patterns) : NAN;
  const double bias_cm = 100.0 * Score::mean(f.fsd_m);
  std::printf("%-28s %6.1f %6.1f | %s %s %+6.1f  | %s | %s | %s %s %6.1f  | %s | %s %s | %s\n", name, recall, precision,
              at_most(1e3 * Score::median_abs(f.ic_s), 3.0, "%6.1f").c_str(),
              at_most(1e3 * Score::percentile_abs(f.ic_s, 0.95), 8.0, "%6.1f").c_str(), 1e3 * Score::mean(f.ic_s),
              at_most(1e3 * Score::rms(f.contact_s), 5.0, "%6.1f").c_str(), at_least(agreement, 98.0, "%6.1f").c_str(),
              at_most(100.0 * Score::rms(f.fsd_m), 2.0, "%6.1f").c_str(),
              mark(bias_cm, std::abs(bias_cm) <= 2.0, "%+6.1f").c_str(), Score::within_pct(f.fsd_m, f.fsd_sd_m, 2.0),
              at_most(100.0 * Score::rms(f.step_length_m), 3.0, "%6.1f").c_str(),
              at_most(Score::rms(f.tilt_deg), 1.0, "%6.2f").c_str(), at_most(Score::rms(f.obliquity_deg), 1.0, "%6.2f").c_str(),
              f.clock_s.empty() ? "      -" : at_most(1e3 * Score::percentile_abs(f.clock_s, 1.0), 1.0, "%7.2f").c_str());
}

// How far each insole's found clock is from its true one, at the middle of the run, s.
std::vector<double> clock_errors(const std::vector<ClockAlignment>& alignments, const second_runner::Scenario& sc) {
  std::vector<double> out;
  const double mid_s = 0.5 * sc.duration_s();
  for (const auto& a : alignments) {
    const auto& clock = a.stream_id.find("right") != std::string::npos ? sc.right_clock : sc.left_clock;
    out.push_back(a.to_pelvis_s(clock.device_from_true(mid_s)) - sc.pelvis_clock.device_from_true(mid_s));
  }
  return out;
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
    std::printf("seed %u: %s, %.2f m/s, true FSD %.0f cm, pivot %+.1f cm ahead %.0f cm up, %d cells %.0f Hz, IMU %.0f Hz, %s, %.0f kg%s\n",
                seed, pattern, sc.speed_mps, 100.0 * truth_fsd_m, 100.0 * sc.vpp_offset_m, 100.0 * sc.vpp_height_m, sc.insole_cells, sc.insole_rate_hz, sc.imu_rate_hz,
                sc.speed_source == second_runner::SpeedSource::treadmill ? "treadmill" : "footpod", sc.body_mass_kg,
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
  if (std::getenv("STRIDEFUSE_KEEP_FILES")) std::printf("files kept in %s\n", dir.c_str());
  else std::filesystem::remove_all(dir);
  return 0;
}
