#pragma once
// The C view of a step (sf_step_event, generated from the step table) and
// the sf_step_metric* calls.

#include "stridefuse/core/events.hpp"
#include "stridefuse/stridefuse.h"

namespace stridefuse::c_api {

/// Fills every member of `out` from `step`, by iterating the step table.
void to_c_step(const StepEvent& step, sf_step_event& out) noexcept;

}  // namespace stridefuse::c_api
