#pragma once
// A session run in its devices' own time instead of the host's: one thread
// reads every device in turn and runs the fusion turns at the times the
// transports stamp their reads with. The pipeline is the live session's
// (drivers, clock sync, merge, engine, publishers; recording too), but it runs
// as fast as the CPU allows and gives the same bytes on every run. For
// devices that keep their own time, as the simulated runner on its own clock
// (`sim:runner?clock=virtual`): deterministic live sessions for tests,
// benchmarks of the live path, and recordings of long sessions made in seconds.

#include <cstdint>
#include <memory>
#include <vector>

#include "stridefuse/runtime/devices.hpp"
#include "stridefuse/runtime/event_publisher.hpp"
#include "stridefuse/runtime/session.hpp"
#include "stridefuse/runtime/session_recording.hpp"

namespace stridefuse {

struct DeviceTimeOptions {
  double duration_s = 60.0;               ///< session time to run, (0, 1e6]
  std::uint64_t host_start_unix_ns = 0;   ///< SessionStartEvent's wall-clock time of session time zero
  /// Records the session (its devices must have been opened with this
  /// recorder: DeviceSetOptions::recorder; add recorder->event_recorder() to the publisher).
  std::shared_ptr<SessionRecorder> recorder;
};

struct DeviceTimeReport {
  std::uint32_t steps = 0;          ///< steps the engine emitted
  std::uint64_t samples = 0;        ///< samples taken into the merge
  std::uint64_t fusion_turns = 0;
  double session_s = 0.0;           ///< session time reached
};

/// Runs the session on this thread until `options.duration_s` of session
/// time, then stops it as a live session stops (final status, SessionEndEvent).
/// Throws std::invalid_argument for no device, a transport that does not stamp
/// its reads (StampedTransport), a duration out of range or a null publisher,
/// and as Session for the configuration and the devices' streams.
DeviceTimeReport run_in_device_time(SessionConfig config, std::vector<OpenedDevice> devices,
                                    std::shared_ptr<EventPublisher> publisher, const DeviceTimeOptions& options);

}  // namespace stridefuse
