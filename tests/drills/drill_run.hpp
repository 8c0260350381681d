#pragma once
// Test and benchmark support for drill mode: runs a simulated drill set
// (stridefuse::sim::DrillSimulation) through a DrillTracker and pairs the
// reps it found with the simulation's truth. Samples go in at their true
// times (clock sync assumed perfect); lost packets are missing as on the link.

#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "stridefuse/fusion/drill_tracker.hpp"
#include "stridefuse/sim/drill_simulation.hpp"

namespace stridefuse::drill_test {

struct DrillRun {
  std::vector<RepEvent> reps;
  std::vector<PelvisMovedEvent> moved;
  std::vector<double> moved_delivered_s;  ///< the time of the sample whose push called each event back
  std::optional<DrillSetEvent> set;
  std::vector<sim::DrillRepTruth> truth;
  double tolerance_deg = 0.0;
};

inline DrillRun run_drill(const sim::DrillSimConfig& sim_config, const DrillConfig& config) {
  sim::DrillSimulation simulation(sim_config);
  DrillRun run;
  run.truth = simulation.reps();
  run.tolerance_deg = config.tolerance_deg.value_or(fusion::drill_definition(config.exercise).default_tolerance_deg);
  double now_s = 0.0;
  fusion::DrillTracker tracker(simulation.streams(), config,
                               {[&](const RepEvent& r) { run.reps.push_back(r); },
                                [&](const PelvisMovedEvent& e) {
                                  run.moved.push_back(e);
                                  run.moved_delivered_s.push_back(now_s);
                                },
                                [&](const DrillSetEvent& s) { run.set = s; }});
  simulation.advance_to(simulation.end_s(), [&](const sim::SimulatedSample& s) {
    Sample sample;
    sample.stream = s.stream;
    sample.channel_count = s.channel_count;
    sample.t_s = s.true_time_s;
    sample.values = s.values;
    now_s = s.true_time_s;
    tracker.push(sample);
  });
  tracker.finish();
  return run;
}

/// The detected rep that overlaps a true rep most, or nullptr.
inline const RepEvent* matching_rep(const DrillRun& run, const sim::DrillRepTruth& truth) {
  const RepEvent* best = nullptr;
  double best_overlap = 0.0;
  for (const auto& r : run.reps) {
    const double overlap = std::min(r.t_end_s, truth.t_end_s) - std::max(r.t_start_s, truth.t_start_s);
    if (overlap > best_overlap) {
      best_overlap = overlap;
      best = &r;
    }
  }
  return best;
}

/// The count is exact and every true rep has its own detected rep.
inline bool count_exact(const DrillRun& run) {
  if (run.reps.size() != run.truth.size()) return false;
  for (std::size_t i = 0; i < run.truth.size(); ++i)
    if (matching_rep(run, run.truth[i]) != &run.reps[i]) return false;
  return true;
}

inline double axis_of(const PelvisExcursion& e, PelvisAxis axis) {
  return axis == PelvisAxis::tilt ? e.tilt_deg : axis == PelvisAxis::obliquity ? e.obliquity_deg : e.rotation_deg;
}

/// A true rep is faulty for the tracker when a watched axis's true excursion passes the tolerance.
inline bool truly_moved(const sim::DrillRepTruth& truth, const WatchedAxes& watched, double tolerance_deg) {
  return (watched.tilt && std::abs(truth.excursion.tilt_deg) > tolerance_deg) ||
         (watched.obliquity && std::abs(truth.excursion.obliquity_deg) > tolerance_deg) ||
         (watched.rotation && std::abs(truth.excursion.rotation_deg) > tolerance_deg);
}

/// The found and the true reps side by side, for a failing test's message.
inline std::string describe(const DrillRun& run) {
  std::ostringstream out;
  out.precision(3);
  out << "found:\n";
  for (const auto& r : run.reps)
    out << "  #" << r.rep << " " << to_string(r.side) << " " << r.t_start_s << ".." << r.t_end_s << " rom "
        << r.range_of_motion_deg.value << " hold " << r.hold_s.value_or(-1) << " exc " << r.excursion.tilt_deg << "/"
        << r.excursion.obliquity_deg << "/" << r.excursion.rotation_deg << (r.pelvis_moved ? " MOVED" : "") << "\n";
  out << "true:\n";
  for (const auto& r : run.truth)
    out << "  #" << r.rep << " " << to_string(r.side) << " " << r.t_start_s << ".." << r.t_end_s << " rom "
        << r.range_of_motion_deg << " hold " << r.hold_s.value_or(-1) << " exc " << r.excursion.tilt_deg << "/"
        << r.excursion.obliquity_deg << "/" << r.excursion.rotation_deg << (r.faulty ? " FAULT" : "") << "\n";
  return out.str();
}

}  // namespace stridefuse::drill_test
