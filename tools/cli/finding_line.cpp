#include "finding_line.hpp"

#include <cstdio>

namespace stridefuse::cli {

std::string format_finding_line(const FindingEvent& e) {
  char time[32];
  std::snprintf(time, sizeof time, "%.3f", e.t_s);
  return std::string("finding ") + (e.state == FindingState::started ? "started " : "ended ") +
         to_string(e.finding.code) + " (" + to_string(e.finding.side) + ") t=" + time + "s: " + e.finding.message;
}

}  // namespace stridefuse::cli
