#include "stridefuse/sim/drill_config.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace stridefuse::sim {
namespace {

// Per exercise, in DrillExercise order: tempo (s, out and back), hold (s),
// range of motion (deg). Plausible values for a controlled set, our choice;
// fusion/DRILLS.md says what the range of motion is of.
struct ExerciseDefaults {
  double tempo_s, hold_s, rom_deg;
  PelvisAxis fault_axis;
};
constexpr ExerciseDefaults defaults[] = {
    {3.0, 1.5, 25.0, PelvisAxis::rotation},   // bridge: the hips lift ~25 deg; the pelvis turns toward the weaker side
    {4.0, 0.5, 75.0, PelvisAxis::rotation},   // single-leg RDL: the hinge; the free hip opens
    {2.5, 1.0, 70.0, PelvisAxis::rotation},   // donkey kick: the thigh swings up; the pelvis turns with it
    {2.0, 0.0, 30.0, PelvisAxis::tilt},       // banded hip extension: the low back arches (anterior tilt)
    {1.6, 0.0, 60.0, PelvisAxis::obliquity},  // running man: the free side drops
    {3.0, 1.0, 30.0, PelvisAxis::rotation},   // pigeon: the rear leg lifts; the pelvis opens
};

const ExerciseDefaults& of(DrillExercise e) {
  const auto i = static_cast<std::size_t>(e);
  if (i >= std::size(defaults)) throw std::invalid_argument("drill simulation: unknown exercise");
  return defaults[i];
}

}  // namespace

double drill_default_tempo_s(DrillExercise exercise) { return of(exercise).tempo_s; }
double drill_default_hold_s(DrillExercise exercise) { return of(exercise).hold_s; }
double drill_default_rom_deg(DrillExercise exercise) { return of(exercise).rom_deg; }
PelvisAxis drill_main_fault_axis(DrillExercise exercise) { return of(exercise).fault_axis; }

bool drill_is_hinge(DrillExercise exercise) {
  return exercise == DrillExercise::bridge || exercise == DrillExercise::single_leg_rdl;
}

std::vector<DrillFault> default_drill_faults(DrillExercise exercise, std::uint32_t reps) {
  if (reps == 0) return {};
  const PelvisAxis axis = drill_main_fault_axis(exercise);
  const std::uint32_t first = std::min<std::uint32_t>(3, reps);
  const std::uint32_t second = std::min<std::uint32_t>(7, reps);
  std::vector<DrillFault> out{{first, axis, 6.0}};
  if (second != first) out.push_back({second, axis, 6.0});
  return out;
}

void validate(const DrillSimConfig& c) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("drill simulation: " + what); };
  auto within = [](std::optional<double> v, double lo, double hi) { return !v || (*v >= lo && *v <= hi); };
  if (static_cast<int>(c.exercise) > static_cast<int>(last_drill_exercise)) fail("unknown exercise");
  if (static_cast<int>(c.side) > static_cast<int>(DrillSide::both)) fail("unknown side");
  if (c.reps < 1 || c.reps > 1000) fail("reps must be 1 to 1000");
  if (!within(c.tempo_s, 0.8, 20.0)) fail("tempo_s must be 0.8 to 20 s");
  if (!within(c.hold_s, 0.0, 30.0)) fail("hold_s must be 0 to 30 s");
  if (!(c.rest_s >= 0.3 && c.rest_s <= 30.0)) fail("rest_s must be 0.3 to 30 s");
  if (!(c.start_still_s >= 0.0 && c.start_still_s <= 60.0)) fail("start_still_s must be 0 to 60 s");
  if (!(c.start_standing_s >= 0.0 && c.start_standing_s <= 60.0)) fail("start_standing_s must be 0 to 60 s");
  if (!(c.transition_s >= 0.5 && c.transition_s <= 10.0)) fail("transition_s must be 0.5 to 10 s");
  if (!(c.end_still_s >= 0.0 && c.end_still_s <= 60.0)) fail("end_still_s must be 0 to 60 s");
  if (!within(c.rom_deg, 10.0, 120.0)) fail("rom_deg must be 10 to 120 degrees");
  if (!(c.sway_deg >= 0.0 && c.sway_deg <= 10.0)) fail("sway_deg must be 0 to 10 degrees");
  if (!(c.calibration_sway_deg >= 0.0 && c.calibration_sway_deg <= 10.0))
    fail("calibration_sway_deg must be 0 to 10 degrees");
  if (c.calibration_hinge && !drill_is_hinge(c.exercise))
    fail(std::string("a calibration hinge goes with the hinge exercises (bridge, single-leg-rdl), not ") +
         to_string(c.exercise));
  if (!(c.body_mass_kg >= 30.0 && c.body_mass_kg <= 200.0)) fail("body_mass_kg must be 30 to 200 kg");
  if (!(c.pelvis.rate_hz >= 50.0 && c.pelvis.rate_hz <= 1000.0)) fail("pelvis rate must be 50 to 1000 Hz");
  if (!(c.insoles.rate_hz >= 20.0 && c.insoles.rate_hz <= 1000.0)) fail("insole rate must be 20 to 1000 Hz");
  for (const double e : c.mount_error_deg)
    if (!(std::abs(e) <= 30.0)) fail("mount_error_deg must be within +-30 degrees per axis");
  if (!c.sensors.pelvis && !c.sensors.left_insole && !c.sensors.right_insole) fail("no sensor delivers");
  const bool single_leg_bridge = c.exercise == DrillExercise::bridge && c.side != DrillSide::both;
  if (single_leg_bridge && c.hold_s.value_or(drill_default_hold_s(c.exercise)) < 0.5)
    fail("a bridge with a side extends the leg in the hold: hold_s must be at least 0.5 s");
  if (c.faults)
    for (const auto& f : *c.faults) {
      if (f.rep < 1 || f.rep > c.reps)
        fail("fault on rep " + std::to_string(f.rep) + ": reps are 1 to " + std::to_string(c.reps));
      if (!std::isfinite(f.deg) || std::abs(f.deg) > 45.0) fail("a fault must be within +-45 degrees");
      if (drill_is_hinge(c.exercise) && f.axis == PelvisAxis::tilt)
        fail(std::string(to_string(c.exercise)) + " moves the pelvis in tilt: a fault must be in obliquity or rotation");
    }
}

}  // namespace stridefuse::sim
