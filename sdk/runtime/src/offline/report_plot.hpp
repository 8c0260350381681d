#pragma once
// One plot of report.html as inline SVG: labelled axes with their units,
// ticks, a legend, points and lines per series, fitted lines. Scales to the
// page's width (phones) and prints. Every data mark has class "data" and the
// <svg> says how many it holds (data-points), so a browser test can check
// that each plot has its data (tests/findings, report test).

#include <ostream>
#include <string>
#include <vector>

namespace stridefuse::offline {

struct PlotSeries {
  std::string name;    ///< legend text, e.g. "left"
  std::string colour;  ///< CSS colour
  std::vector<double> x, y;
  bool joined = false;  ///< a line through the points in order (trends), besides the points
};

/// A straight line from (x0, y0) to (x1, y1), e.g. a least-squares fit.
struct PlotLine {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  std::string colour;
};

struct PlotSpec {
  std::string id;       ///< HTML id of the figure
  std::string title;    ///< shown above the plot and as its accessible name
  std::string x_label;  ///< with the unit, e.g. "pelvic tilt at contact (deg)"
  std::string y_label;
  std::vector<PlotSeries> series;
  std::vector<PlotLine> fits;
  std::string caption;  ///< below the plot (plain text, escaped here)
};

/// Writes <figure id=...><svg class="plot" ...>...</svg><figcaption>...</figcaption></figure>.
/// Non-finite points are skipped; a plot without any point says so in place of the axes.
void write_plot(std::ostream& out, const PlotSpec& spec);

/// A number as printf's `format` writes it (e.g. "%.1f").
std::string format_number(double v, const char* format);

/// Text with <, > and & escaped for HTML.
std::string html_escape(const std::string& s);

}  // namespace stridefuse::offline
