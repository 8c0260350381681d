#pragma once
// Events as Python dicts. The keys and values are those of the SDK's JSON
// rendering (event_to_json, documented in sdk/runtime/schema/EVENTS.md section 6), so
// a dict from an in-process session, from decode_event() and a line of
// events.jsonl or `stridefuse sub` all have the same shape.

#include <pybind11/pybind11.h>

#include <cstdint>
#include <span>

#include "stridefuse/runtime/event_codec.hpp"

namespace stridefuse::python {

/// {"kind", "t_s", fields...}. Needs the GIL.
pybind11::dict event_to_dict(const Event& event);

/// As above with the envelope: "schema", "athlete", "sequence". Needs the GIL.
pybind11::dict event_to_dict(const DecodedEvent& decoded);

/// Decodes one wire message (EventMessage bytes) with the SDK's decoder.
/// Throws EventDecodeError (Python: stridefuse.DecodeError, a ValueError).
pybind11::dict decode_event_to_dict(std::span<const std::uint8_t> bytes);

}  // namespace stridefuse::python
