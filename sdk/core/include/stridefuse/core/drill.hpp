#pragma once
// Drill mode (issue 16, fusion/DRILLS.md): exercises in which the pelvis must
// stay still while a leg works. The pelvis IMU is the coach's dowel along the
// back; the insoles (pressure and their own IMU) see the working and the
// standing foot. These are the values every layer shares: the configuration
// of a drill, the per-rep result, the live "pelvis moved" feedback and the set
// summary. The fusion layer makes them (stridefuse/fusion/drill_tracker.hpp);
// the event stream, the files and the bindings carry them.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "stridefuse/core/metric.hpp"

namespace stridefuse {

/// The exercises of fusion/DRILLS.md. Append only: the ordinal is the
/// schema's, the C API's and the Python module's code.
enum class DrillExercise : std::uint8_t {
  bridge,                ///< glute bridge, lying on the back; the hold is the top position (one leg extended with a side)
  single_leg_rdl,        ///< single-leg Romanian deadlift: a hip hinge on the standing leg
  donkey_kick,           ///< on hands and knees, the working leg kicks up and back
  banded_hip_extension,  ///< standing, the working leg extends backward against a band
  running_man,           ///< standing on one leg, the other knee drives up as in running
  pigeon,                ///< pigeon position, the rear leg's knee extends and lifts
};

/// The highest DrillExercise: code that lists every exercise iterates up to it.
inline constexpr DrillExercise last_drill_exercise = DrillExercise::pigeon;

/// The working side of a drill or of one rep. For a one-sided exercise
/// `both` means the athlete works each side in turn and each rep's side is
/// read from the insoles; for the two-footed bridge it means no leg is
/// extended in the hold.
enum class DrillSide : std::uint8_t { left, right, both };

/// A pelvic axis of fusion/FRAMES.md ("Pelvic angles").
enum class PelvisAxis : std::uint8_t { tilt, obliquity, rotation };

/// What to run: the exercise, the working side and the tolerance of the
/// axes that must stay still (fusion/DRILLS.md gives each exercise's
/// default and why).
struct DrillConfig {
  DrillExercise exercise = DrillExercise::bridge;
  DrillSide side = DrillSide::both;
  std::optional<double> tolerance_deg;  ///< over the exercise's default; must be positive and finite
  /// Hinge exercises (bridge, single-leg-rdl) only: the set opens with one
  /// hinge on both feet (a two-footed bridge; a bend forward standing on both
  /// feet) that calibrates the pelvis clip's lateral axis before rep 1. It is
  /// not a rep and raises no event (fusion/DRILLS.md, "Calibration hinge").
  bool calibration_hinge = false;

  bool operator==(const DrillConfig&) const = default;
};

/// Per pelvic axis, over one rep: the signed departure of largest magnitude
/// from the pose at the rep's start, in degrees, with fusion/FRAMES.md's signs.
struct PelvisExcursion {
  double tilt_deg = 0.0;
  double obliquity_deg = 0.0;
  double rotation_deg = 0.0;

  bool operator==(const PelvisExcursion&) const = default;
};

/// Which pelvic axes an exercise requires to stay still.
struct WatchedAxes {
  bool tilt = false;
  bool obliquity = false;
  bool rotation = false;

  bool operator==(const WatchedAxes&) const = default;
};

/// One repetition, published at its end.
struct RepEvent {
  double t_s = 0.0;  ///< the rep's end, session time
  DrillExercise exercise = DrillExercise::bridge;
  DrillSide side = DrillSide::both;  ///< the working side of this rep
  std::uint32_t rep = 0;             ///< 1-based, counted over the set (both sides together)
  double t_start_s = 0.0;
  double t_end_s = 0.0;
  /// Range of motion of the moving segment (fusion/DRILLS.md names it per
  /// exercise), degrees; absent with a reason when its sensor is missing.
  Metric range_of_motion_deg;
  /// Time held in the exercise's hold position, s; empty for an exercise without a hold.
  std::optional<double> hold_s;
  PelvisExcursion excursion;  ///< every axis, watched or not
  WatchedAxes watched;        ///< the axes that must stay still in this exercise
  double tolerance_deg = 0.0;
  bool pelvis_moved = false;  ///< a watched axis passed the tolerance in this rep

};

/// Live feedback: a watched axis passed the tolerance during a rep. At most
/// one per axis per rep, as soon as it is seen.
struct PelvisMovedEvent {
  double t_s = 0.0;  ///< the sample at which the excursion passed the tolerance
  DrillExercise exercise = DrillExercise::bridge;
  DrillSide side = DrillSide::both;
  std::uint32_t rep = 0;  ///< the rep in progress, as RepEvent::rep
  PelvisAxis axis = PelvisAxis::tilt;
  double excursion_deg = 0.0;  ///< signed, from the pose at the rep's start, at t_s
  double tolerance_deg = 0.0;

  bool operator==(const PelvisMovedEvent&) const = default;
};

/// One axis over the reps of one side.
struct AxisSummary {
  Metric mean_abs_deg;  ///< mean over reps of |excursion|
  Metric worst_deg;     ///< the signed excursion of largest magnitude

};

/// The reps of one side of a set.
struct DrillSideSummary {
  DrillSide side = DrillSide::both;
  std::uint32_t reps = 0;
  std::uint32_t reps_moved = 0;  ///< reps with pelvis_moved
  AxisSummary tilt, obliquity, rotation;
  Metric mean_duration_s;
  Metric mean_range_of_motion_deg;
  std::optional<double> mean_hold_s;  ///< empty for an exercise without a hold

};

/// The set summary, published when the drill ends: one entry per side that
/// was worked (left and right both when both were done; `both` for the
/// two-footed bridge).
struct DrillSetEvent {
  double t_s = 0.0;
  DrillExercise exercise = DrillExercise::bridge;
  double tolerance_deg = 0.0;
  WatchedAxes watched;
  std::vector<DrillSideSummary> sides;

};

/// "bridge", "single-leg-rdl", "donkey-kick", "banded-hip-extension",
/// "running-man", "pigeon": the names of the command line and the files.
const char* to_string(DrillExercise exercise);
/// "left", "right", "both".
const char* to_string(DrillSide side);
/// "tilt", "obliquity", "rotation".
const char* to_string(PelvisAxis axis);
/// The exercise named `name`, or nullopt.
std::optional<DrillExercise> drill_exercise_from(std::string_view name);
/// The side named `name`, or nullopt.
std::optional<DrillSide> drill_side_from(std::string_view name);

}  // namespace stridefuse
