#pragma once
// The wire form of events: one Cap'n Proto EventMessage (sdk/runtime/schema/events.capnp,
// reference in sdk/runtime/schema/EVENTS.md) per event, as an unpacked flat array so
// `capnp decode events.capnp EventMessage` reads it without our code. Also
// the JSON rendering used by `stridefuse sub` and events.jsonl.
//
// The generated Cap'n Proto types stay inside the SDK: this API speaks the
// structs of events.hpp.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/core/form_finding.hpp"
#include "stridefuse/runtime/event_provenance.hpp"

namespace stridefuse {

/// Schema version this build writes and reads (the schemaMajor/schemaMinor
/// constants of events.capnp; a static_assert keeps them equal). Readers
/// accept any minor of their major and reject every other major.
inline constexpr std::uint16_t event_schema_major = 1;
inline constexpr std::uint16_t event_schema_minor = 7;

/// What every message carries besides the event.
struct EventEnvelope {
  std::uint16_t schema_major = event_schema_major;
  std::uint16_t schema_minor = event_schema_minor;
  std::string athlete;
  std::uint64_t sequence = 0;  ///< per topic (athlete + kind), +1 per event
  double session_time_s = 0.0; ///< event_time_s() of the event
  /// Where the event came from (since 1.3); empty when the message has none
  /// (a writer before 1.3, a heartbeat, an event published without one).
  /// Its session_zero is always empty here.
  std::optional<EventProvenance> provenance;
};

struct DecodedEvent {
  EventEnvelope envelope;
  Event event;
};

/// Bytes that are not a valid EventMessage of a schema major we read:
/// truncated, malformed, garbage, an unknown event kind or enumerant, or
/// another schema major. The message says which.
struct EventDecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Turns events into messages. Reuses its buffers, so encoding allocates
/// little after the first events; one encoder per thread.
class EventEncoder {
 public:
  EventEncoder();
  ~EventEncoder();
  EventEncoder(const EventEncoder&) = delete;
  EventEncoder& operator=(const EventEncoder&) = delete;

  /// Encodes one event with its envelope (current schema version, session
  /// time from the event) and, when given, its provenance (else the message
  /// has none). The bytes stay valid until the next encode() or the encoder's
  /// destruction. Throws std::invalid_argument naming the field for a Metric
  /// marked present with a non-finite value or an enum value outside its
  /// declared range.
  std::span<const std::uint8_t> encode(const Event& event, std::string_view athlete, std::uint64_t sequence,
                                       const EventProvenance* provenance = nullptr);

  /// Where the last encode() put provenance.publishedS: its byte offset in the
  /// message (8 bytes, a little-endian IEEE double), so a publisher can stamp
  /// the moment it sends without encoding again; empty when that message had
  /// no provenance.
  std::optional<std::size_t> published_offset() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Clears what a writer of schema `minor` (of this major) could not send:
/// the fields added after it (events.capnp's "since" notes) get the value an
/// older message decodes to. Replay compares a recording made by an older
/// build with this (stridefuse/runtime/session_recording.hpp). Throws
/// std::invalid_argument for a minor newer than event_schema_minor.
void clear_fields_after_minor(Event& event, std::uint16_t minor);

/// Convenience: one event to an owned byte vector.
std::vector<std::uint8_t> encode_event(const Event& event, std::string_view athlete, std::uint64_t sequence,
                                       const EventProvenance* provenance = nullptr);

/// Decodes one message. The bytes need no particular alignment. Throws
/// EventDecodeError (never crashes) for anything but a complete, well-formed
/// EventMessage of schema major event_schema_major; reading is bounded by
/// Cap'n Proto's traversal and nesting limits.
DecodedEvent decode_event(std::span<const std::uint8_t> bytes);

/// One JSON object, no trailing newline: {"kind":..., "t_s":..., fields...}.
/// Step fields use the steps.csv column names (sdk/runtime/src/offline/FILES.md); an absent
/// metric is null and its reason is listed under "absent": {"column": "reason"}.
/// Non-finite numbers are written as null.
std::string event_to_json(const Event& event);

/// As above, with the envelope first: "schema", "athlete", "sequence", and
/// the provenance last: "provenance": {...} or null (EVENTS.md section 6). A
/// session start's own athlete is "session_athlete" here, beside the
/// envelope's "athlete", so that every key appears once.
std::string event_to_json(const DecodedEvent& decoded);

/// One form finding as a JSON object, no trailing newline (findings.json's
/// items, fusion/FINDINGS.md): "code", "side", "metric", "t_start_s",
/// "t_end_s", "value", "threshold", "unit", "message", then "steps" and
/// "strength". Non-finite numbers are written as null.
std::string finding_to_json(const FormFinding& finding);

}  // namespace stridefuse
