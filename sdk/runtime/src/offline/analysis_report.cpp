#include "analysis_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "fixed_decimal.hpp"
#include "stridefuse/core/step_fields.hpp"

namespace stridefuse {
namespace {

std::string fmt(double v, const char* f = "%.3g") {
  if (!std::isfinite(v)) return "&ndash;";
  char b[40];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// As fmt(v, "%.1f"): the fixed-point fast path where it gives printf's
// characters (away from half-way points), printf itself otherwise.
void append_one_decimal(std::string& out, double v) {
  char b[40];
  if (std::isfinite(v)) {
    if (char* end = offline::fixed_decimal(b, v, 1)) {
      out.append(b, end);
      return;
    }
  }
  out += fmt(v, "%.1f");
}

double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

std::string escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else o += c;
  }
  return o;
}

// One metric over time, left and right as two series of dots.
void chart(std::ostream& out, const AnalysisSummary& r, const StepField& c) {
  constexpr double w = 640, h = 160, pad = 36;
  double t0 = INFINITY, t1 = -INFINITY, v0 = INFINITY, v1 = -INFINITY;
  for (const auto& s : r.steps)
    if ((s.*c.metric).present()) {
      t0 = std::min(t0, s.t_ic_s), t1 = std::max(t1, s.t_ic_s);
      v0 = std::min(v0, (s.*c.metric).value), v1 = std::max(v1, (s.*c.metric).value);
    }
  if (!(t1 > t0)) return;
  if (!(v1 > v0)) v0 -= 1, v1 += 1;
  out << "<h3>" << c.name << " (" << c.unit << ")</h3>\n<svg width='" << w << "' height='" << h
      << "' role='img'><rect x='" << pad << "' y='4' width='" << w - pad - 4 << "' height='" << h - pad
      << "' fill='none' stroke='#999'/>\n<text x='0' y='14' font-size='10'>" << fmt(v1) << "</text><text x='0' y='"
      << h - pad + 4 << "' font-size='10'>" << fmt(v0) << "</text><text x='" << pad << "' y='" << h - 8
      << "' font-size='10'>" << fmt(t0, "%.0f") << " s</text><text x='" << w - 50 << "' y='" << h - 8
      << "' font-size='10'>" << fmt(t1, "%.0f") << " s</text>\n";
  // A dot per step and metric (~120k for an hour): composed in one string
  // rather than through a dozen stream insertions each.
  std::string dots;
  for (const auto& s : r.steps) {
    const Metric& m = s.*c.metric;
    if (!m.present()) continue;
    const double x = pad + (s.t_ic_s - t0) / (t1 - t0) * (w - pad - 8);
    const double y = 4 + (1 - (m.value - v0) / (v1 - v0)) * (h - pad);
    dots += "<circle cx='";
    append_one_decimal(dots, x);
    dots += "' cy='";
    append_one_decimal(dots, y);
    dots += "' r='1.5' fill='";
    dots += s.side == Side::left ? "#1f77b4" : "#d62728";
    dots += "'/>";
  }
  out << dots << "\n</svg>\n";
}

}  // namespace

void write_analysis_report(const AnalysisSummary& r, const AnalysisInputs& in, std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>stridefuse analysis</title>\n"
         "<style>body{font-family:sans-serif;max-width:60em;margin:1em auto}table{border-collapse:collapse}"
         "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#eee}"
         ".l{color:#1f77b4}.r{color:#d62728}</style></head><body>\n"
      << "<h1>Running form, stride by stride</h1>\n<p>Pelvis: "
      << (in.pelvis_csv.empty() ? std::string("none") : escape(in.pelvis_csv.string())) << "; " << r.steps.size()
      << " steps; times on the " << (in.pelvis_csv.empty() ? "first insole" : "pelvis") << " file's clock. "
      << "<span class='l'>&#9679; left</span> <span class='r'>&#9679; right</span></p>\n";
  // Only what the sensors cannot give is listed (metrics.csv has every metric).
  bool missing = false;
  for (const auto& m : r.metrics) {
    if (m.left == AbsentReason::none && m.right == AbsentReason::none) continue;
    out << (missing ? "" : "<h2>What these sensors cannot give</h2>\n<table><tr><th>metric</th><th>left</th>"
                           "<th>right</th></tr>\n")
        << "<tr><th>" << escape(m.metric) << "</th><td>" << to_string(m.left) << "</td><td>" << to_string(m.right)
        << "</td></tr>\n";
    missing = true;
  }
  if (missing) out << "</table>\n";

  out << "<h2>Summary</h2>\n<table><tr><th>metric</th><th>left median</th><th>right median</th>"
         "<th>asymmetry (L&minus;R)/mean</th><th>steps with a value</th></tr>\n";
  for (const StepField& c : step_metrics) {
    std::vector<double> left, right;
    for (const auto& s : r.steps)
      if ((s.*c.metric).present()) (s.side == Side::left ? left : right).push_back((s.*c.metric).value);
    const double l = median(left), rr = median(right);
    const double asym = (l - rr) / ((l + rr) / 2) * 100.0;
    out << "<tr><th>" << c.name << " (" << c.unit << ")</th><td>" << fmt(l) << "</td><td>" << fmt(rr) << "</td><td>"
        << (std::abs(l + rr) > 1e-9 ? fmt(asym, "%.1f") + " %" : "&ndash;") << "</td><td>"
        << left.size() + right.size() << "</td></tr>\n";
  }
  out << "</table>\n<p>A metric with no value could not be computed from the sensors given "
         "(see events.jsonl for the reason per step).</p>\n";

  out << "<h2>Form alerts</h2>\n";
  std::size_t alerts = 0;
  for (const auto& alert : r.form_alerts) {
    const auto* a = &alert;
    out << (alerts++ ? "" : "<ul>\n") << "<li>" << fmt(a->t_s, "%.1f") << " s: " << escape(a->metric)
        << " rolling median " << fmt(a->current) << " against baseline " << fmt(a->baseline) << " (threshold "
        << fmt(a->threshold) << ")</li>\n";
  }
  out << (alerts ? "</ul>\n" : "<p>None.</p>\n");

  out << "<h2>Over the session</h2>\n";
  for (const StepField& c : step_metrics) chart(out, r, c);

  out << "<h2>Clocks</h2>\n<table><tr><th>file</th><th>offset (s)</th><th>drift (ppm)</th><th>residual (ms)</th>"
         "<th>how</th></tr>\n";
  for (const auto& a : r.alignments)
    out << "<tr><th>" << escape(a.stream_id) << "</th><td>" << fmt(a.offset_s, "%.4f") << "</td><td>"
        << fmt(a.drift_ppm, "%.1f") << "</td><td>" << fmt(a.residual_s * 1e3, "%.2f") << "</td><td>"
        << escape(a.note) << "</td></tr>\n";
  out << "</table>\n</body></html>\n";
}

}  // namespace stridefuse
