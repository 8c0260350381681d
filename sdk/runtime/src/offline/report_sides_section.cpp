// report.html: left against right. Per metric the index that fits it
// (fusion::compare_sides: a symmetry index for positive metrics, magnitudes
// for the mirrored angles, differences near zero), and the minute medians of
// the two sides against each other.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report_plot.hpp"
#include "report_sections.hpp"
#include "stridefuse/core/step_fields.hpp"
#include "stridefuse/fusion/form_findings.hpp"

namespace stridefuse::offline {

namespace {

// Shown in cm and ms rather than m and s.
double display_scale(const char* unit) {
  const std::string u = unit;
  return u == "m" ? 100.0 : u == "s" ? 1000.0 : 1.0;
}
std::string display_unit(const char* unit) {
  const std::string u = unit;
  return u == "m" ? "cm" : u == "s" ? "ms" : u;
}

std::string text(double v, int decimals) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

}  // namespace

void write_sides_section(std::ostream& out, const std::vector<StepEvent>& running) {
  out << "<section id='sides'><h2>Left and right</h2>\n<p>Means over the running steps. Metrics positive on both "
         "sides are compared by the symmetry index (L&minus;R)/mean; pelvic obliquity and rotation mirror between "
         "the sides and are compared as magnitudes; metrics that can be near zero by their difference.</p>\n"
         "<div class='scroll'><table><tr><th>metric</th><th class='l'>left</th><th class='r'>right</th>"
         "<th>left against right</th></tr>\n";
  for (const StepField& f : step_metrics) {
    std::vector<double> left, right;
    for (const auto& s : running)
      if ((s.*f.metric).present()) (s.side == Side::left ? left : right).push_back((s.*f.metric).value);
    const auto c = fusion::compare_sides(f.name, left, right);
    const double k = display_scale(f.unit);
    const std::string unit = display_unit(f.unit);
    out << "<tr><th>" << f.name << " (" << unit << ")</th>";
    if (!c) {
      out << "<td>" << (left.empty() ? "&ndash;" : text(left.size(), 0) + " steps") << "</td><td>"
          << (right.empty() ? "&ndash;" : text(right.size(), 0) + " steps") << "</td><td>not measured on both sides</td></tr>\n";
      continue;
    }
    const int decimals = k > 1.0 || unit == "steps/min" ? 0 : 1;
    out << "<td>" << (c->magnitudes ? "|" : "") << text(c->left * k, decimals + (k > 1.0 ? 1 : 0))
        << (c->magnitudes ? "|" : "") << "</td><td>" << (c->magnitudes ? "|" : "")
        << text(c->right * k, decimals + (k > 1.0 ? 1 : 0)) << (c->magnitudes ? "|" : "") << "</td><td>";
    if (c->ratio)
      out << "index " << text(c->index, 1) << " %";
    else
      out << "difference " << (c->index > 0 ? "+" : "") << text(c->index * k, 1) << " " << unit;
    out << (c->magnitudes ? " (magnitudes)" : "") << "</td></tr>\n";
  }
  out << "</table></div>\n<div class='grid'>\n";
  for (const auto& m : key_metrics()) {
    if (std::string(m.name) != "pelvic_drop_deg" && std::string(m.name) != "foot_strike_distance_m") continue;
    PlotSpec spec;
    spec.id = std::string("sides-") + m.name;
    spec.title = std::string("Left against right: ") + m.label + ", minute medians";
    spec.x_label = std::string("left ") + m.label;
    spec.y_label = std::string("right ") + m.label;
    std::vector<double> lx, ly, rx, ry;
    minute_medians(running, Side::left, m, lx, ly);
    minute_medians(running, Side::right, m, rx, ry);
    PlotSeries s{"one minute", "#555", {}, {}};
    for (std::size_t i = 0, j = 0; i < lx.size() && j < rx.size();) {  // minutes both sides have
      if (lx[i] < rx[j]) ++i;
      else if (rx[j] < lx[i]) ++j;
      else s.x.push_back(ly[i++]), s.y.push_back(ry[j++]);
    }
    if (!s.x.empty()) {
      const double lo = std::min(*std::min_element(s.x.begin(), s.x.end()), *std::min_element(s.y.begin(), s.y.end()));
      const double hi = std::max(*std::max_element(s.x.begin(), s.x.end()), *std::max_element(s.y.begin(), s.y.end()));
      spec.fits.push_back({lo, lo, hi, hi, "#999"});
      spec.caption = "On the grey line left and right are equal; above it the right side is larger.";
    }
    spec.series.push_back(std::move(s));
    write_plot(out, spec);
  }
  out << "</div></section>\n";
}

}  // namespace stridefuse::offline
