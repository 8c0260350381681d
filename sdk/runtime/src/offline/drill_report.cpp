// report.html for `stridefuse drill --out`: what a coach checking the
// dowel along the back wants, per rep and per side, in degrees.

#include "drill_report.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "report_plot.hpp"
#include "report_sections.hpp"
#include "report_style.hpp"

namespace stridefuse {
namespace {

using offline::format_number;
using offline::html_escape;

struct AxisView {
  PelvisAxis axis;
  bool watched;
  double PelvisExcursion::*excursion;
  AxisSummary DrillSideSummary::*summary;
  const char* colour;
};

std::vector<AxisView> axes(const WatchedAxes& w) {
  return {{PelvisAxis::tilt, w.tilt, &PelvisExcursion::tilt_deg, &DrillSideSummary::tilt, "#2ca02c"},
          {PelvisAxis::obliquity, w.obliquity, &PelvisExcursion::obliquity_deg, &DrillSideSummary::obliquity,
           "#9467bd"},
          {PelvisAxis::rotation, w.rotation, &PelvisExcursion::rotation_deg, &DrillSideSummary::rotation, "#ff7f0e"}};
}

std::string cell(const Metric& m, const char* format) {
  return m.present() ? format_number(m.value, format) : "&ndash; (" + std::string(to_string(m.absent_reason)) + ")";
}

void write_set_section(std::ostream& out, const DrillSetEvent& set) {
  out << "<section id='set'><h2>The set</h2>\n<div class='scroll'><table><tr><th>side</th><th>reps</th>"
         "<th>pelvis moved</th>";
  for (const auto& a : axes(set.watched))
    if (a.watched) out << "<th>" << to_string(a.axis) << " mean (deg)</th><th>" << to_string(a.axis) << " worst (deg)</th>";
  out << "<th>duration (s)</th><th>range of motion (deg)</th><th>hold (s)</th></tr>\n";
  for (const auto& s : set.sides) {
    out << "<tr><th>" << to_string(s.side) << "</th><td>" << s.reps << "</td><td>" << s.reps_moved << "</td>";
    for (const auto& a : axes(set.watched))
      if (a.watched)
        out << "<td>" << cell((s.*a.summary).mean_abs_deg, "%.1f") << "</td><td>"
            << cell((s.*a.summary).worst_deg, "%+.1f") << "</td>";
    out << "<td>" << cell(s.mean_duration_s, "%.2f") << "</td><td>" << cell(s.mean_range_of_motion_deg, "%.1f")
        << "</td><td>" << (s.mean_hold_s ? format_number(*s.mean_hold_s, "%.2f") : "&ndash;") << "</td></tr>\n";
  }
  out << "</table></div>\n";
  // Left against right, in words: the axis whose mean differs most.
  if (set.sides.size() == 2) {
    const auto& l = set.sides[0];
    const auto& r = set.sides[1];
    out << "<ul class='sides'>";
    for (const auto& a : axes(set.watched)) {
      if (!a.watched) continue;
      const Metric& lm = (l.*a.summary).mean_abs_deg;
      const Metric& rm = (r.*a.summary).mean_abs_deg;
      if (!lm.present() || !rm.present()) continue;
      out << "<li>" << to_string(a.axis) << ": the pelvis moved " << format_number(lm.value, "%.1f")
          << "&deg; on average with the left leg working and " << format_number(rm.value, "%.1f")
          << "&deg; with the right" << (std::abs(lm.value - rm.value) >= 1.0 ? " (more on the " + std::string(lm.value > rm.value ? "left" : "right") + ")" : "")
          << ".</li>";
    }
    out << "</ul>\n";
  }
  out << "</section>\n";
}

void write_excursion_plot(std::ostream& out, const DrillAnalysis& a, const DrillSetEvent& set) {
  offline::PlotSpec plot;
  plot.id = "excursion";
  plot.title = "Pelvic excursion per rep";
  plot.x_label = "rep";
  plot.y_label = "excursion from the rep's start (deg)";
  for (const auto& axis : axes(set.watched)) {
    if (!axis.watched) continue;
    offline::PlotSeries series{to_string(axis.axis), axis.colour, {}, {}, false};
    for (const auto& r : a.reps) {
      series.x.push_back(r.rep);
      series.y.push_back(r.excursion.*axis.excursion);
    }
    plot.series.push_back(std::move(series));
  }
  if (!a.reps.empty()) {
    const double x0 = a.reps.front().rep, x1 = a.reps.back().rep;
    plot.fits.push_back({x0, set.tolerance_deg, x1, set.tolerance_deg, "#888"});
    plot.fits.push_back({x0, -set.tolerance_deg, x1, -set.tolerance_deg, "#888"});
  }
  plot.caption = "Each watched axis's largest departure from the pose at the rep's start; the dashed lines are the "
                 "tolerance, " + format_number(set.tolerance_deg, "%.1f") + " deg either way.";
  offline::write_plot(out, plot);
}

void write_reps_section(std::ostream& out, const DrillAnalysis& a, const WatchedAxes& watched) {
  out << "<section id='reps'><h2>Rep by rep</h2>\n<div class='scroll'><table><tr><th>rep</th><th>side</th>"
         "<th>start (s)</th><th>duration (s)</th><th>range of motion (deg)</th><th>hold (s)</th>";
  for (const auto& axis : axes(watched))
    out << "<th>" << to_string(axis.axis) << (axis.watched ? "" : " (moves)") << " (deg)</th>";
  out << "<th>pelvis</th></tr>\n";
  for (const auto& r : a.reps) {
    out << "<tr><th>" << r.rep << "</th><td>" << to_string(r.side) << "</td><td>" << format_number(r.t_start_s, "%.2f")
        << "</td><td>" << format_number(r.t_end_s - r.t_start_s, "%.2f") << "</td><td>"
        << cell(r.range_of_motion_deg, "%.1f") << "</td><td>"
        << (r.hold_s ? format_number(*r.hold_s, "%.2f") : "&ndash;") << "</td>";
    for (const auto& axis : axes(watched)) {
      const double v = r.excursion.*axis.excursion;
      const bool past = axis.watched && std::abs(v) > r.tolerance_deg;
      out << "<td>" << (past ? "<strong>" : "") << format_number(v, "%+.1f") << (past ? "</strong>" : "") << "</td>";
    }
    out << "<td>" << (r.pelvis_moved ? "<strong>moved</strong>" : "still") << "</td></tr>\n";
  }
  out << "</table></div></section>\n";
}

}  // namespace

void write_drill_report(const DrillAnalysis& a, const AnalysisInputs& in, const DrillConfig& drill, std::ostream& out) {
  const DrillSetEvent set = a.set.value_or(DrillSetEvent{});
  out << "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
         "<meta name='viewport' content='width=device-width, initial-scale=1'>"
         "<title>Drill report</title>\n<style>"
      << offline::report_style << "</style></head><body>\n<h1>Drill: " << to_string(drill.exercise) << ", "
      << to_string(drill.side) << "</h1>\n<p>" << a.reps.size() << " reps; the pelvis must stay still on ";
  const char* separator = "";
  for (const auto& axis : axes(set.watched))
    if (axis.watched) out << std::exchange(separator, ", ") << to_string(axis.axis);
  out << " within " << format_number(set.tolerance_deg, "%.1f") << "&deg; of its pose at each rep's start "
      << "(fusion/DRILLS.md). Times on the " << (in.pelvis_csv.empty() ? "first insole" : "pelvis")
      << " file's clock. Pelvis file: "
      << (in.pelvis_csv.empty() ? std::string("none") : html_escape(in.pelvis_csv.string())) << ".</p>\n";
  write_set_section(out, set);
  out << "<section id='plots'><h2>The pelvis, rep by rep</h2>\n";
  write_excursion_plot(out, a, set);
  out << "</section>\n";
  write_reps_section(out, a, set.watched);
  offline::write_clocks_section(out, a.alignments);
  out << "</body></html>\n";
}

}  // namespace stridefuse
