#pragma once
// Where every sample of a session gets its session time: here, and only here,
// on the fusion thread, in one order:
//
//   1. device tick -> session time, by the device's clock (DeviceTimeline):
//      direct devices tick -> host arrival; sensors behind a bridge
//      sensor tick -> bridge tick -> host arrival (BridgedClock), each level
//      less its link's known minimum delay;
//   2. the insole latency correction (fusion's fusion::InsoleLatencyCalibration): the
//      latency of each insole relative to the pelvis IMU, which one-way sync
//      cannot see, measured from the foot strikes and added to the insole's
//      times once confident. It learns from every admitted sample, in the
//      order admitted (which a recording keeps), so a replay reproduces it.
//
// Then the sample goes to the merge. Fusion thread only.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "session/device_timeline.hpp"
#include "stridefuse/fusion/insole_latency_calibration.hpp"

namespace stridefuse::detail {

class SampleTimebase {
 public:
  /// `streams`: the session's stream table, the readers' streams in reader order.
  SampleTimebase(const std::vector<DeviceReader*>& readers, const std::vector<StreamDescriptor>& streams);

  /// The next sample of device `device` on the session clock, corrected; null
  /// when the device has queued nothing more. Valid until the next call.
  const Sample* admit(std::size_t device);

  DeviceTimeline& device(std::size_t device) { return *timelines_[device]; }
  const DeviceTimeline& device(std::size_t device) const { return *timelines_[device]; }
  /// The live insole latency calibration; null without a pelvis IMU or an insole.
  const fusion::InsoleLatencyCalibration* latency_calibration() const;

 private:
  std::vector<std::unique_ptr<DeviceTimeline>> timelines_;
  fusion::InsoleLatencyCalibration latency_;
};

}  // namespace stridefuse::detail
