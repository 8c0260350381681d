#pragma once
// The offline analysis's inputs for a recording of the second runner model
// (drivers/simulated/second_runner): its files, its speed source as the
// scenario says (a treadmill's setting or the footpod's speed.csv), its mass.

#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/second_runner/recording.hpp"

namespace stridefuse::second_runner {

inline AnalysisInputs analysis_inputs(const Recording& rec, const Scenario& sc, bool same_clock) {
  AnalysisInputs in;
  in.pelvis_csv = rec.pelvis_csv;
  in.left_csv = rec.left_csv;
  in.left_layout = rec.left_layout;
  in.right_csv = rec.right_csv;
  in.right_layout = rec.right_layout;
  in.same_clock = same_clock;
  if (rec.speed_csv) in.speed_csv = rec.speed_csv;
  else in.speed_mps = sc.speed_mps;
  in.body_mass_kg = sc.body_mass_kg;
  return in;
}

}  // namespace stridefuse::second_runner
