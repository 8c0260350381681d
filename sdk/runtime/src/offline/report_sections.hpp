#pragma once
// The sections of report.html (analysis_report.cpp puts them in order):
// the findings first, then the foot-strike/pelvis relation, the minute-by-
// minute trends, left against right and the first minutes against the last.

#include <ostream>
#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"

namespace stridefuse::offline {

/// The running steps of a session (walking steps are left out of the form
/// sections, as the findings leave them out), in time order.
std::vector<StepEvent> running_steps(const std::vector<StepEvent>& steps);

void write_findings_section(std::ostream& out, const AnalysisSummary& summary, std::size_t running_step_count);
void write_relation_section(std::ostream& out, const AnalysisSummary& summary, const std::vector<StepEvent>& running);
void write_trends_section(std::ostream& out, const std::vector<StepEvent>& running);
void write_sides_section(std::ostream& out, const std::vector<StepEvent>& running);
void write_fatigue_section(std::ostream& out, const std::vector<StepEvent>& running);
/// How the files were put on one clock (also the drill report's last section).
void write_clocks_section(std::ostream& out, const std::vector<ClockAlignment>& alignments);

/// A step metric as the report shows it: in a unit a coach reads (cm, ms).
struct ReportMetric {
  const char* name;   ///< steps.csv column
  const char* label;  ///< words with the unit, e.g. "foot-strike distance (cm)"
  Metric StepEvent::*member;
  double scale;  ///< steps.csv unit to the shown unit
  const char* unit;
};

/// The key metrics of the trends and the first-against-last table.
const std::vector<ReportMetric>& key_metrics();

/// Median of a metric (shown unit) per minute of the run for one side: x the
/// minute's middle in minutes from the first step, y the median; minutes with
/// fewer than 5 values are left out.
void minute_medians(const std::vector<StepEvent>& running, Side side, const ReportMetric& m, std::vector<double>& x,
                    std::vector<double>& y);

/// The report's colours of the two sides.
inline constexpr const char* left_colour = "#1f77b4";
inline constexpr const char* right_colour = "#d62728";

}  // namespace stridefuse::offline
