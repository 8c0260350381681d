// Issue 13's figures: steps from any set of sensors.
//   1. Walking, pelvis alone, real lower-back IMU against optical motion
//      capture (shared/data/mobgap, scored as its README says).
//   2. Running, pelvis stream alone, the simulator's scenario matrix.
//   3. Every set of sensors (pelvis; left+right; left+pelvis; right+pelvis;
//      all three), walking and running, on the simulator.
//   4. Moticon OpenGo exports (shared/data/opengo): our initial contacts from
//      the insoles alone against the events Moticon's software marked.
// Each figure with its target, met or not ('!' = missed).
//
//   sensor_subsets_bench [seconds_per_scenario=120] [seconds_per_subset=180]
//   sensor_subsets_bench --only mobgap|running|subsets|opengo [seconds]

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "../fusion/mobgap_trial.hpp"
#include "../fusion/simulated_session.hpp"
#include "running_scenarios.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/runtime/recording_files.hpp"

using namespace stridefuse;
using fusion::testing::ErrorStats;
using fusion::testing::SessionAccuracy;

namespace {

std::string mark(double value, int decimals, bool met, const char* unit = "") {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f%s%s", decimals, value, unit, met ? " " : "!");
  return text;
}
bool at_most(double v, double target) { return std::isfinite(v) && v <= target; }
bool at_least(double v, double target) { return std::isfinite(v) && v >= target; }

// 1. Walking on mobgap.
constexpr double walk_recall = 0.95, walk_precision = 0.95, walk_median_ms = 20.0, walk_p95_ms = 60.0, walk_side = 0.98;

void walking_mobgap(const std::string& dir) {
  std::printf("1. Walking, pelvis alone: real lower-back IMU (mobgap, %s) against optical motion capture\n", dir.c_str());
  std::printf("   targets: recall >= %.0f %%, precision >= %.0f %%, |IC error| median <= %.0f ms, p95 <= %.0f ms, "
              "side >= %.0f %%\n",
              walk_recall * 100, walk_precision * 100, walk_median_ms, walk_p95_ms, walk_side * 100);
  std::printf("   %-24s %-11s %5s %5s %9s %9s %9s %9s %9s %8s\n", "trial", "reference", "ref", "found", "recall%",
              "prec%", "med ms", "p95 ms", "side%", "bias ms");
  fusion::mobgap::Score all;
  auto row = [&](const std::string& name, const std::string& system, const fusion::mobgap::Score& s) {
    double bias = 0.0;
    for (double e : s.errors_s) bias += e;
    bias = s.errors_s.empty() ? NAN : bias / static_cast<double>(s.errors_s.size()) * 1e3;
    std::printf("   %-24s %-11s %5zu %5zu %9s %9s %9s %9s %9s %8.1f\n", name.c_str(), system.c_str(), s.reference,
                s.detected, mark(s.recall() * 100, 1, at_least(s.recall(), walk_recall)).c_str(),
                mark(s.precision() * 100, 1, at_least(s.precision(), walk_precision)).c_str(),
                mark(s.abs_error_ms(0.5), 1, at_most(s.abs_error_ms(0.5), walk_median_ms)).c_str(),
                mark(s.abs_error_ms(0.95), 1, at_most(s.abs_error_ms(0.95), walk_p95_ms)).c_str(),
                mark(s.side_share() * 100, 1, at_least(s.side_share(), walk_side)).c_str(), bias);
  };
  for (const auto& name : fusion::mobgap::trial_names()) {
    const auto trial = fusion::mobgap::load_trial(dir, name);
    std::vector<fusion::mobgap::Contact> found;
    for (const auto& s : fusion::mobgap::pelvis_steps(trial)) found.push_back({s.t_ic_s, s.side});
    const auto s = fusion::mobgap::score(trial.reference_ic, found);
    row(name, trial.reference_system, s);
    all.merge(s);
  }
  row("pooled", "", all);
  std::printf("\n");
}

// 2. Running, pelvis alone, over the scenario matrix.
constexpr double run_recall = 0.99, run_precision = 0.99, run_ic_median_ms = 8.0, run_contact_rmse_ms = 15.0;

struct Pooled {
  std::size_t truth = 0, detected = 0, matched = 0, mode_agree = 0, from_pelvis = 0;
  ErrorStats ic, contact, flight;
  void add(const SessionAccuracy& a) {
    truth += a.truth_steps;
    detected += a.detected_steps;
    matched += a.matched;
    mode_agree += a.mode_agree;
    from_pelvis += a.from_pelvis;
    ic.merge(a.ic_s);
    contact.merge(a.contact_s);
    flight.merge(a.flight_s);
  }
  SessionAccuracy finish() {
    SessionAccuracy a;
    a.truth_steps = truth;
    a.detected_steps = detected;
    a.matched = matched;
    a.mode_agree = mode_agree;
    a.from_pelvis = from_pelvis;
    a.recall = truth ? static_cast<double>(matched) / static_cast<double>(truth) : NAN;
    a.precision = detected ? static_cast<double>(matched) / static_cast<double>(detected) : NAN;
    a.ic_s = ic;
    a.contact_s = contact;
    a.flight_s = flight;
    for (auto* s : {&a.ic_s, &a.contact_s, &a.flight_s}) s->finish();
    return a;
  }
};

void running_row(const char* name, const SessionAccuracy& a) {
  std::printf("   %-50s %6zu %9s %9s %9s %8.2f %9s %8.2f %7.1f\n", name, a.truth_steps,
              mark(a.recall * 100, 2, at_least(a.recall, run_recall)).c_str(),
              mark(a.precision * 100, 2, at_least(a.precision, run_precision)).c_str(),
              mark(a.ic_s.abs_quantile(0.5) * 1e3, 2, at_most(a.ic_s.abs_quantile(0.5) * 1e3, run_ic_median_ms)).c_str(),
              a.ic_s.abs_quantile(0.95) * 1e3,
              mark(a.contact_s.rms * 1e3, 2, at_most(a.contact_s.rms * 1e3, run_contact_rmse_ms)).c_str(),
              a.contact_s.mean * 1e3, a.matched ? 100.0 * static_cast<double>(a.mode_agree) / static_cast<double>(a.matched) : NAN);
}

void running_pelvis_alone(double seconds) {
  std::printf("2. Running, pelvis stream alone: the simulator's scenario matrix, %.0f s each (true session time)\n",
              seconds);
  std::printf("   targets: recall and precision >= %.0f %% (a step counts with its side right), IC |error| median "
              "<= %.0f ms, contact time RMSE <= %.0f ms\n",
              run_recall * 100, run_ic_median_ms, run_contact_rmse_ms);
  std::printf("   %-50s %6s %9s %9s %9s %8s %9s %8s %7s\n", "scenario", "steps", "recall%", "prec%", "ICmed ms",
              "ICp95 ms", "CT rmse", "CT bias", "mode%");
  Pooled all;
  for (const auto& s : bench::scenarios()) {
    sim::RunnerConfig c;
    s.edit(c);
    c.sensors = {true, false, false};
    SessionAccuracy a;
    try {
      a = fusion::testing::run_simulated_session(c, seconds);
    } catch (const std::invalid_argument& e) {
      std::printf("   %-50s rejected by the simulator: %s\n", s.name.c_str(), e.what());
      continue;
    }
    running_row(s.name.c_str(), a);
    all.add(a);
  }
  running_row("pooled", all.finish());
  std::printf("\n");
}

// 3. Every set of sensors, walking and running.
struct Subset {
  const char* name;
  sim::SensorSet sensors;
};

void every_subset(double seconds) {
  std::printf("3. Every set of sensors on the simulator (%.0f s each; default runner 3.5 m/s, walker 1.3 m/s 110 spm;"
              " treadmill speed given)\n",
              seconds);
  std::printf("   %-16s %-8s %6s %8s %8s %8s %8s %8s %8s %8s %7s %7s %6s %6s\n", "sensors", "gait", "steps", "recall%",
              "prec%", "ICmed ms", "ICp95 ms", "CT rmse", "FT rmse", "cad rms", "mode%", "pelvis%", "SI n", "tilt n");
  const Subset subsets[] = {{"pelvis", {true, false, false}},
                            {"left+right", {false, true, true}},
                            {"left+pelvis", {true, true, false}},
                            {"right+pelvis", {true, false, true}},
                            {"all three", {true, true, true}}};
  for (const bool walking : {true, false}) {
    for (const auto& subset : subsets) {
      sim::RunnerConfig c;
      c.sensors = subset.sensors;
      if (walking) c.walking_s = std::numeric_limits<double>::infinity();
      auto engine = fusion::EngineConfig{};
      if (walking) engine.treadmill_speed_mps = c.walking.speed_mps;
      const auto a = fusion::testing::run_simulated_session(c, seconds, engine);
      std::printf("   %-16s %-8s %6zu %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %7.1f %7.1f %6zu %6zu\n", subset.name,
                  walking ? "walking" : "running", a.truth_steps, a.recall * 100, a.precision * 100,
                  a.ic_s.abs_quantile(0.5) * 1e3, a.ic_s.abs_quantile(0.95) * 1e3, a.contact_s.rms * 1e3,
                  a.flight_s.rms * 1e3, a.cadence_spm.rms,
                  a.matched ? 100.0 * static_cast<double>(a.mode_agree) / static_cast<double>(a.matched) : NAN,
                  a.matched ? 100.0 * static_cast<double>(a.from_pelvis) / static_cast<double>(a.matched) : NAN,
                  a.strike_index_pct.count, a.tilt_deg.count);
    }
  }
  std::printf("   (SI n, tilt n: matched steps with a strike index, with a tilt at IC: absent, with its reason, where "
              "the sensors cannot give it)\n\n");
}

// 4. OpenGo: ours against Moticon's marked initial contacts.
void opengo(const std::string& dir) {
  std::printf("4. Moticon OpenGo exports (%s), insoles alone: our initial contacts against Moticon's marked ones\n",
              dir.c_str());
  std::printf("   %-26s %-5s %7s %7s %8s %9s %9s %9s\n", "file", "foot", "marked", "ours", "matched", "med |d| ms",
              "p95 |d| ms", "mean d ms");
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".txt") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    AnalysisInputs in;
    in.insoles_export = file;
    const auto result = analyze_recording(in);
    const auto export_ = read_opengo_export(file);
    for (const Side side : {Side::left, Side::right}) {
      std::vector<double> marked, ours, d;
      for (const auto& m : export_.marks)
        if (m.side == side && m.initial_contact) marked.push_back(m.t_s);
      for (const auto& s : result.steps)
        if (s.side == side) ours.push_back(s.t_ic_s);
      // Each marked contact to our nearest within 0.25 s (half a walking step), one to one.
      std::vector<bool> used(ours.size());
      for (double m : marked) {
        std::size_t best = ours.size();
        for (std::size_t i = 0; i < ours.size(); ++i)
          if (!used[i] && std::abs(ours[i] - m) <= 0.25 && (best == ours.size() || std::abs(ours[i] - m) < std::abs(ours[best] - m)))
            best = i;
        if (best == ours.size()) continue;
        used[best] = true;
        d.push_back((ours[best] - m) * 1e3);
      }
      std::vector<double> a;
      double mean = 0.0;
      for (double x : d) {
        a.push_back(std::abs(x));
        mean += x;
      }
      std::sort(a.begin(), a.end());
      auto q = [&](double p) -> double {
        if (a.empty()) return NAN;
        const auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(a.size())));
        return a[k == 0 ? 0 : k - 1];
      };
      std::printf("   %-26s %-5s %7zu %7zu %8zu %9.1f %9.1f %9.1f\n",
                  std::filesystem::path(file).filename().string().c_str(), to_string(side), marked.size(), ours.size(),
                  d.size(), q(0.5), q(0.95), d.empty() ? NAN : mean / static_cast<double>(d.size()));
    }
  }
  std::printf("   (the export's clock; Moticon marks events on 100 Hz samples: 10 ms steps)\n\n");
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string shared = STRIDEFUSE_SHARED_DIR;
    if (argc > 2 && std::string(argv[1]) == "--only") {
      const std::string part = argv[2];
      const double seconds = argc > 3 ? std::atof(argv[3]) : 120.0;
      if (part == "mobgap") walking_mobgap(shared + "/data/mobgap");
      else if (part == "running") running_pelvis_alone(seconds);
      else if (part == "subsets") every_subset(seconds);
      else if (part == "opengo") opengo(shared + "/data/opengo");
      else throw std::invalid_argument("--only takes mobgap, running, subsets or opengo");
      return 0;
    }
    const double per_scenario_s = argc > 1 ? std::atof(argv[1]) : 120.0;
    const double per_subset_s = argc > 2 ? std::atof(argv[2]) : 180.0;
    if (!(per_scenario_s >= 30.0) || !(per_subset_s >= 30.0))
      throw std::invalid_argument("usage: sensor_subsets_bench [seconds_per_scenario >= 30] [seconds_per_subset >= 30]");
    walking_mobgap(shared + "/data/mobgap");
    running_pelvis_alone(per_scenario_s);
    every_subset(per_subset_s);
    opengo(shared + "/data/opengo");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sensor_subsets_bench: %s\n", e.what());
    return 2;
  }
}
