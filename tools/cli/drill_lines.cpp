#include "drill_lines.hpp"

#include <cstdio>
#include <tuple>

namespace stridefuse::cli {
namespace {

std::string number(double v, const char* format) {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string metric(const Metric& m, const char* format) { return m.present() ? number(m.value, format) : "-"; }

// A watched axis's figure is marked, so that the ones that count stand out.
std::string axis(const char* name, double value_deg, bool watched) {
  return std::string(" ") + name + (watched ? "* " : " ") + number(value_deg, "%.1f");
}

}  // namespace

std::string format_rep_line(const RepEvent& r) {
  std::string line = "rep " + std::to_string(r.rep) + " " + to_string(r.side) + " t=" + number(r.t_start_s, "%.3f") +
                     "-" + number(r.t_end_s, "%.3f") + "s (" + number(r.t_end_s - r.t_start_s, "%.2f") + "s)";
  line += " rom " + metric(r.range_of_motion_deg, "%.1fdeg");
  line += " hold " + (r.hold_s ? number(*r.hold_s, "%.2fs") : std::string("-"));
  line += axis("tilt", r.excursion.tilt_deg, r.watched.tilt);
  line += axis("obliquity", r.excursion.obliquity_deg, r.watched.obliquity);
  line += axis("rotation", r.excursion.rotation_deg, r.watched.rotation) + "deg";
  line += r.pelvis_moved ? " MOVED (tolerance " + number(r.tolerance_deg, "%.1f") + "deg)" : " still";
  return line;
}

std::string format_pelvis_moved_line(const PelvisMovedEvent& m) {
  return "pelvis moved: rep " + std::to_string(m.rep) + " " + to_string(m.side) + " " + to_string(m.axis) + " " +
         number(m.excursion_deg, "%.1f") + "deg (tolerance " + number(m.tolerance_deg, "%.1f") + "deg) t=" +
         number(m.t_s, "%.3f") + "s";
}

std::vector<std::string> format_drill_set_lines(const DrillSetEvent& e) {
  std::vector<std::string> lines;
  for (const auto& s : e.sides) {
    std::string line = std::string("set ") + to_string(e.exercise) + " " + to_string(s.side) + ": " +
                       std::to_string(s.reps) + " reps, " + std::to_string(s.reps_moved) + " with the pelvis moved;";
    for (const auto& [name, a, watched] :
         {std::tuple{"tilt", &s.tilt, e.watched.tilt}, std::tuple{"obliquity", &s.obliquity, e.watched.obliquity},
          std::tuple{"rotation", &s.rotation, e.watched.rotation}})
      line += std::string(" ") + name + (watched ? "*" : "") + " mean " + metric(a->mean_abs_deg, "%.1f") + " worst " +
              metric(a->worst_deg, "%.1f");
    line += " deg; duration " + metric(s.mean_duration_s, "%.2fs") + " rom " +
            metric(s.mean_range_of_motion_deg, "%.1fdeg");
    if (s.mean_hold_s) line += " hold " + number(*s.mean_hold_s, "%.2fs");
    lines.push_back(line);
  }
  if (e.sides.empty()) lines.push_back(std::string("set ") + to_string(e.exercise) + ": no reps");
  return lines;
}

}  // namespace stridefuse::cli
