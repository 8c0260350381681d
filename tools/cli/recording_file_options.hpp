#pragma once
// The sensor-file options `analyze` and `drill` share: which files hold the
// pelvis and the insoles, and how their clocks relate
// (sdk/runtime/src/offline/FILES.md).

#include <string>
#include <vector>

#include "command.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"

namespace stridefuse::cli {

struct RecordingFileOptions {
  std::string pelvis, left, left_layout, right, right_layout, insoles;
  double left_offset_s = 0.0, right_offset_s = 0.0;
};

/// Adds --pelvis, --left, --left-layout, --right, --right-layout, --insoles,
/// --same-clock, --left-offset and --right-offset, writing into `options`.
void add_recording_file_options(po::options_description& description, RecordingFileOptions& options);

/// True when any sensor file was given.
bool recording_files_given(const po::variables_map& vm);

/// The files and clocks given, into `inputs`.
void fill_recording_inputs(const po::variables_map& vm, const RecordingFileOptions& options, AnalysisInputs& inputs);

/// Logs on stderr, prefixed "stridefuse <command>: ", how each insole file was put on the reference clock.
void log_alignments(const char* command, const std::vector<ClockAlignment>& alignments, bool pelvis_given);

}  // namespace stridefuse::cli
