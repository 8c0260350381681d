// The Python module `stridefuse`: see bindings/python/README.md.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>

#include "event_dicts.hpp"
#include "stridefuse/runtime/recording_files.hpp"
#include "stridefuse/core/transport.hpp"

namespace py = pybind11;

namespace stridefuse::python {
void bind_session(py::module_& m);
void bind_analysis(py::module_& m);
void bind_subscriber(py::module_& m);
void bind_step_metrics(py::module_& m);
}  // namespace stridefuse::python

PYBIND11_MODULE(stridefuse, m) {
  using namespace stridefuse;
  m.doc() = "stridefuse: running-gait sensor fusion. Sessions, offline analysis, event decoding, subscribing.";

  // std::invalid_argument arrives as ValueError, other std exceptions as
  // RuntimeError (pybind11's own mapping); the SDK's named errors get classes.
  py::register_exception<EventDecodeError>(m, "DecodeError", PyExc_ValueError);
  py::register_exception<RecordingFileError>(m, "RecordingFileError", PyExc_RuntimeError);
  py::register_exception<TransportError>(m, "TransportError", PyExc_RuntimeError);

  m.attr("schema_version") = py::make_tuple(event_schema_major, event_schema_minor);

  m.def(
      "decode_event", [](const py::bytes& payload) {
        const std::string_view bytes = payload;
        return python::decode_event_to_dict(
            {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
      },
      py::arg("payload"),
      R"(Decodes one published message payload (a Cap'n Proto EventMessage) with the
SDK's decoder into a dict: schema, athlete, sequence, kind, t_s and the
event's fields as in sdk/runtime/schema/EVENTS.md section 6. stridefuse.DecodeError
(a ValueError) with the decoder's message for truncated, malformed or foreign
bytes and for another schema major.)");

  python::bind_session(m);
  python::bind_analysis(m);
  python::bind_subscriber(m);
  python::bind_step_metrics(m);
}
