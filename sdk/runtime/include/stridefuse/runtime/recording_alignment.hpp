#pragma once
// Puts separately recorded sensor files on one clock, from the data alone.
// Each insole file and the pelvis file may have their own clock origin and
// drift (sdk/runtime/src/offline/FILES.md). The physics that ties them: the pelvis sensor's
// specific-force magnitude follows the total ground force divided by body mass
// (the pelvis approximates the centre of mass), and the insoles measure that
// force; so the insole force and the pelvis's vertical specific force line up
// at zero lag. Method and its limits: sdk/runtime/src/offline/README.md.

#include <stdexcept>
#include <string>
#include <vector>

#include "stridefuse/runtime/recording_files.hpp"

namespace stridefuse {

/// Maps a file's own time to the pelvis file's clock: t_pelvis = offset_s + (1 + drift_ppm * 1e-6) * t_file.
struct ClockAlignment {
  std::string stream_id;
  double offset_s = 0.0;
  double drift_ppm = 0.0;
  double residual_s = 0.0;     ///< RMS of the windowed lags about the fitted line
  std::size_t windows = 0;     ///< windows of running that contributed
  bool from_data = false;      ///< false: no usable running signal; the identity was kept
  std::string note;            ///< why the identity was kept, or how the lag was found

  double to_pelvis_s(double t_file_s) const { return offset_s + (1.0 + drift_ppm * 1e-6) * t_file_s; }
};

/// The files cannot be put on one clock from their data without risking a
/// wrong step: the message says why and how to give the clocks instead.
class ClockAlignmentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Aligns up to two insole recordings to the pelvis recording. Insoles are
/// aligned jointly: one foot's force is periodic per stride and the pelvis
/// per step, so alone each could slip by a step; together the feet must
/// alternate. Which stride is which comes from landmarks in activity
/// (standing, stops, walking, gaps) that both files show: where a file has
/// none (steady running throughout) throws ClockAlignmentError rather than
/// guess. For data without running the identity is kept with a note.
/// (For recordings in memory; the offline analysis runs the same alignment
/// on temporary copies of its files.)
std::vector<ClockAlignment> align_insoles_to_pelvis(const SensorRecording& pelvis,
                                                    const std::vector<const SensorRecording*>& insoles);

}  // namespace stridefuse
