#include "stridefuse/core/drill.hpp"

namespace stridefuse {

const char* to_string(DrillExercise exercise) {
  switch (exercise) {
    case DrillExercise::bridge: return "bridge";
    case DrillExercise::single_leg_rdl: return "single-leg-rdl";
    case DrillExercise::donkey_kick: return "donkey-kick";
    case DrillExercise::banded_hip_extension: return "banded-hip-extension";
    case DrillExercise::running_man: return "running-man";
    case DrillExercise::pigeon: return "pigeon";
  }
  return "?";
}

const char* to_string(DrillSide side) {
  switch (side) {
    case DrillSide::left: return "left";
    case DrillSide::right: return "right";
    case DrillSide::both: return "both";
  }
  return "?";
}

const char* to_string(PelvisAxis axis) {
  switch (axis) {
    case PelvisAxis::tilt: return "tilt";
    case PelvisAxis::obliquity: return "obliquity";
    case PelvisAxis::rotation: return "rotation";
  }
  return "?";
}

std::optional<DrillExercise> drill_exercise_from(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(last_drill_exercise); ++i) {
    const auto exercise = static_cast<DrillExercise>(i);
    if (name == to_string(exercise)) return exercise;
  }
  return std::nullopt;
}

std::optional<DrillSide> drill_side_from(std::string_view name) {
  for (const auto side : {DrillSide::left, DrillSide::right, DrillSide::both})
    if (name == to_string(side)) return side;
  return std::nullopt;
}

}  // namespace stridefuse
