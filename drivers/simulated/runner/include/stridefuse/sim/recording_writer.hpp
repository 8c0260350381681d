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

#include "stridefuse/sim/runner_config.hpp"

namespace stridefuse::sim {

struct RecordingSummary {
  std::vector<std::string> files;  ///< names written, in DIR
  std::size_t steps = 0;           ///< rows of truth_steps.csv
  std::size_t pelvis_samples = 0;  ///< rows of pelvis.csv
};

/// Simulates `duration_s` seconds of session and writes the files into `dir`
/// (created when missing). Throws std::invalid_argument for a bad duration or
/// configuration, std::runtime_error naming the file it cannot write.
RecordingSummary write_simulated_recording(const RunnerConfig& config, double duration_s,
                                           const std::filesystem::path& dir);

}  // namespace stridefuse::sim
