#pragma once
// Drill mode (issue 16, fusion/DRILLS.md): counts the reps of one exercise
// and measures, per rep, how far the pelvis left the pose it had at the rep's
// start on the axes that must stay still. Like the engine it sees streams and
// time-ordered samples, never devices; the engine runs it in place of step
// detection when EngineConfig::drill is set.

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "stridefuse/core/drill.hpp"
#include "stridefuse/core/sample.hpp"
#include "stridefuse/core/stream.hpp"

namespace stridefuse::fusion {

/// The drill cannot run on these streams (a sensor the exercise needs is
/// missing, or no side was given for a one-sided exercise) or its
/// configuration is invalid. The message names what is missing.
class DrillSetupError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// What one exercise is, as fusion/DRILLS.md's table gives it.
struct DrillDefinition {
  DrillExercise exercise = DrillExercise::bridge;
  bool one_sided = true;            ///< needs a working side (left, right or both in turn)
  WatchedAxes watched;              ///< the pelvic axes that must stay still
  double default_tolerance_deg = 0.0;
  bool has_hold = false;            ///< RepEvent::hold_s is given
  bool hinge = false;               ///< the pelvis itself is the moving segment, about its lateral axis
};

/// The definition of an exercise.
const DrillDefinition& drill_definition(DrillExercise exercise);

/// A drill configuration from names as a user gives them (the command line,
/// the bindings): the exercise ("single-leg-rdl"), the side ("left",
/// "right", "both"; needed for a one-sided exercise), a tolerance and
/// whether the set opens with a calibration hinge (DrillConfig).
/// Throws DrillSetupError naming an unknown exercise (and the known ones), an
/// unknown side, the side a one-sided exercise lacks, or what
/// check_drill_config() refuses.
DrillConfig drill_config_from(std::string_view exercise, std::optional<std::string_view> side,
                              std::optional<double> tolerance_deg, bool calibration_hinge = false);

/// Checks `config` alone. Throws DrillSetupError naming an invalid tolerance,
/// the missing side of a one-sided exercise, or a calibration hinge asked of
/// an exercise that does not hinge.
void check_drill_config(const DrillConfig& config);

/// Checks `config` (check_drill_config) and that `streams` carry what it
/// needs. Throws DrillSetupError naming what check_drill_config names or the
/// missing sensor ("donkey-kick on the left needs the left insole's IMU").
void check_drill_streams(const DrillConfig& config, const std::vector<StreamDescriptor>& streams);

class DrillTracker {
 public:
  struct Callbacks {
    std::function<void(const RepEvent&)> on_rep;
    std::function<void(const PelvisMovedEvent&)> on_pelvis_moved;
    std::function<void(const DrillSetEvent&)> on_set;
  };

  /// Streams are indexed as given: Sample::stream refers to this vector.
  /// Throws DrillSetupError as check_drill_streams().
  DrillTracker(std::vector<StreamDescriptor> streams, DrillConfig config, Callbacks callbacks);
  ~DrillTracker();
  DrillTracker(const DrillTracker&) = delete;
  DrillTracker& operator=(const DrillTracker&) = delete;

  /// Feeds one sample, in non-decreasing session time. A PelvisMovedEvent is
  /// called back from within the push of the sample that passed the tolerance.
  void push(const Sample& sample);

  /// Ends the set: closes a rep in progress when it is complete, then calls
  /// back the set summary. Call once.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stridefuse::fusion
