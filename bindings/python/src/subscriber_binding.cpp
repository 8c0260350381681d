// stridefuse.Subscriber: the SDK's ZmqSubscriber, events as dicts.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "event_dicts.hpp"
#include "stridefuse/runtime/zmq_subscriber.hpp"

namespace py = pybind11;

namespace stridefuse::python {
namespace {

class PythonSubscriber {
 public:
  PythonSubscriber(const std::string& endpoint, const std::string& topic, int receive_hwm)
      : subscriber_(std::make_unique<ZmqSubscriber>(endpoint, topic, receive_hwm)) {}

  /// Waits without the GIL, in slices so that Ctrl-C gets through; negative timeout: no limit.
  std::optional<ReceivedMessage> receive(double timeout_s) {
    if (!subscriber_) throw std::logic_error("the subscriber is closed");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(std::max(timeout_s, 0.0));
    for (;;) {
      auto slice = std::chrono::milliseconds(100);
      if (timeout_s >= 0.0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        slice = std::clamp(left, std::chrono::milliseconds(0), slice);
      }
      std::optional<ReceivedMessage> message;
      {
        py::gil_scoped_release release;
        const std::lock_guard lock(mutex_);
        message = subscriber_->receive(slice);
      }
      if (message) return message;
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (timeout_s >= 0.0 && std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    }
  }

  /// Skips the publisher's heartbeats ("<athlete>/heartbeat", schema 1.1),
  /// which are not events, counting them: they say the publisher is alive.
  py::object receive_event(double timeout_s) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(std::max(timeout_s, 0.0));
    for (;;) {
      const double left_s =
          timeout_s < 0.0 ? -1.0
                          : std::max(0.0, std::chrono::duration<double>(deadline - std::chrono::steady_clock::now()).count());
      const auto message = receive(left_s);
      if (!message) return py::none();
      if (!message->topic.ends_with("/heartbeat")) return decode_event_to_dict(message->payload);
      ++heartbeats_;
    }
  }

  std::uint64_t heartbeats() const { return heartbeats_; }

  py::object receive_raw(double timeout_s) {
    const auto message = receive(timeout_s);
    if (!message) return py::none();
    return py::make_tuple(
        message->topic,
        py::bytes(reinterpret_cast<const char*>(message->payload.data()), message->payload.size()));
  }

  void close() {
    py::gil_scoped_release release;
    const std::lock_guard lock(mutex_);
    subscriber_.reset();
  }

  std::string endpoint() const {
    if (!subscriber_) throw std::logic_error("the subscriber is closed");
    return subscriber_->endpoint();
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<ZmqSubscriber> subscriber_;
  std::uint64_t heartbeats_ = 0;
};

}  // namespace

void bind_subscriber(py::module_& m) {
  py::class_<PythonSubscriber>(m, "Subscriber", R"(Subscribes to a stridefuse publisher (`stridefuse run`,
a Session with endpoint, `stridefuse proxy`) and returns events as dicts with
the envelope: schema, athlete, sequence, kind, t_s and the event's fields.

Subscriber(endpoint, topic="", receive_hwm=1000): topic is a prefix,
"" for everything, "runner-7/" for one athlete, "runner-7/step" for one kind.
ValueError for a malformed endpoint. Iterating yields events until Ctrl-C.)")
      .def(py::init<const std::string&, const std::string&, int>(), py::arg("endpoint"), py::arg("topic") = "",
           py::arg("receive_hwm") = 1000)
      .def("receive", &PythonSubscriber::receive_event, py::arg("timeout_s") = 1.0,
           "Next event dict, waiting up to timeout_s (negative: no limit); None when none came. The publisher's "
           "heartbeats (topic '<athlete>/heartbeat') are not events: skipped and counted in .heartbeats. "
           "stridefuse.DecodeError (a ValueError) for a message that is not a valid event; the subscriber stays usable.")
      .def("receive_raw", &PythonSubscriber::receive_raw, py::arg("timeout_s") = 1.0,
           "Next message as (topic, payload bytes), undecoded, heartbeats included; None when none came.")
      .def("close", &PythonSubscriber::close)
      .def("__enter__", [](PythonSubscriber& s) -> PythonSubscriber& { return s; })
      .def("__exit__", [](PythonSubscriber& s, const py::object&, const py::object&, const py::object&) { s.close(); })
      .def("__iter__", [](PythonSubscriber& s) -> PythonSubscriber& { return s; })
      .def("__next__", [](PythonSubscriber& s) { return s.receive_event(-1.0); })
      .def_property_readonly("endpoint", &PythonSubscriber::endpoint)
      .def_property_readonly("heartbeats", &PythonSubscriber::heartbeats,
                             "Publisher heartbeats skipped by receive() so far.");
}

}  // namespace stridefuse::python
