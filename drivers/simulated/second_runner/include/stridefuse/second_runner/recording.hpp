#pragma once
// The files `stridefuse analyze` reads (sdk/runtime/src/offline/FILES.md,
// "Input files") and the truth, written for one scenario.

#include <filesystem>
#include <optional>
#include <vector>

#include "stridefuse/second_runner/scenario.hpp"
#include "stridefuse/second_runner/truth.hpp"

namespace stridefuse::second_runner {

struct Recording {
  std::filesystem::path pelvis_csv, left_csv, left_layout, right_csv, right_layout;
  std::optional<std::filesystem::path> speed_csv;  ///< the footpod's stream, on the pelvis file's clock
  std::filesystem::path truth_csv, clocks_csv;
  std::vector<ContactTruth> contacts;
};

/// Writes pelvis.csv, left.csv, right.csv, their layouts, speed.csv (footpod
/// scenarios), truth_steps.csv and truth_clocks.csv into `dir`.
Recording write_recording(const Scenario& scenario, const std::filesystem::path& dir);

}  // namespace stridefuse::second_runner
