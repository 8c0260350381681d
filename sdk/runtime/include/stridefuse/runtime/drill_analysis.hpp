#pragma once
// Drill mode over recorded files (`stridefuse drill --pelvis ...`,
// fusion/DRILLS.md): the offline analysis's reading, clock alignment and
// merge (offline_analysis.hpp) with the engine in drill mode.

#include <filesystem>
#include <optional>
#include <vector>

#include "stridefuse/core/drill.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"

namespace stridefuse {

/// What a drill over files gave, on the pelvis file's clock.
struct DrillAnalysis {
  std::vector<RepEvent> reps;
  std::vector<PelvisMovedEvent> pelvis_moved;
  std::optional<DrillSetEvent> set;  ///< always there after a complete analysis
  std::vector<ClockAlignment> alignments;
};

/// Runs `drill` over the files. Throws what analyze_streaming throws, and
/// fusion::DrillSetupError (a std::invalid_argument) naming the sensor the
/// exercise needs that the files lack, or the side a one-sided exercise needs.
DrillAnalysis analyze_drill(const AnalysisInputs& inputs, const DrillConfig& drill);

/// analyze_drill writing reps.csv (a row per rep: the rep event's JSON fields
/// as columns), events.jsonl (every event as a subscriber sees it),
/// drill_set.json (the set summary) and report.html (the drill report) into
/// `dir`, created when missing. Throws what analyze_drill throws, and
/// std::runtime_error naming a path it could not create or write.
DrillAnalysis analyze_drill_to_directory(const AnalysisInputs& inputs, const DrillConfig& drill,
                                         const std::filesystem::path& dir);

}  // namespace stridefuse
