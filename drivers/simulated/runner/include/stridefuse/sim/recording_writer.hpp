#pragma once
// Writes a simulated session as the offline files of sdk/runtime/src/offline/FILES.md, each
// sensor's `t` in its own device clock, plus the ground truth:
//   pelvis.csv, left.csv, right.csv, left_layout.json, right_layout.json,
//   speed.csv (speed stream only), truth_steps.csv, truth_attitude.csv,
//   truth_clocks.json, simulation.json. See README.md for the columns.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "stridefuse/sim/drill_config.hpp"
#include "stridefuse/sim/runner_config.hpp"

namespace stridefuse::sim {

struct RecordingSummary {
  std::vector<std::string> files;  ///< names written, in DIR
  std::size_t steps = 0;           ///< rows of truth_steps.csv
  std::size_t pelvis_samples = 0;  ///< rows of pelvis.csv
  std::size_t reps = 0;            ///< rows of truth_reps.csv (a drill)
};

/// Simulates `duration_s` seconds of session and writes the files into `dir`
/// (created when missing). Throws std::invalid_argument for a bad duration or
/// configuration, std::runtime_error naming the file it cannot write.
RecordingSummary write_simulated_recording(const RunnerConfig& config, double duration_s,
                                           const std::filesystem::path& dir);

/// A simulated drill set (issue 16) from its start to its end, as the same
/// sensor files (pelvis.csv, left.csv, right.csv and the layouts, those the
/// configuration delivers) plus truth_reps.csv: per rep its number, side,
/// start and end on the pelvis file's clock, range of motion, hold (empty
/// without one), the pelvis's true excursion per axis and whether a fault was
/// injected. Throws as write_simulated_recording.
RecordingSummary write_simulated_drill_recording(const DrillSimConfig& config, const std::filesystem::path& dir);

}  // namespace stridefuse::sim
