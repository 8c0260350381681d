#pragma once
// Offline analysis of recorded files (sdk/runtime/src/offline/FILES.md): the same fusion
// engine as a live session, fed from CSV files put on the pelvis file's clock.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/fusion/engine.hpp"
#include "stridefuse/runtime/recording_alignment.hpp"

namespace stridefuse {

struct AnalysisInputs {
  std::filesystem::path pelvis_csv;
  std::optional<std::filesystem::path> left_csv, left_layout;
  std::optional<std::filesystem::path> right_csv, right_layout;
  std::optional<std::filesystem::path> speed_csv;  ///< t,speed_mps
  std::optional<double> speed_mps;                 ///< a treadmill's constant speed
  std::optional<double> body_mass_kg;
};

struct AnalysisResult {
  std::vector<AttitudeEvent> attitude;  ///< one per pelvis sample, pelvis file clock
  std::vector<StepEvent> steps;         ///< pelvis file clock
  std::vector<Event> events;            ///< every event, attitude decimated to the live rate
  std::vector<ClockAlignment> alignments;
  std::uint64_t engine_late_samples = 0;
};

/// Reads, aligns and analyses. Throws std::invalid_argument for inconsistent
/// inputs (an insole without its layout, two speed sources, a non-positive
/// speed or mass) and RecordingFileError for unreadable or malformed files,
/// naming the file and the problem.
AnalysisResult analyze_recording(const AnalysisInputs& inputs, fusion::EngineConfig config = {});

/// Writes attitude.csv, steps.csv, events.jsonl and report.html into `dir`
/// (created when missing). Throws std::runtime_error naming the path it could not write.
void write_analysis(const AnalysisResult& result, const AnalysisInputs& inputs, const std::filesystem::path& dir);

}  // namespace stridefuse
