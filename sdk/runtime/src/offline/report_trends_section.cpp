// report.html: the key metrics minute by minute, left and right, and the
// first minutes of the run against the last (what fatigue changed).

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report_plot.hpp"
#include "report_sections.hpp"
#include "stridefuse/fusion/form_drift.hpp"

namespace stridefuse::offline {

namespace {

double median_or_nan(std::vector<double> v) {
  return v.empty() ? std::nan("") : fusion::median_of(v);
}

std::vector<double> values_between(const std::vector<StepEvent>& running, Side side, const ReportMetric& m, double t0,
                                   double t1) {
  std::vector<double> v;
  for (const auto& s : running)
    if (s.side == side && s.t_ic_s >= t0 && s.t_ic_s < t1 && (s.*m.member).present())
      v.push_back((s.*m.member).value * m.scale);
  return v;
}

std::string cell(double v) {
  if (!std::isfinite(v)) return "&ndash;";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

}  // namespace

const std::vector<ReportMetric>& key_metrics() {
  static const std::vector<ReportMetric> metrics{
      {"foot_strike_distance_m", "foot-strike distance (cm)", &StepEvent::foot_strike_distance_m, 100.0, "cm"},
      {"tilt_ic_deg", "pelvic tilt at contact (deg, anterior +)", &StepEvent::tilt_ic_deg, 1.0, "deg"},
      {"pelvic_drop_deg", "pelvic drop (deg)", &StepEvent::pelvic_drop_deg, 1.0, "deg"},
      {"cadence_spm", "cadence (steps/min)", &StepEvent::cadence_spm, 1.0, "steps/min"},
      {"contact_time_s", "contact time (ms)", &StepEvent::contact_time_s, 1000.0, "ms"},
      {"vertical_oscillation_m", "vertical oscillation (cm)", &StepEvent::vertical_oscillation_m, 100.0, "cm"},
  };
  return metrics;
}

void minute_medians(const std::vector<StepEvent>& running, Side side, const ReportMetric& m, std::vector<double>& x,
                    std::vector<double>& y) {
  x.clear();
  y.clear();
  if (running.empty()) return;
  const double t0 = running.front().t_ic_s;
  const auto minutes = static_cast<long>((running.back().t_ic_s - t0) / 60.0);
  for (long k = 0; k <= minutes; ++k) {
    auto v = values_between(running, side, m, t0 + 60.0 * static_cast<double>(k), t0 + 60.0 * static_cast<double>(k + 1));
    if (v.size() < 5) continue;
    x.push_back(static_cast<double>(k) + 0.5);
    y.push_back(fusion::median_of(v));
  }
}

void write_trends_section(std::ostream& out, const std::vector<StepEvent>& running) {
  out << "<section id='trends'><h2>Minute by minute</h2>\n<p>The median of each minute of running, left and "
         "right.</p>\n<div class='grid'>\n";
  for (const auto& m : key_metrics()) {
    PlotSpec spec;
    spec.id = std::string("trend-") + m.name;
    spec.title = m.label;
    spec.x_label = "time from the first step (min)";
    spec.y_label = m.label;
    for (const Side side : {Side::left, Side::right}) {
      PlotSeries s{side == Side::left ? "left" : "right", side == Side::left ? left_colour : right_colour, {}, {}, true};
      minute_medians(running, side, m, s.x, s.y);
      spec.series.push_back(std::move(s));
    }
    write_plot(out, spec);
  }
  out << "</div></section>\n";
}

void write_fatigue_section(std::ostream& out, const std::vector<StepEvent>& running) {
  out << "<section id='fatigue'><h2>First minutes against last</h2>\n";
  if (running.size() < 2) {
    out << "<p>Too few running steps to compare.</p></section>\n";
    return;
  }
  const double t0 = running.front().t_ic_s, t1 = running.back().t_ic_s;
  // Two minutes at each end, or a third of a shorter run.
  const double span = std::min(120.0, (t1 - t0) / 3.0);
  char head[200];
  std::snprintf(head, sizeof head, "<p>Medians of the first %.1f and the last %.1f minutes of running.</p>\n",
                span / 60.0, span / 60.0);
  out << head
      << "<div class='scroll'><table><tr><th>metric</th><th>side</th><th>first</th><th>last</th><th>change</th></tr>\n";
  for (const auto& m : key_metrics())
    for (const Side side : {Side::left, Side::right}) {
      const double first = median_or_nan(values_between(running, side, m, t0, t0 + span));
      const double last = median_or_nan(values_between(running, side, m, t1 - span, t1 + 1e-9));
      const double change = last - first;
      out << "<tr><th>" << m.label << "</th><td class='" << (side == Side::left ? "l'>left" : "r'>right") << "</td><td>"
          << cell(first) << "</td><td>" << cell(last) << "</td><td>" << (std::isfinite(change) && change > 0 ? "+" : "")
          << cell(change) << "</td></tr>\n";
    }
  out << "</table></div></section>\n";
}

}  // namespace stridefuse::offline
