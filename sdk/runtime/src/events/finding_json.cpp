// A form finding as JSON (findings.json, fusion/FINDINGS.md).

#include "events/json_object.hpp"
#include "stridefuse/runtime/event_codec.hpp"

namespace stridefuse {

std::string finding_to_json(const FormFinding& f) {
  std::string out;
  json_detail::JsonObject o(out);
  o.string("code", to_string(f.code))
      .string("side", to_string(f.side))
      .string("metric", f.metric)
      .number("t_start_s", f.t_start_s)
      .number("t_end_s", f.t_end_s)
      .number("value", f.value)
      .number("threshold", f.threshold)
      .string("unit", f.unit)
      .string("message", f.message)
      .integer("steps", f.steps)
      .number("strength", f.strength)
      .end();
  return out;
}

}  // namespace stridefuse
