#pragma once
// The text a device status event flags clock trouble with: what rose since
// the stream's previous status, e.g. "clock: 3 duplicate ticks, 1 reset".

#include <string>

#include "stridefuse/core/events.hpp"

namespace stridefuse::detail {

/// Empty when no trouble counter rose from `before` to `now` (wraps are normal, not trouble).
std::string clock_trouble(const StreamClockStatus& before, const StreamClockStatus& now);

}  // namespace stridefuse::detail
