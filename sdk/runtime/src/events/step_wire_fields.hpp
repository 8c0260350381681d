#pragma once
// The fields of events.capnp's Step, one per row of the step table
// (stridefuse/core/step_fields.hpp), found by name once: the codec encodes and
// decodes a step by iterating the table through Cap'n Proto's dynamic API
// rather than by a generated setter and getter per metric. Private to the codec.

#include <capnp/schema.h>

#include <array>
#include <string>
#include <string_view>

#include "stridefuse/core/step_fields.hpp"

namespace stridefuse::events_detail {

/// The events.capnp name of a step table name: snake_case to camelCase (contact_time_s: contactTimeS).
std::string camel_case(std::string_view snake_case);

using StepWireFields = std::array<capnp::StructSchema::Field, std::size(step_fields)>;

/// Element i is the Step field of step_fields[i], which is also field @i.
/// Throws std::logic_error when the table and the schema disagree (a row
/// without its field, or out of the schema's order); the step fields test
/// catches that before anything ships.
const StepWireFields& step_wire_fields();

}  // namespace stridefuse::events_detail
