#include "python_session.hpp"

#include "stridefuse/fusion/drill_tracker.hpp"

#include <pybind11/stl.h>

#include <chrono>
#include <stdexcept>

#include "event_dicts.hpp"
#include "interruptible_wait.hpp"
#include "stridefuse/runtime/devices.hpp"
#include "stridefuse/core/driver_registry.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"

namespace py = pybind11;

namespace stridefuse::python {

namespace {

// The session's devices as URIs: the simulated runner's, or the user's.
std::vector<std::string> device_uris(const PythonSessionOptions& o) {
  if (!o.simulate) return o.devices;
  return {o.drill ? simulated_drill_uri(*o.drill, o.drill_sim) : simulated_runner_uri(o.runner)};
}

std::vector<OpenedDevice> open_session_devices(const PythonSessionOptions& o, SessionConfig& config) {
  DeviceSetOptions set;
  set.driver = o.driver;
  if (!o.simulate) set.treadmill_speed_mps = o.speed_mps;  // a treadmill's setting
  return open_devices(device_uris(o), set, config);
}

void validate(const PythonSessionOptions& o) {
  if (o.simulate == !o.devices.empty())
    throw std::invalid_argument(o.simulate ? "simulate=True and devices exclude each other"
                                           : "no device given: pass simulate=True or devices=[URI, ...]");
  if (o.queue_capacity < 1) throw std::invalid_argument("queue_capacity must be at least 1");
  if (o.duration_s && !(*o.duration_s > 0.0)) throw std::invalid_argument("duration_s must be more than 0");
  if (o.speed_mps && !(*o.speed_mps > 0.0)) throw std::invalid_argument("speed_mps must be more than 0");
  validate_athlete_id(o.athlete);
}

}  // namespace

PythonSession::PythonSession(PythonSessionOptions options, py::object callback)
    : options_(std::move(options)),
      callback_(std::move(callback)),
      queue_(std::make_shared<EventQueue>((validate(options_), options_.queue_capacity))) {
  if (!callback_.is_none() && !PyCallable_Check(callback_.ptr()))
    throw py::type_error("callback must be callable with one argument (the event dict), or None");
  for (const auto& uri : device_uris(options_)) check_device_uri(uri);
  publisher_ = std::make_shared<EventFanout>();
  publisher_->add(queue_);
  // Bound now, so that subscribers can connect before the session starts.
  if (options_.endpoint) {
    ZmqPublisherOptions zmq;
    zmq.endpoint = *options_.endpoint;
    zmq.athlete = options_.athlete;
    auto zmq_publisher = std::make_shared<ZmqPublisher>(zmq);
    bound_endpoint_ = zmq_publisher->endpoint();
    publisher_->add(std::move(zmq_publisher));
  }
}

PythonSession::~PythonSession() {
  if (running()) {
    stopped_ = true;
    py::gil_scoped_release release;
    session_->stop();
  }
  join_dispatcher();
}

void PythonSession::start() {
  if (started_) throw std::logic_error("the session was already started (a session runs once)");
  started_ = true;
  // Devices are opened only now: a device (and the simulated runner, whose
  // clock starts when it is opened) would otherwise pile up data between
  // construction and start, which the clock sync would take for latency.
  SessionConfig config;
  config.athlete = options_.athlete;
  if (options_.drill) {
    config.engine.drill = options_.drill;
    config.engine.findings = false;
  }
  try {
    py::gil_scoped_release release;  // opening a bridge waits for its answer
    auto opened = open_session_devices(options_, config);
    if (options_.drill) {
      std::vector<StreamDescriptor> streams;
      for (const auto& d : opened)
        for (const auto& s : d.driver->streams()) streams.push_back(s);
      fusion::check_drill_streams(*options_.drill, streams);  // DrillSetupError: ValueError, naming the sensor
    }
    session_ = std::make_unique<Session>(config, publisher_);
    for (auto& d : opened) session_->add_device(std::move(d.transport), std::move(d.driver));
  } catch (...) {
    stopped_ = true;
    throw;
  }
  started_at_ = std::chrono::steady_clock::now();
  if (!callback_.is_none()) dispatcher_ = std::thread([this] { dispatch(); });
  try {
    py::gil_scoped_release release;
    session_->start();
  } catch (...) {
    stopped_ = true;
    join_dispatcher();
    throw;
  }
}

void PythonSession::stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  {
    py::gil_scoped_release release;
    session_->stop();
  }
  join_dispatcher();
  rethrow_callback_error();
}

void PythonSession::run(std::optional<double> duration_s) {
  if (duration_s && !(*duration_s > 0.0)) throw std::invalid_argument("duration_s must be more than 0");
  if (!started_) start();
  const auto from = std::chrono::steady_clock::now();
  const auto limit_passed = [&] {
    if (duration_s) return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count() >= *duration_s;
    return duration_passed();
  };
  try {
    wait_without_gil(-1.0, [&] { return stopped_ || callback_failed_.load() || limit_passed(); },
                     std::chrono::milliseconds(10));
  } catch (const py::error_already_set&) {
    stop();  // Ctrl-C: end the session cleanly, then let KeyboardInterrupt through
    throw;
  }
  stop();
}

py::object PythonSession::poll(double timeout_s) {
  if (!callback_.is_none()) throw std::logic_error("events go to the callback: poll() and iteration need callback=None");
  if (!started_) throw std::logic_error("start() the session before polling it");
  Event event;
  bool got = false;
  wait_without_gil(timeout_s, [&] {
    got = pop(event);
    if (!got && running() && duration_passed()) stop();
    return got || (stopped_ && queue_->size() == 0);
  });
  if (!got) return py::none();
  return event_to_dict(event);
}

std::optional<py::dict> PythonSession::next() {
  if (!callback_.is_none()) throw std::logic_error("events go to the callback: poll() and iteration need callback=None");
  if (!started_) start();
  Event event;
  bool got = false;
  wait_without_gil(-1.0, [&] {
    got = pop(event);
    if (!got && running() && duration_passed()) stop();
    return got || (stopped_ && queue_->size() == 0);
  });
  if (!got) return std::nullopt;
  return event_to_dict(event);
}

bool PythonSession::pop(Event& event) {
  auto next = queue_->try_pop();
  if (!next) return false;
  event = std::move(*next);
  return true;
}

std::uint32_t PythonSession::steps() const { return session_ ? session_->steps() : 0; }

std::vector<DeviceStats> PythonSession::device_stats() const {
  return session_ ? session_->device_stats() : std::vector<DeviceStats>{};
}

bool PythonSession::duration_passed() const {
  return options_.duration_s &&
         std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at_).count() >= *options_.duration_s;
}

// The dispatcher thread: takes events off the queue and calls the callback
// with the GIL. After the callback raised, events are taken and discarded so
// the engine keeps running; stop() re-raises the error.
void PythonSession::dispatch() {
  Event event;
  for (;;) {
    const bool stopping = dispatcher_stop_.load();
    bool any = false;
    while (pop(event)) {
      any = true;
      if (callback_failed_.load()) continue;
      py::gil_scoped_acquire gil;
      try {
        callback_(event_to_dict(event));
      } catch (...) {
        callback_error_ = std::current_exception();
        callback_failed_ = true;
      }
    }
    if (stopping) return;
    if (!any) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void PythonSession::join_dispatcher() {
  dispatcher_stop_ = true;
  if (!dispatcher_.joinable()) return;
  py::gil_scoped_release release;
  dispatcher_.join();
}

void PythonSession::rethrow_callback_error() {
  if (!callback_error_) return;
  auto error = std::exchange(callback_error_, nullptr);
  std::rethrow_exception(error);
}

}  // namespace stridefuse::python
