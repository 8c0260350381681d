#include "simulated_drill.hpp"

#include "stridefuse/sim/drill_simulation.hpp"

namespace stridefuse::cli {

void add_simulated_drill_options(po::options_description& description, SimulatedDrillOptions& o) {
  description.add_options()
      ("reps", po::value<std::uint32_t>(), "simulated set: reps (default 10)")
      ("tempo", po::value<double>(), "simulated set: one rep out and back, SECONDS (default: the exercise's)")
      ("faults", po::value(&o.faults),
       "simulated set: pelvic faults, REP:AXIS:DEG,... (axis tilt, obliquity or rotation) or none "
       "(default: 6 deg on the exercise's main axis on reps 3 and 7)");
}

void check_simulated_drill_options_unused(const po::variables_map& vm) {
  for (const char* option : {"reps", "tempo", "faults"})
    if (vm.count(option))
      throw UsageError(std::string("--") + option + " sets up the simulated set: it goes with --simulate");
}

double simulated_drill_length_s(const DrillConfig& drill, const SimulatedDrillOptions& o) {
  // The set's timing is drawn from the seed before and apart from its faults:
  // the same reps, tempo and seed give the same end.
  sim::DrillSimConfig config;
  config.seed = o.seed;
  config.exercise = drill.exercise;
  config.side = drill.side;
  config.calibration_hinge = drill.calibration_hinge;
  if (o.reps) config.reps = *o.reps;
  config.tempo_s = o.tempo_s;
  // Past the end: the merge's wait and a status period, so the last rep is fused before the stop.
  constexpr double after_end_s = 1.5;
  return sim::DrillSimulation(config).end_s() + after_end_s;
}

}  // namespace stridefuse::cli
