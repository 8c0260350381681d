// report.html: foot-strike distance against pelvic tilt and against pelvic
// drop, every running step a point, with the least-squares line per side
// (fusion/FINDINGS.md, "The relation").

#include <algorithm>
#include <cmath>

#include "report_plot.hpp"
#include "report_sections.hpp"

namespace stridefuse::offline {

namespace {

void relation_plot(std::ostream& out, const AnalysisSummary& r, const std::vector<StepEvent>& running,
                   fusion::PelvisPredictor predictor) {
  const bool tilt = predictor == fusion::PelvisPredictor::tilt_ic_deg;
  PlotSpec spec;
  spec.id = tilt ? "fsd-vs-tilt" : "fsd-vs-drop";
  spec.title = tilt ? "Foot-strike distance against pelvic tilt at contact"
                    : "Foot-strike distance against pelvic drop";
  spec.x_label = tilt ? "pelvic tilt at contact (deg, anterior +)" : "pelvic drop during stance (deg)";
  spec.y_label = "foot-strike distance (cm)";
  for (const Side side : {Side::left, Side::right}) {
    PlotSeries s{side == Side::left ? "left" : "right", side == Side::left ? left_colour : right_colour, {}, {}};
    for (const auto& step : running) {
      const Metric& p = tilt ? step.tilt_ic_deg : step.pelvic_drop_deg;
      if (step.side != side || !p.present() || !step.foot_strike_distance_m.present()) continue;
      s.x.push_back(p.value);
      s.y.push_back(step.foot_strike_distance_m.value * 100.0);
    }
    for (const auto& rel : r.session_relations) {
      if (rel.side != side || rel.predictor != predictor || s.x.empty()) continue;
      const auto [lo, hi] = std::minmax_element(s.x.begin(), s.x.end());
      spec.fits.push_back({*lo, rel.fit.intercept + rel.fit.slope * *lo, *hi, rel.fit.intercept + rel.fit.slope * *hi,
                           s.colour});
      spec.caption += (spec.caption.empty() ? "" : " ") + rel.sentence() + ".";
    }
    spec.series.push_back(std::move(s));
  }
  if (spec.caption.empty()) spec.caption = "Too few steps with both values for a fitted line.";
  write_plot(out, spec);
}

}  // namespace

void write_relation_section(std::ostream& out, const AnalysisSummary& r, const std::vector<StepEvent>& running) {
  out << "<section id='relation'><h2>Where the foot lands and what the pelvis does</h2>\n"
         "<p>Each point is one step: how far ahead of the centre of mass the foot landed, against the pelvis at "
         "that step. The lines are the least-squares fits per side; relations.csv has them per 30 steps.</p>\n";
  relation_plot(out, r, running, fusion::PelvisPredictor::tilt_ic_deg);
  relation_plot(out, r, running, fusion::PelvisPredictor::pelvic_drop_deg);
  out << "</section>\n";
}

}  // namespace stridefuse::offline
