#pragma once
// Parameters of a simulated drill set (issue 16, fusion/DRILLS.md): which
// exercise, how many reps at what tempo, how far the moving segment goes,
// and which reps carry a pelvic fault. The athlete wears the same sensors as
// the simulated runner, with the same noise, gyro bias, mounting, clocks and
// links (runner_config.hpp's PelvisImuConfig and InsoleConfig).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stridefuse/core/drill.hpp"
#include "stridefuse/sim/runner_config.hpp"

namespace stridefuse::sim {

/// A pelvic fault: on rep `rep` (1-based) the pelvis turns `deg` about
/// `axis` (fusion/FRAMES.md signs), rising and falling with the moving segment.
struct DrillFault {
  std::uint32_t rep = 0;
  PelvisAxis axis = PelvisAxis::rotation;
  double deg = 0.0;

  bool operator==(const DrillFault&) const = default;
};

struct DrillSimConfig {
  std::uint64_t seed = 1;
  DrillExercise exercise = DrillExercise::bridge;
  /// left / right: every rep on that side; both: one-sided exercises alternate
  /// left, right, ...; the bridge is then two-footed (no leg extended).
  DrillSide side = DrillSide::both;
  std::uint32_t reps = 10;
  /// Rep duration without its hold (out and back), s; empty: the exercise's
  /// default (drill_default_tempo_s).
  std::optional<double> tempo_s;
  /// Time held at the top of each rep, s; empty: the exercise's default
  /// (drill_default_hold_s; 0 for the exercises without a hold).
  std::optional<double> hold_s;
  double rest_s = 1.0;         ///< still between reps
  /// Standing still this long first, then getting into the exercise's
  /// position over transition_s (0: the set starts in position).
  double start_standing_s = 0.0;
  double transition_s = 2.0;
  double start_still_s = 2.0;  ///< still in the start position before the first rep (the tracker's calibration)
  double end_still_s = 1.0;    ///< still after the last rep
  /// Range of motion of the moving segment (fusion/DRILLS.md), degrees;
  /// empty: the exercise's default (drill_default_rom_deg).
  std::optional<double> rom_deg;
  /// Injected faults; empty: the default set (default_drill_faults).
  std::optional<std::vector<DrillFault>> faults;
  /// Natural unsteadiness of a clean rep: each rep and each pelvic axis
  /// (other than the hinge of a hinge exercise) gets an excursion drawn
  /// uniformly in [-sway, sway], rising and falling with the segment.
  double sway_deg = 1.0;
  /// Hinge exercises (bridge, single-leg RDL): before rep 1, one hinge on
  /// both feet that calibrates the pelvis clip's lateral axis
  /// (fusion/DRILLS.md, "Calibration hinge"); not a rep, never faulty. Its
  /// obliquity and rotation sway is min(sway_deg, calibration_sway_deg): two
  /// planted feet hold the pelvis level and square.
  bool calibration_hinge = false;
  double calibration_sway_deg = 1.0;
  double body_mass_kg = 70.0;
  SensorSet sensors;
  PelvisImuConfig pelvis;
  /// How far the pelvis IMU sits off its mounting (pelvis.mount_roll_pitch_yaw_deg):
  /// a rotation about the pelvis's X, Y and Z axes in turn, degrees (a clip
  /// tipped sideways on the back, following the sacrum's slope, not flat).
  std::array<double, 3> mount_error_deg{0.0, 0.0, 0.0};
  /// The drill's insoles carry an IMU by default (InsoleConfig::with_imu).
  InsoleConfig insoles = default_drill_insoles();

  static InsoleConfig default_drill_insoles() {
    InsoleConfig c;
    c.with_imu = true;
    return c;
  }
};

double drill_default_tempo_s(DrillExercise exercise);
double drill_default_hold_s(DrillExercise exercise);
double drill_default_rom_deg(DrillExercise exercise);
/// The axis the default faults use: the compensation each exercise invites (fusion/DRILLS.md).
PelvisAxis drill_main_fault_axis(DrillExercise exercise);
/// A hinge exercise moves the pelvis itself about its lateral axis (bridge, single-leg RDL).
bool drill_is_hinge(DrillExercise exercise);
/// The default faults: 6 degrees on drill_main_fault_axis on reps 3 and 7;
/// with fewer reps, on rep min(3, reps) and rep reps (one fault when they coincide).
std::vector<DrillFault> default_drill_faults(DrillExercise exercise, std::uint32_t reps);

/// Throws std::invalid_argument naming the first parameter out of range.
void validate(const DrillSimConfig& config);

}  // namespace stridefuse::sim
