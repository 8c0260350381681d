// drill_config_from(): the one reading of a drill's names, so that the
// command line and the bindings accept and refuse the same things.
#include <string>

#include "stridefuse/fusion/drill_tracker.hpp"

namespace stridefuse::fusion {

DrillConfig drill_config_from(std::string_view exercise, std::optional<std::string_view> side,
                              std::optional<double> tolerance_deg, bool calibration_hinge) {
  DrillConfig config;
  const auto parsed = drill_exercise_from(exercise);
  if (!parsed) {
    std::string known;
    for (int i = 0; i <= static_cast<int>(last_drill_exercise); ++i)
      known += std::string(i ? ", " : "") + to_string(static_cast<DrillExercise>(i));
    throw DrillSetupError("unknown exercise '" + std::string(exercise) + "': give one of " + known);
  }
  config.exercise = *parsed;
  if (side) {
    const auto s = drill_side_from(*side);
    if (!s) throw DrillSetupError("the side is left, right or both, not '" + std::string(*side) + "'");
    config.side = *s;
  } else if (drill_definition(config.exercise).one_sided) {
    throw DrillSetupError(std::string(exercise) + " is one-sided: give a side (left, right or both, each side in turn)");
  }
  config.tolerance_deg = tolerance_deg;
  config.calibration_hinge = calibration_hinge;
  check_drill_config(config);
  return config;
}

}  // namespace stridefuse::fusion
