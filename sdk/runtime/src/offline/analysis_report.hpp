#pragma once

#include <ostream>

#include "stridefuse/runtime/offline_analysis.hpp"

namespace stridefuse {

/// A self-contained HTML page (inline SVG, no scripts, no network): summary
/// per foot with asymmetry, each metric over the session, form alerts, and
/// how the files were put on one clock.
void write_analysis_report(const AnalysisSummary& summary, const AnalysisInputs& inputs, std::ostream& out);

}  // namespace stridefuse
