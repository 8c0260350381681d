#include "record/wire_event_log.hpp"

#include "stridefuse/runtime/zmq_publisher.hpp"

namespace stridefuse::record {

WireEvent WireEventEncoder::encode(const Event& event) {
  const auto bytes = encoder_.encode(event, athlete_, sequences_[event.index()]++);
  return {event_topic(athlete_, event), {bytes.begin(), bytes.end()}};
}

}  // namespace stridefuse::record
