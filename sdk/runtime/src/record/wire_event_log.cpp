#include "record/wire_event_log.hpp"

#include "stridefuse/runtime/zmq_publisher.hpp"

namespace stridefuse::record {

WireEvent WireEventEncoder::encode(const Event& event, const EventProvenance* provenance) {
  const auto bytes = encoder_.encode(event, athlete_, sequences_[event.index()]++, provenance);
  return {event_topic(athlete_, event), {bytes.begin(), bytes.end()}};
}

}  // namespace stridefuse::record
