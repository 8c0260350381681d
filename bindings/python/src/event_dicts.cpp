#include "event_dicts.hpp"

#include <string>

namespace py = pybind11;

namespace stridefuse::python {
namespace {

// json.loads keeps the JSON's key order (the steps.csv column order for steps)
// and its exact numbers: the JSON writes the shortest text that reads back to
// the same double.
py::dict dict_from_json(const std::string& json) {
  return py::module_::import("json").attr("loads")(py::str(json)).cast<py::dict>();
}

}  // namespace

py::dict event_to_dict(const Event& event) { return dict_from_json(event_to_json(event)); }

py::dict event_to_dict(const DecodedEvent& decoded) { return dict_from_json(event_to_json(decoded)); }

py::dict decode_event_to_dict(std::span<const std::uint8_t> bytes) {
  return event_to_dict(decode_event(bytes));
}

}  // namespace stridefuse::python
