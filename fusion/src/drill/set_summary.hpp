#pragma once
// The set summary (DrillSetEvent) from the reps of a set.

#include <vector>

#include "stridefuse/core/drill.hpp"

namespace stridefuse::fusion::drill {

/// One entry per side worked: the configured side; left and right for a
/// one-sided exercise done on both sides (an entry with 0 reps when a side
/// was not done); `both` for the two-footed bridge.
DrillSetEvent summarize_set(const std::vector<RepEvent>& reps, const DrillConfig& config, bool one_sided,
                            const WatchedAxes& watched, double tolerance_deg, double t_s);

}  // namespace stridefuse::fusion::drill
