#pragma once
// A live session driven from Python. The fusion thread hands every event to
// a bounded lock-free queue and never waits for Python: when the queue is
// full the event is dropped and counted. Python takes events either through
// a callback (called on a dispatcher thread holding the GIL) or by polling /
// iterating (without a callback).

#include <pybind11/pybind11.h>

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "stridefuse/runtime/devices.hpp"
#include "stridefuse/runtime/session.hpp"
#include "stridefuse/runtime/event_queue.hpp"

namespace stridefuse::python {

struct PythonSessionOptions {
  bool simulate = false;
  SimulatedRunnerOptions runner;          ///< used when simulate
  std::vector<std::string> devices;       ///< device URIs (device_uri.hpp) when not simulating
  std::string driver;                     ///< driver for the devices; empty: chosen by the SDK
  std::optional<double> speed_mps;        ///< treadmill speed; simulated runner: its running speed
  std::string athlete = "athlete";
  std::optional<std::string> endpoint;    ///< also publish on ZeroMQ here
  std::optional<double> duration_s;       ///< iteration and run() stop the session after this long
  std::size_t queue_capacity = 16384;     ///< events held for Python before further ones are dropped
  std::optional<DrillConfig> drill;       ///< drill mode (fusion/DRILLS.md) instead of running
  SimulatedDrillOptions drill_sim;        ///< the simulated set, when simulate and drill
};

class PythonSession {
 public:
  /// Checks the options and binds the endpoint; devices are opened by
  /// start(). Throws std::invalid_argument for inconsistent options (simulate
  /// and devices both or neither, a bad runner parameter, a non-positive
  /// duration or capacity, an invalid athlete id) and what binding the
  /// endpoint throws.
  PythonSession(PythonSessionOptions options, pybind11::object callback);
  ~PythonSession();
  PythonSession(const PythonSession&) = delete;
  PythonSession& operator=(const PythonSession&) = delete;

  /// Opens the devices (or the simulated runner) and starts reading and
  /// fusing. Throws std::logic_error when already started, and what opening
  /// a device throws (std::invalid_argument for a malformed URI, TransportError).
  void start();

  /// Stops, drains the queue (to the callback, if any) and re-raises an
  /// exception the callback raised. Safe to call twice. With the GIL held.
  void stop();

  /// Starts if needed, runs for `duration_s` (default: the session's
  /// duration; neither: until Ctrl-C) and stops.
  void run(std::optional<double> duration_s);

  /// Next event as a dict, waiting up to `timeout_s` (negative: no limit);
  /// None when none came or the session ended and everything was taken.
  /// Throws std::logic_error when events go to a callback.
  pybind11::object poll(double timeout_s);

  /// Iteration: the next event, starting the session on first use and
  /// stopping it once the duration passed; nullopt after the last event.
  std::optional<pybind11::dict> next();

  std::uint32_t steps() const;
  std::vector<DeviceStats> device_stats() const;
  std::uint64_t dropped() const { return queue_->dropped(); }
  bool running() const { return started_ && !stopped_; }
  /// The ZeroMQ endpoint actually bound (wildcard port resolved); empty when not publishing.
  const std::string& endpoint() const { return bound_endpoint_; }

 private:
  /// The oldest queued event into `event`; false when none is waiting.
  bool pop(Event& event);

  bool duration_passed() const;
  void dispatch();
  void join_dispatcher();
  void rethrow_callback_error();

  PythonSessionOptions options_;
  pybind11::object callback_;
  std::shared_ptr<EventQueue> queue_;
  std::shared_ptr<EventFanout> publisher_;
  std::unique_ptr<Session> session_;
  std::string bound_endpoint_;
  bool started_ = false;
  bool stopped_ = false;
  std::chrono::steady_clock::time_point started_at_;
  std::thread dispatcher_;
  std::atomic<bool> dispatcher_stop_{false};
  std::atomic<bool> callback_failed_{false};
  std::exception_ptr callback_error_;
};

void bind_session(pybind11::module_& m);

}  // namespace stridefuse::python
