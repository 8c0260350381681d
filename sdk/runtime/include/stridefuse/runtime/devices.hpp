#pragma once
// Opening a session's devices from URIs, the one way the command line, the C
// API, the Python module and the examples do it:
//
//   serial:/dev/ttyACM0   (or any path starting with /dev/)   a CDC-ACM bridge
//   tcp:HOST:PORT                                             a bridge on the network
//   usb:VVVV:PPPP                                             a USB device by hex vendor:product id
//   replay:FILE                                               a raw traffic recording (raw_traffic.hpp)
//   SCHEME:PATH?key=value&...                                 a scheme a driver folder serves, e.g.
//                                                             sim:runner?seed=7&speed_mps=3.5, the
//                                                             built-in simulated runner
//
// The driver is the one named, or else the one serving the URI's scheme, for
// USB the one whose declared USB ids match, and for serial/TCP/replay the
// bridge driver. Drivers come from the registry of this build
// (builtin_driver_registry()): the runtime never names a driver's own code.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stridefuse/core/drill.hpp"
#include "stridefuse/core/driver_registry.hpp"
#include "stridefuse/core/transport.hpp"
#include "stridefuse/runtime/session.hpp"
#include "stridefuse/runtime/session_recording.hpp"

namespace stridefuse {

/// Every driver compiled into this build, registered once (thread-safe).
const DriverRegistry& builtin_driver_registry();

/// Opens the transport a URI names (not the driver schemes); `tcp:HOST`
/// without a port means the open bridge protocol's default port, 5557. Throws
/// std::invalid_argument for a malformed URI (naming the accepted forms),
/// TransportError when the device cannot be opened.
std::unique_ptr<Transport> open_transport(const std::string& uri);

struct OpenedDevice {
  std::unique_ptr<Transport> transport;
  std::unique_ptr<Driver> driver;
};

/// Opens transport and driver. `driver_name` empty: chosen as described above.
/// Throws as open_transport and as the scheme's transport opener,
/// std::runtime_error when no driver handles the device, or what the driver's
/// opener or configure() throws.
OpenedDevice open_device(const std::string& uri, const DriverRegistry& registry, const std::string& driver_name = "");

/// As above, with `wrap` given the transport and how to rebuild the device
/// (URI, the chosen driver, the URI's parameters) before the driver is
/// opened; the driver then talks to what it returns (e.g. a transport that
/// records the traffic, SessionRecorder::record_device).
using TransportWrapper = std::function<std::unique_ptr<Transport>(std::unique_ptr<Transport>, const RecordedDevice&)>;
OpenedDevice open_device(const std::string& uri, const DriverRegistry& registry, const std::string& driver_name,
                         const TransportWrapper& wrap);

struct DeviceSetOptions {
  std::string driver;                         ///< the driver for every URI; empty: chosen per URI
  /// The treadmill's setting, m/s: the speed source of every step. Unless it
  /// is given, a device that reports a constant speed of its own
  /// (Driver::treadmill_speed_mps, e.g. the simulated runner on its treadmill)
  /// provides it; else the engine takes speed from a speed stream or the
  /// insoles' IMUs (fusion/README.md, "Speed sources").
  std::optional<double> treadmill_speed_mps;
  std::shared_ptr<SessionRecorder> recorder;  ///< when set, every device's traffic is recorded
};

/// Opens every URI in order and applies the speed-source rule above to
/// `config.engine`. Throws std::invalid_argument for no URI or a non-positive
/// speed, and as open_device (naming the URI).
std::vector<OpenedDevice> open_devices(const std::vector<std::string>& uris, const DeviceSetOptions& options,
                                       SessionConfig& config);

/// The URI of the built-in simulated runner with these settings (what
/// `stridefuse run --simulate` and the bindings' simulate options open).
struct SimulatedRunnerOptions {
  std::uint64_t seed = 1;
  double standing_s = 5.0;  ///< quiet standing before running
  double speed_mps = 3.5;
  std::optional<double> cadence_spm;  ///< the runner's default when empty
  /// The sensors that deliver, "pelvis,left,right" or any of them; empty: all.
  std::string sensors = {};
  /// Walking before running, s (infinity: walks throughout); empty: runs at once.
  std::optional<double> walking_s = {};
};
std::string simulated_runner_uri(const SimulatedRunnerOptions& options);

/// The URI of a simulated drill set (`sim:drill`, drivers/simulated/README.md)
/// of `drill`'s exercise and side: what `stridefuse drill --simulate` and the
/// bindings' drill sessions open. Empty fields take the simulator's defaults.
struct SimulatedDrillOptions {
  std::uint64_t seed = 1;
  std::optional<std::uint32_t> reps;  ///< reps in the set (the simulator's default: 10)
  std::optional<double> tempo_s;      ///< one rep out and back, s (default: the exercise's)
  /// Pelvic faults, "rep:axis:degrees,..." or "none"; empty: the simulator's
  /// default, a fault on two reps (so a first run shows the feedback).
  std::string faults = {};
  std::string sensors = {};  ///< "pelvis,left,right" or any of them; empty: all
  bool own_clock = false;    ///< clock=virtual: deterministic, as fast as the CPU (tests)
};
std::string simulated_drill_uri(const DrillConfig& drill, const SimulatedDrillOptions& options);

/// Checks a URI without opening anything: for a driver scheme, that the
/// scheme's driver takes its parameters (Driver::configure). Throws
/// std::invalid_argument naming the problem.
void check_device_uri(const std::string& uri);

/// Rebuilds the driver of a recorded device for replay (a RecordedDriverOpener):
/// the recorded driver by name from builtin_driver_registry(), opened on the
/// replayed transport and configured with the recorded parameters. Throws
/// std::runtime_error naming the driver when this build does not have it.
std::unique_ptr<Driver> reopen_recorded_driver(const RecordedDevice& device, Transport& transport);

/// What the device at `uri` says about itself (a bridge: its version and the
/// sensors it hears within `listen`); empty when its driver cannot be asked.
/// Throws as open_transport, or what talking to the device throws.
std::optional<DeviceProbe> probe_device(const std::string& uri, std::chrono::milliseconds listen);

}  // namespace stridefuse
