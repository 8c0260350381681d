#include "report_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace stridefuse::offline {

namespace {

constexpr double width = 640, height = 320;
constexpr double left_margin = 64, right_margin = 12, top_margin = 30, bottom_margin = 46;
constexpr double plot_w = width - left_margin - right_margin, plot_h = height - top_margin - bottom_margin;

std::string num(double v, const char* format = "%.1f") {
  char b[48];
  std::snprintf(b, sizeof b, format, v);
  return b;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return !(hi >= lo); }
};

// Tick step of 1, 2 or 5 times a power of ten giving about `count` ticks.
double tick_step(double span, int count) {
  const double raw = span / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0})
    if (raw <= m * power) return m * power;
  return 10.0 * power;
}

// Widens a range to whole ticks (and a flat range to a unit around it).
Range padded(Range r, double* step) {
  if (r.hi - r.lo < 1e-9) r.lo -= 1.0, r.hi += 1.0;
  *step = tick_step(r.hi - r.lo, 5);
  r.lo = std::floor(r.lo / *step) * *step;
  r.hi = std::ceil(r.hi / *step) * *step;
  return r;
}

const char* tick_format(double step) { return step >= 1.0 ? "%.0f" : step >= 0.1 ? "%.1f" : "%.2f"; }

}  // namespace

std::string format_number(double v, const char* format) { return num(v, format); }

std::string html_escape(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (const char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else if (c == '\'') o += "&#39;";
    else o += c;
  }
  return o;
}

void write_plot(std::ostream& out, const PlotSpec& spec) {
  Range xr, yr;
  std::size_t points = 0;
  for (const auto& s : spec.series)
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i)
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) xr.add(s.x[i]), yr.add(s.y[i]), ++points;
  out << "<figure id='" << spec.id << "'><h3>" << html_escape(spec.title) << "</h3>\n";
  if (points == 0) {
    out << "<p class='nodata'>No data for this plot: the metrics it needs were not measured.</p></figure>\n";
    return;
  }
  double xs = 1, ys = 1;
  xr = padded(xr, &xs);
  yr = padded(yr, &ys);
  const auto px = [&](double x) { return left_margin + (x - xr.lo) / (xr.hi - xr.lo) * plot_w; };
  const auto py = [&](double y) { return top_margin + (1.0 - (y - yr.lo) / (yr.hi - yr.lo)) * plot_h; };

  std::string svg;
  svg += "<svg class='plot' viewBox='0 0 " + num(width, "%.0f") + " " + num(height, "%.0f") +
         "' role='img' aria-label='" + html_escape(spec.title) + "' data-points='" + std::to_string(points) + "'>";
  // Frame (and the clip of the fitted lines), grid and ticks.
  svg += "<clipPath id='" + spec.id + "-area'><rect x='" + num(left_margin) + "' y='" + num(top_margin) +
         "' width='" + num(plot_w) + "' height='" + num(plot_h) + "'/></clipPath>";
  svg += "<rect class='frame' x='" + num(left_margin) + "' y='" + num(top_margin) + "' width='" + num(plot_w) +
         "' height='" + num(plot_h) + "'/>";
  for (double x = xr.lo; x <= xr.hi + xs / 2; x += xs)
    svg += "<line class='grid' x1='" + num(px(x)) + "' x2='" + num(px(x)) + "' y1='" + num(top_margin) + "' y2='" +
           num(top_margin + plot_h) + "'/><text class='tick' x='" + num(px(x)) + "' y='" +
           num(top_margin + plot_h + 16) + "' text-anchor='middle'>" + num(x, tick_format(xs)) + "</text>";
  for (double y = yr.lo; y <= yr.hi + ys / 2; y += ys)
    svg += "<line class='grid' x1='" + num(left_margin) + "' x2='" + num(left_margin + plot_w) + "' y1='" + num(py(y)) +
           "' y2='" + num(py(y)) + "'/><text class='tick' x='" + num(left_margin - 6) + "' y='" + num(py(y) + 4) +
           "' text-anchor='end'>" + num(y, tick_format(ys)) + "</text>";
  // Axis labels.
  svg += "<text class='axis' x='" + num(left_margin + plot_w / 2) + "' y='" + num(height - 8) +
         "' text-anchor='middle'>" + html_escape(spec.x_label) + "</text>";
  svg += "<text class='axis' transform='translate(14 " + num(top_margin + plot_h / 2) +
         ") rotate(-90)' text-anchor='middle'>" + html_escape(spec.y_label) + "</text>";
  // Legend.
  double lx = left_margin;
  for (const auto& s : spec.series) {
    svg += "<circle cx='" + num(lx + 5) + "' cy='16' r='5' fill='" + s.colour + "'/><text class='legend' x='" +
           num(lx + 14) + "' y='20'>" + html_escape(s.name) + "</text>";
    lx += 24 + 8.0 * static_cast<double>(s.name.size());
  }
  // Data.
  for (const auto& s : spec.series) {
    std::string line;
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      svg += "<circle class='data' cx='" + num(px(s.x[i])) + "' cy='" + num(py(s.y[i])) + "' r='" +
             (s.joined ? "3" : "2") + "' fill='" + s.colour + "'/>";
      if (s.joined) line += num(px(s.x[i])) + "," + num(py(s.y[i])) + " ";
    }
    if (s.joined && !line.empty())
      svg += "<polyline class='data trend' fill='none' stroke='" + s.colour + "' points='" + line + "'/>";
  }
  for (const auto& f : spec.fits) {
    const double x0 = std::clamp(f.x0, xr.lo, xr.hi), x1 = std::clamp(f.x1, xr.lo, xr.hi);
    const double slope = f.x1 != f.x0 ? (f.y1 - f.y0) / (f.x1 - f.x0) : 0.0;
    const double y0 = f.y0 + slope * (x0 - f.x0), y1 = f.y0 + slope * (x1 - f.x0);
    svg += "<line class='fit' clip-path='url(#" + spec.id + "-area)' x1='" + num(px(x0)) + "' y1='" + num(py(y0)) + "' x2='" + num(px(x1)) + "' y2='" +
           num(py(y1)) + "' stroke='" + f.colour + "'/>";
  }
  svg += "</svg>";
  out << svg << "\n";
  if (!spec.caption.empty()) out << "<figcaption>" << html_escape(spec.caption) << "</figcaption>";
  out << "</figure>\n";
}

}  // namespace stridefuse::offline
