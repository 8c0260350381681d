#include "step_line.hpp"

#include <cstdio>

namespace stridefuse::cli {
namespace {

std::string metric(const Metric& m, const char* format, double scale = 1.0) {
  if (!m.present()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, format, m.value * scale);
  return buf;
}

}  // namespace

std::string format_step_line(const StepEvent& s) {
  char head[64];
  std::snprintf(head, sizeof head, "step %4u %c t=%.3fs", s.index, s.side == Side::left ? 'L' : 'R', s.t_ic_s);
  std::string line = head;
  line += " contact " + metric(s.contact_time_s, "%.0fms", 1000.0);
  line += " flight " + metric(s.flight_time_s, "%.0fms", 1000.0);
  line += " cadence " + metric(s.cadence_spm, "%.0fspm");
  line += " " + std::string(to_string(s.strike_pattern)) + "(" + metric(s.strike_index_pct, "%.0f%%") + ")";
  line += " fsd " + metric(s.foot_strike_distance_m, "%.2fm");
  line += " tilt " + metric(s.tilt_ic_deg, "%.1fdeg");
  line += " drop " + metric(s.pelvic_drop_deg, "%.1fdeg");
  line += std::string(" ") + to_string(s.gait_mode) + " (" + to_string(s.detected_by) + ")";
  return line;
}

}  // namespace stridefuse::cli
