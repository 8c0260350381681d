#pragma once
// Live cross-sensor calibration: the latency of each insole relative to the
// pelvis IMU, measured from the foot strikes (StrikeLagEstimator) while the
// session runs, and applied to the insoles' session times once confident.
// One-way clock sync maps each device's ticks to the host clock up to its
// transport's minimum latency; a constant latency difference between an insole
// and the pelvis stays. This removes it. See sdk/core/src/clock/README.md.
//
// Called from one thread: the session's fusion thread, as it takes samples
// from the readers (FusionCore::push, sdk/runtime/src/session/fusion_core.cpp),
// or the replay's, so its state follows the order the samples were taken in
// (which a recording keeps). Every method locks, so status() may also be read
// from another thread.

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "stridefuse/core/sample.hpp"
#include "stridefuse/core/stream.hpp"
#include "stridefuse/fusion/strike_lag_estimator.hpp"

namespace stridefuse::fusion {

struct InsoleLatencyStatus {
  std::optional<StrikeLagEstimate> estimate;  ///< empty before the first matched window
  double applied_s = 0.0;                     ///< correction added to the insole's session times now
};

class InsoleLatencyCalibration {
 public:
  /// Live defaults: 5 s windows, +-0.12 s search around zero lag (both
  /// streams are already in session time), no drift (clock sync removed it).
  static StrikeLagConfig live_config();

  /// Finds the pelvis IMU (kind imu at the pelvis) and the insoles in the
  /// session's stream table (indices as in Sample::stream). Without a pelvis
  /// IMU or without an insole it is inactive and corrects nothing.
  /// Throws std::invalid_argument for an invalid config (as StrikeLagEstimator).
  explicit InsoleLatencyCalibration(const std::vector<StreamDescriptor>& streams,
                                    StrikeLagConfig config = live_config());

  bool active() const { return estimator_.has_value(); }

  /// Feeds the sample (session time as clock sync mapped it) and returns what
  /// to add to its t_s: zero for other streams and until the insole's estimate
  /// is confident, then the estimated lag, approached by at most
  /// max_step_s per sample so that a stream's times never go backwards.
  double correction_s(const Sample& sample);

  /// Empty for a stream that is not a calibrated insole.
  std::optional<InsoleLatencyStatus> status(std::uint16_t stream) const;

  /// The session time that a stream's clock gives a device tick (Sample::device_tick)
  /// now (e.g. DeviceClock::map_unwrapped), or empty when it cannot say.
  using CurrentTime = std::function<std::optional<double>(std::uint16_t stream, std::uint64_t device_tick)>;
  /// Refers every window's lag to the clocks' current mappings: one-way sync
  /// keeps refining each device's mapping (by 1-2 ms in its first half minute),
  /// so a lag measured in the session times of then is stale by as much as the
  /// two mappings of that instant have moved since. With a source, each
  /// window's lag is corrected by that movement before the fit. Called from
  /// correction_s() (its thread, under this object's lock); windows from before
  /// a device's ticks went back (a new clock epoch) are left as measured.
  void set_current_time(CurrentTime current_time);

  static constexpr double max_step_s = 0.0005;

 private:
  struct InsoleStream {
    std::uint16_t stream;
    InsoleLayout layout;
    double applied_s = 0.0;
    std::optional<StrikeLagEstimate> estimate;  // as applied: with the windows referred to the current mappings
  };
  // A stream's session times and device ticks, sparsely, over the windows kept:
  // where each window's instant was on the device's counter.
  struct TickHistory {
    std::deque<std::pair<double, std::uint64_t>> points;  // (session time as mapped then, device tick)
    std::optional<std::uint64_t> last_tick;
  };

  void remember_tick(std::uint16_t stream, const Sample& sample);
  double mapping_moved_s(std::uint16_t stream, double t_s) const;
  std::optional<StrikeLagEstimate> current_estimate(std::size_t insole) const;

  mutable std::mutex mutex_;
  CurrentTime current_time_;
  std::vector<TickHistory> ticks_;  // per stream of the session
  std::optional<std::uint16_t> pelvis_;
  std::vector<InsoleStream> insoles_;
  std::optional<StrikeLagEstimator> estimator_;
};

}  // namespace stridefuse::fusion
