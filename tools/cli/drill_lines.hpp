#pragma once
// The lines `stridefuse drill` (and any live session) prints for drill mode's
// events: a rep, the pelvis moving past the tolerance, the set summary.

#include <string>
#include <vector>

#include "stridefuse/core/drill.hpp"

namespace stridefuse::cli {

/// e.g. "rep 3 left t=12.480-15.130s (2.65s) rom 42.5deg hold - tilt -1.2 obliquity 0.8 rotation 6.3deg MOVED"
std::string format_rep_line(const RepEvent& rep);

/// e.g. "pelvis moved: rep 3 left rotation 5.2deg (tolerance 5.0deg) t=13.912s"
std::string format_pelvis_moved_line(const PelvisMovedEvent& moved);

/// One line per side, e.g. "set left: 10 reps, 2 moved; mean|worst tilt 0.8|-2.1 obliquity ... deg; ..."
std::vector<std::string> format_drill_set_lines(const DrillSetEvent& set);

}  // namespace stridefuse::cli
