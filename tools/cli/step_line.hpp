#pragma once
// The one-line-per-step summary `stridefuse run` prints.

#include <string>

#include "stridefuse/core/events.hpp"

namespace stridefuse::cli {

/// e.g. "step  12 L t=5.234s contact 231ms flight 102ms cadence 176spm midfoot(41%) fsd 0.12m drop 4.1deg"
/// An absent metric prints as "-".
std::string format_step_line(const StepEvent& step);

}  // namespace stridefuse::cli
