// report.html's opening: the findings in plain words and numbers.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report_plot.hpp"
#include "report_sections.hpp"

namespace stridefuse::offline {

namespace {

const char* title_of(FindingCode code) {
  switch (code) {
    case FindingCode::overstride: return "Overstriding";
    case FindingCode::backseat: return "Sitting back (hips behind the foot)";
    case FindingCode::anterior_tilt: return "Pelvis tilted forward";
    case FindingCode::hip_drop: return "Hip drop";
    case FindingCode::asymmetry: return "Left and right differ";
    case FindingCode::fatigue_drift: return "Form drifting (fatigue)";
    case FindingCode::cadence_low: return "Low cadence";
  }
  return "?";
}

std::string figure(double v, const std::string& unit) {
  char b[64];
  if (unit == "m") std::snprintf(b, sizeof b, "%.1f cm", v * 100.0);
  else if (unit == "share of stance") std::snprintf(b, sizeof b, "%.0f %% of stance", v * 100.0);
  else std::snprintf(b, sizeof b, "%.1f %s", v, unit.c_str());
  return b;
}

}  // namespace

std::vector<StepEvent> running_steps(const std::vector<StepEvent>& steps) {
  std::vector<StepEvent> out;
  for (const auto& s : steps)
    if (s.gait_mode != GaitMode::walking) out.push_back(s);
  std::stable_sort(out.begin(), out.end(), [](const StepEvent& a, const StepEvent& b) { return a.t_ic_s < b.t_ic_s; });
  return out;
}

void write_findings_section(std::ostream& out, const AnalysisSummary& r, std::size_t running_step_count) {
  out << "<section id='findings'><h2>Findings</h2>\n";
  if (r.findings.empty()) {
    out << "<p class='none'>No finding: over " << running_step_count
        << " running steps every rule stayed within its threshold (overstriding, sitting back, forward tilt, "
           "hip drop, left-right difference, drift with fatigue, cadence).</p>\n";
  } else {
    out << "<ol class='findings'>\n";
    for (const auto& f : r.findings) {
      out << "<li class='finding' data-code='" << to_string(f.code) << "'><strong>" << title_of(f.code);
      if (f.side != FindingSide::both || f.code == FindingCode::asymmetry)
        out << ", " << (f.code == FindingCode::asymmetry ? "larger on the " : "") << to_string(f.side);
      else if (f.code != FindingCode::cadence_low)
        out << ", both sides";
      out << "</strong> <span class='figure'>" << html_escape(figure(f.value, f.unit)) << " (threshold "
          << html_escape(figure(f.threshold, f.unit)) << ")</span><br>" << html_escape(f.message) << "</li>\n";
    }
    out << "</ol>\n";
  }
  out << "<p class='note'>Each finding comes from a rule with a threshold and its published source "
         "(fusion/FINDINGS.md in the stridefuse sources); a rule fires only when a window of steps shows it with "
         "95 % confidence, for a stretch of steps, not on one step.</p></section>\n";
}

}  // namespace stridefuse::offline
