#pragma once
// `stridefuse drill --simulate`'s own options: the simulated set (reps,
// tempo, faults), and how long it lasts, so that the live run ends with it.

#include "command.hpp"
#include "stridefuse/core/drill.hpp"
#include "stridefuse/runtime/devices.hpp"

namespace stridefuse::cli {

/// Adds --reps, --tempo and --faults, writing into `options`.
void add_simulated_drill_options(po::options_description& description, SimulatedDrillOptions& options);

/// Throws UsageError when a simulated set's option was given without --simulate.
void check_simulated_drill_options_unused(const po::variables_map& vm);

/// Session seconds from the start until the simulated set has ended (its last
/// rep and the stillness after it), plus the merge's wait. Throws
/// std::invalid_argument for a set the simulator cannot run.
double simulated_drill_length_s(const DrillConfig& drill, const SimulatedDrillOptions& options);

}  // namespace stridefuse::cli
