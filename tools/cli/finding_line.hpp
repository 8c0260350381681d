#pragma once
// The line `stridefuse run` prints when a form finding starts or ends.

#include <string>

#include "stridefuse/core/events.hpp"

namespace stridefuse::cli {

/// e.g. "finding started cadence_low (both) t=29.100s: Cadence was 150 steps/min ..."
std::string format_finding_line(const FindingEvent& event);

}  // namespace stridefuse::cli
