// fusion/DRILLS.md's table: what each exercise is and what it needs.
#include <cmath>
#include <string>

#include "stridefuse/fusion/drill_tracker.hpp"

namespace stridefuse::fusion {
namespace {

// In DrillExercise order. Tolerances are our choice (fusion/DRILLS.md, "Tolerance").
constexpr WatchedAxes all_axes{true, true, true};
constexpr WatchedAxes level_and_square{false, true, true};  // the hinge itself is tilt
const DrillDefinition definitions[] = {
    {DrillExercise::bridge, false, level_and_square, 4.0, true, true},
    {DrillExercise::single_leg_rdl, true, level_and_square, 5.0, true, true},
    {DrillExercise::donkey_kick, true, all_axes, 4.0, true},
    {DrillExercise::banded_hip_extension, true, all_axes, 4.0, false},
    {DrillExercise::running_man, true, all_axes, 4.0, false},
    {DrillExercise::pigeon, true, all_axes, 4.0, true},
};

}  // namespace

const DrillDefinition& drill_definition(DrillExercise exercise) {
  const auto i = static_cast<std::size_t>(exercise);
  if (i >= std::size(definitions))
    throw DrillSetupError("unknown drill exercise (code " + std::to_string(i) + ")");
  return definitions[i];
}

}  // namespace stridefuse::fusion
