#pragma once
// Mapping between the enums of events.hpp / metric.hpp / stream.hpp and the
// generated Cap'n Proto enums. Private to the codec. Encoding rejects values
// outside the C++ enum (a cast gone wrong); decoding rejects enumerants this
// build does not know (a newer schema minor), naming the field.

#include <cstdint>
#include <stdexcept>
#include <string>

#include "stridefuse/core/events.hpp"
#include "stridefuse/schema/events.capnp.h"

namespace stridefuse::events_detail {

/// Highest enumerant of each C++ enum; the static_asserts in the .cpp tie them to the schema.
template <class E>
constexpr std::uint16_t last_enumerant();
template <>
constexpr std::uint16_t last_enumerant<Side>() { return static_cast<std::uint16_t>(Side::right); }
template <>
constexpr std::uint16_t last_enumerant<StrikePattern>() { return static_cast<std::uint16_t>(StrikePattern::forefoot); }
template <>
constexpr std::uint16_t last_enumerant<AbsentReason>() {
  return static_cast<std::uint16_t>(last_absent_reason);
}
template <>
constexpr std::uint16_t last_enumerant<GaitMode>() { return static_cast<std::uint16_t>(GaitMode::running); }
template <>
constexpr std::uint16_t last_enumerant<StepSource>() { return static_cast<std::uint16_t>(StepSource::pelvis); }
template <>
constexpr std::uint16_t last_enumerant<CalibrationSource>() {
  return static_cast<std::uint16_t>(CalibrationSource::first_strides);
}
template <>
constexpr std::uint16_t last_enumerant<DeviceState>() { return static_cast<std::uint16_t>(DeviceState::reconnecting); }
template <>
constexpr std::uint16_t last_enumerant<LinkReason>() { return static_cast<std::uint16_t>(LinkReason::no_answer); }
template <>
constexpr std::uint16_t last_enumerant<FindingState>() { return static_cast<std::uint16_t>(FindingState::ended); }
template <>
constexpr std::uint16_t last_enumerant<FindingCode>() { return static_cast<std::uint16_t>(last_finding_code); }
template <>
constexpr std::uint16_t last_enumerant<FindingSide>() { return static_cast<std::uint16_t>(FindingSide::both); }
template <>
constexpr std::uint16_t last_enumerant<DrillExercise>() { return static_cast<std::uint16_t>(last_drill_exercise); }
template <>
constexpr std::uint16_t last_enumerant<DrillSide>() { return static_cast<std::uint16_t>(DrillSide::both); }
template <>
constexpr std::uint16_t last_enumerant<PelvisAxis>() { return static_cast<std::uint16_t>(PelvisAxis::rotation); }

/// C++ enum to schema enum; the enumerants share ordinals (checked at compile time).
template <class Wire, class E>
Wire to_wire(E value, const char* field) {
  const auto raw = static_cast<std::uint16_t>(value);
  if (raw > last_enumerant<E>())
    throw std::invalid_argument(std::string("event field '") + field + "' has out-of-range enum value " +
                                std::to_string(raw));
  return static_cast<Wire>(raw);
}

/// Schema enum to C++ enum. Throws std::out_of_range for an enumerant this build does not know.
template <class E, class Wire>
E from_wire(Wire value, const char* field) {
  const auto raw = static_cast<std::uint16_t>(value);
  if (raw > last_enumerant<E>())
    throw std::out_of_range(std::string("field '") + field + "' has unknown enumerant " + std::to_string(raw) +
                            " (written by a newer schema minor?)");
  return static_cast<E>(raw);
}

}  // namespace stridefuse::events_detail
