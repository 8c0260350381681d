// stridefuse.Session: the Python face of PythonSession.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "python_session.hpp"
#include "stridefuse/fusion/drill_tracker.hpp"

namespace py = pybind11;

namespace stridefuse::python {
namespace {

constexpr const char* session_doc = R"(A live session: devices (or the simulated runner) -> clock sync -> merge ->
fusion engine -> events as dicts (the JSON rendering of sdk/runtime/schema/EVENTS.md).

Session(*, simulate=False, devices=None, driver="", athlete="athlete",
        speed_mps=None, cadence_spm=None, seed=None, standing_s=None,
        endpoint=None, duration_s=None, callback=None, queue_capacity=16384,
        drill=None, side=None, tolerance_deg=None, reps=None,
        calibration_hinge=False)

simulate=True runs the built-in simulated runner (speed_mps, cadence_spm, seed,
standing_s set it up); otherwise devices lists device URIs (serial:PATH, /dev/...,
tcp:HOST:PORT, usb:VVVV:PPPP, replay:FILE) and speed_mps is a treadmill's speed.
endpoint: also publish on ZeroMQ there ("tcp://127.0.0.1:*" picks a free port,
see .endpoint). With callback, every event dict is passed to callback(event) on
a thread of the module's, holding the GIL; without, take events with poll() or
by iterating. The engine never waits for Python: events beyond queue_capacity
not yet taken are dropped and counted in .dropped.

Use as a context manager (enters started, exits stopped), or start()/stop(),
or run(duration_s). Iterating starts the session and, with duration_s, stops
it once that long has passed; iteration ends after the session_end event.

drill="bridge" (or "single-leg-rdl", "donkey-kick", "banded-hip-extension",
"running-man", "pigeon") runs drill mode (fusion/DRILLS.md): rep,
pelvis_moved and drill_set events instead of steps. side ("left", "right",
"both") is needed for a one-sided exercise; tolerance_deg overrides the
exercise's; calibration_hinge=True (bridge, single-leg-rdl) says the set
opens with one hinge on both feet that calibrates the pelvis clip, not a rep;
with simulate=True a simulated set of `reps` reps (default 10)
with a pelvic fault on two of them (seed applies). ValueError names an
unknown exercise, a missing side, or (at start()) a sensor the exercise needs.)";

// Drill mode's options into `o`, checked; nothing without `drill`.
void drill_options(PythonSessionOptions& o, const std::optional<std::string>& drill,
                   const std::optional<std::string>& side, std::optional<double> tolerance_deg,
                   std::optional<std::uint32_t> reps, std::optional<std::uint64_t> seed, bool calibration_hinge) {
  if (!drill) {
    if (side || tolerance_deg || reps || calibration_hinge)
      throw std::invalid_argument("side, tolerance_deg, reps and calibration_hinge go with drill=");
    return;
  }
  DrillConfig d = fusion::drill_config_from(*drill, side, tolerance_deg, calibration_hinge);  // DrillSetupError: ValueError
  o.drill = d;
  if (reps && !o.simulate) throw std::invalid_argument("reps sets up the simulated set: only with simulate=True");
  o.drill_sim.reps = reps;
  if (seed) o.drill_sim.seed = *seed;
}

PythonSessionOptions options_from(bool simulate, std::optional<std::vector<std::string>> devices, std::string driver,
                                  std::string athlete, std::optional<double> speed_mps,
                                  std::optional<double> cadence_spm, std::optional<std::uint64_t> seed,
                                  std::optional<double> standing_s, std::optional<std::string> endpoint,
                                  std::optional<double> duration_s, std::size_t queue_capacity) {
  PythonSessionOptions o;
  o.simulate = simulate;
  if (devices) o.devices = std::move(*devices);
  o.driver = std::move(driver);
  o.athlete = std::move(athlete);
  o.speed_mps = speed_mps;
  o.endpoint = std::move(endpoint);
  o.duration_s = duration_s;
  o.queue_capacity = queue_capacity;
  if (!simulate && (cadence_spm || seed || standing_s))
    throw std::invalid_argument("cadence_spm, seed and standing_s describe the simulator: only with simulate=True");
  if (simulate) {
    if (speed_mps) o.runner.speed_mps = *speed_mps;
    if (cadence_spm) o.runner.cadence_spm = *cadence_spm;
    if (seed) o.runner.seed = *seed;
    if (standing_s) o.runner.standing_s = *standing_s;
  }
  return o;
}

py::dict device_stats_dict(const DeviceStats& d) {
  py::dict out;
  out["driver"] = d.driver;
  out["transport"] = d.transport;
  out["frames"] = d.decode.frames;
  out["malformed"] = d.decode.malformed;
  out["sequence_gaps"] = d.decode.sequence_gaps;
  out["samples"] = d.samples;
  out["queue_overflows"] = d.queue_overflows;
  out["clock_rejected"] = d.clock_rejected;
  out["disconnected"] = d.disconnected;
  out["error"] = d.error;
  return out;
}

}  // namespace

void bind_session(py::module_& m) {
  py::class_<PythonSession>(m, "Session", session_doc)
      .def(py::init([](bool simulate, std::optional<std::vector<std::string>> devices, std::string driver,
                       std::string athlete, std::optional<double> speed_mps, std::optional<double> cadence_spm,
                       std::optional<std::uint64_t> seed, std::optional<double> standing_s,
                       std::optional<std::string> endpoint, std::optional<double> duration_s, py::object callback,
                       std::size_t queue_capacity, std::optional<std::string> drill, std::optional<std::string> side,
                       std::optional<double> tolerance_deg, std::optional<std::uint32_t> reps,
                       bool calibration_hinge) {
             if (drill && simulate && (speed_mps || cadence_spm || standing_s))
               throw std::invalid_argument("speed_mps, cadence_spm and standing_s describe the simulated runner, "
                                           "not a simulated drill set");
             auto options = options_from(simulate, std::move(devices), std::move(driver), std::move(athlete),
                                         speed_mps, cadence_spm, seed, standing_s, std::move(endpoint), duration_s,
                                         queue_capacity);
             drill_options(options, drill, side, tolerance_deg, reps, seed, calibration_hinge);
             return std::make_unique<PythonSession>(std::move(options), std::move(callback));
           }),
           py::kw_only(), py::arg("simulate") = false, py::arg("devices") = py::none(), py::arg("driver") = "",
           py::arg("athlete") = "athlete", py::arg("speed_mps") = py::none(), py::arg("cadence_spm") = py::none(),
           py::arg("seed") = py::none(), py::arg("standing_s") = py::none(), py::arg("endpoint") = py::none(),
           py::arg("duration_s") = py::none(), py::arg("callback") = py::none(), py::arg("queue_capacity") = 16384,
           py::arg("drill") = py::none(), py::arg("side") = py::none(), py::arg("tolerance_deg") = py::none(),
           py::arg("reps") = py::none(), py::arg("calibration_hinge") = false)
      .def("start", &PythonSession::start, "Starts reading and fusing; RuntimeError when already started.")
      .def("stop", &PythonSession::stop,
           "Stops, publishes session_end, delivers what is queued to the callback and re-raises an exception the "
           "callback raised. Safe to call twice.")
      .def("run", &PythonSession::run, py::arg("duration_s") = py::none(),
           "Starts if needed, runs duration_s seconds (default: the session's duration_s; neither: until Ctrl-C), "
           "then stops. Callbacks run meanwhile.")
      .def("poll", &PythonSession::poll, py::arg("timeout_s") = 1.0,
           "Next event dict, waiting up to timeout_s (negative: no limit); None when none came or the session has "
           "ended and everything was taken.")
      .def("__iter__", [](PythonSession& s) -> PythonSession& { return s; })
      .def("__next__",
           [](PythonSession& s) {
             auto event = s.next();
             if (!event) throw py::stop_iteration();
             return *event;
           })
      .def("__enter__",
           [](PythonSession& s) -> PythonSession& {
             s.start();
             return s;
           })
      .def("__exit__", [](PythonSession& s, const py::object&, const py::object&, const py::object&) { s.stop(); })
      .def("device_stats",
           [](const PythonSession& s) {
             py::list out;
             for (const auto& d : s.device_stats()) out.append(device_stats_dict(d));
             return out;
           },
           "Per device: driver, transport, frames, malformed, sequence_gaps, samples, queue_overflows, "
           "clock_rejected, disconnected, error.")
      .def_property_readonly("steps", &PythonSession::steps, "Steps detected so far.")
      .def_property_readonly("dropped", &PythonSession::dropped, "Events lost because Python did not take them in time.")
      .def_property_readonly("running", &PythonSession::running)
      .def_property_readonly("endpoint", &PythonSession::endpoint,
                             "The ZeroMQ endpoint bound (wildcard port resolved); empty when not publishing.");
}

}  // namespace stridefuse::python
