// check_drill_config() and check_drill_streams(): refuse, naming what is
// wrong or missing, a drill configuration that is invalid or that its streams
// cannot run (fusion/DRILLS.md, "Sensors each exercise needs").
#include <cmath>
#include <string>

#include "drill_streams.hpp"
#include "stridefuse/fusion/drill_tracker.hpp"

namespace stridefuse::fusion {
namespace {

[[noreturn]] void refuse(const std::string& why) { throw DrillSetupError(why); }

void need_insole(const drill::DrillStreams& found, const std::vector<StreamDescriptor>& streams, int foot,
                 bool with_imu, const std::string& what_for) {
  const std::string name = drill::foot_name(foot);
  if (!found.insole[foot]) refuse(what_for + " (there is no " + name + " insole stream)");
  if (with_imu && !found.insole_imu[foot])
    refuse(what_for + " (" + streams[*found.insole[foot]].id + " has no IMU channels)");
}

}  // namespace

void check_drill_config(const DrillConfig& config) {
  const DrillDefinition& def = drill_definition(config.exercise);
  const std::string exercise = to_string(config.exercise);
  if (config.tolerance_deg && !(std::isfinite(*config.tolerance_deg) && *config.tolerance_deg > 0.0))
    refuse("drill tolerance must be a positive, finite number of degrees, not " +
           std::to_string(*config.tolerance_deg));
  if (config.side != DrillSide::left && config.side != DrillSide::right && config.side != DrillSide::both)
    refuse(def.one_sided ? exercise + " is one-sided: give a side (left, right or both)"
                         : exercise + ": the side must be left, right or both");
  if (config.calibration_hinge && !def.hinge)
    refuse("a calibration hinge calibrates the hinge exercises (bridge, single-leg-rdl), not " + exercise);
}

void check_drill_streams(const DrillConfig& config, const std::vector<StreamDescriptor>& streams) {
  check_drill_config(config);
  const std::string exercise = to_string(config.exercise);
  const auto found = drill::find_drill_streams(streams);
  if (!found.pelvis) refuse(exercise + " needs the pelvis IMU (there is no IMU stream at the pelvis)");

  // The feet the drill reads: the working side's, or both when the side is read from the insoles.
  const bool both = config.side == DrillSide::both;
  for (int foot = 0; foot < 2; ++foot) {
    const bool this_side = both || static_cast<int>(config.side) == foot;
    if (!this_side) continue;
    const std::string on = both ? exercise + " on both sides" : exercise + " on the " + drill::foot_name(foot);
    const std::string insole = std::string("the ") + drill::foot_name(foot) + " insole";
    switch (config.exercise) {
      case DrillExercise::bridge:
        // Two-footed bridge: the pelvis alone. With a side: the extended leg's foot times the hold.
        if (!both) need_insole(found, streams, foot, false, on + " times the leg-extended hold from " + insole);
        break;
      case DrillExercise::single_leg_rdl:
        // The hinge is the pelvis's own; the side is given or read from which foot is off the floor.
        if (both) need_insole(found, streams, foot, false, on + " tells each rep's side from " + insole);
        break;
      case DrillExercise::donkey_kick:
      case DrillExercise::pigeon:
        need_insole(found, streams, foot, true, on + " needs " + insole + "'s IMU");
        break;
      case DrillExercise::banded_hip_extension:
      case DrillExercise::running_man:
        need_insole(found, streams, foot, false, on + " counts reps from " + insole + "'s pressure");
        break;
    }
  }
}

}  // namespace stridefuse::fusion
