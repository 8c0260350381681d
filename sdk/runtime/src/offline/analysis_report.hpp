#pragma once

#include <ostream>

#include "stridefuse/runtime/offline_analysis.hpp"

namespace stridefuse {

/// A self-contained HTML page (inline SVG and CSS, no scripts, no network),
/// for a coach: the findings first, foot-strike distance against pelvic tilt
/// and drop with the fitted lines, minute-by-minute trends per side, left
/// against right, the first minutes against the last; then what the sensors
/// could not give, the live engine's drift alerts and how the files were put
/// on one clock.
void write_analysis_report(const AnalysisSummary& summary, const AnalysisInputs& inputs, std::ostream& out);

}  // namespace stridefuse
