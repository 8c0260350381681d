#pragma once

#include <ostream>

#include "stridefuse/runtime/drill_analysis.hpp"

namespace stridefuse {

/// report.html of a drill over files: self-contained as the running report
/// (inline SVG and CSS, no script, nothing fetched). The set first (per side:
/// reps, reps with the pelvis moved, mean and worst excursion of each watched
/// axis; left against right when both sides were done), then each watched
/// axis's excursion per rep against the tolerance, the reps one by one, and
/// how the files were put on one clock.
void write_drill_report(const DrillAnalysis& analysis, const AnalysisInputs& inputs, const DrillConfig& drill,
                        std::ostream& out);

}  // namespace stridefuse
