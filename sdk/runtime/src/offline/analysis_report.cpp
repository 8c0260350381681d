// report.html: a page a coach reads (issue 15). It opens with the findings in
// plain words and numbers, then the foot-strike/pelvis relation, the trends
// minute by minute, left against right and the first minutes against the
// last; what the sensors could not give, the legacy form alerts and the
// clocks close it. Self-contained (inline SVG and CSS, no script, nothing
// fetched), readable on a phone (the plots scale to the width) and printable.

#include "analysis_report.hpp"

#include <cstdio>
#include <string>

#include "report_plot.hpp"
#include "report_style.hpp"
#include "report_sections.hpp"

namespace stridefuse {

namespace {

std::string fmt(double v, const char* f) { return offline::format_number(v, f); }

}  // namespace

void write_analysis_report(const AnalysisSummary& r, const AnalysisInputs& in, std::ostream& out) {
  using offline::html_escape;
  const auto running = offline::running_steps(r.steps);
  out << "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
         "<meta name='viewport' content='width=device-width, initial-scale=1'>"
         "<title>Running form report</title>\n<style>"
      << offline::report_style << "</style></head><body>\n<h1>Running form</h1>\n<p>" << r.steps.size() << " steps ("
      << running.size() << " running); times on the " << (in.pelvis_csv.empty() ? "first insole" : "pelvis")
      << " file's clock. Pelvis file: "
      << (in.pelvis_csv.empty() ? std::string("none") : html_escape(in.pelvis_csv.string()))
      << (in.leg_length_m ? "; leg length " + fmt(*in.leg_length_m, "%.2f") + " m" : std::string("; no leg length given"))
      << ". <span class='l'>&#9679; left</span> <span class='r'>&#9679; right</span></p>\n";

  offline::write_findings_section(out, r, running.size());
  offline::write_relation_section(out, r, running);
  offline::write_trends_section(out, running);
  offline::write_sides_section(out, running);
  offline::write_fatigue_section(out, running);

  // Only what the sensors cannot give is listed (metrics.csv has every metric).
  bool missing = false;
  for (const auto& m : r.metrics) {
    if (m.left == AbsentReason::none && m.right == AbsentReason::none) continue;
    out << (missing ? "" : "<section id='missing'><h2>What these sensors cannot give</h2>\n<div class='scroll'><table>"
                           "<tr><th>metric</th><th>left</th><th>right</th></tr>\n")
        << "<tr><th>" << html_escape(m.metric) << "</th><td>" << to_string(m.left) << "</td><td>" << to_string(m.right)
        << "</td></tr>\n";
    missing = true;
  }
  if (missing) out << "</table></div></section>\n";

  if (!r.form_alerts.empty()) {
    out << "<section id='alerts'><h2>Drift alerts of the live engine</h2>\n<ul>\n";
    for (const auto& a : r.form_alerts)
      out << "<li>" << fmt(a.t_s, "%.1f") << " s: " << html_escape(a.metric) << " rolling median "
          << fmt(a.current, "%.3g") << " against baseline " << fmt(a.baseline, "%.3g") << " (threshold "
          << fmt(a.threshold, "%.3g") << ")</li>\n";
    out << "</ul></section>\n";
  }

  offline::write_clocks_section(out, r.alignments);
  out << "</body></html>\n";
}

namespace offline {

void write_clocks_section(std::ostream& out, const std::vector<ClockAlignment>& alignments) {
  out << "<section id='clocks'><h2>Clocks</h2>\n<div class='scroll'><table><tr><th>file</th><th>offset (s)</th>"
         "<th>drift (ppm)</th><th>residual (ms)</th><th>how</th></tr>\n";
  for (const auto& a : alignments)
    out << "<tr><th>" << html_escape(a.stream_id) << "</th><td>" << fmt(a.offset_s, "%.4f") << "</td><td>"
        << fmt(a.drift_ppm, "%.1f") << "</td><td>" << fmt(a.residual_s * 1e3, "%.2f") << "</td><td>"
        << html_escape(a.note) << "</td></tr>\n";
  out << "</table></div></section>\n";
}

}  // namespace offline

}  // namespace stridefuse
