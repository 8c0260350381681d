#include "events/step_wire_fields.hpp"

#include <cctype>
#include <stdexcept>

#include "stridefuse/schema/events.capnp.h"

namespace stridefuse::events_detail {

std::string camel_case(std::string_view snake_case) {
  std::string out;
  out.reserve(snake_case.size());
  bool upper = false;
  for (const char c : snake_case) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

const StepWireFields& step_wire_fields() {
  // Looked up on first use (thread-safe static), then shared by every step encoded or decoded.
  static const StepWireFields fields = [] {
    const auto step = capnp::Schema::from<schema::Step>();
    StepWireFields out;
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::string name = camel_case(step_fields[i].name);
      KJ_IF_MAYBE (field, step.findFieldByName(name)) {
        if (field->getIndex() != i)
          throw std::logic_error("step table row " + std::to_string(i) + " (" + step_fields[i].name +
                                 ") is field @" + std::to_string(field->getIndex()) + " of events.capnp's Step");
        out[i] = *field;
      } else {
        throw std::logic_error(std::string("events.capnp's Step has no field '") + name + "' for step table row '" +
                               step_fields[i].name + "'");
      }
    }
    return out;
  }();
  return fields;
}

}  // namespace stridefuse::events_detail
