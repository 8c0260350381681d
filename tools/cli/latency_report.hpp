#pragma once
// `stridefuse sub --latency`: the distribution of the latencies each event's
// provenance gives (EVENTS.md section 2.1), stage by stage: from its last
// sample's arrival at the host to the fusion turn that produced it, from
// there to its publishing, the two together, and on to this subscriber
// receiving it (the host's wall clock put on the session clock through the
// session start's hostStartUnixNs: exact on the publisher's host, off by the
// two clocks' difference elsewhere); and the clock error bounds of the
// streams that contributed, to judge how far to trust those times.

#include <cstdint>
#include <optional>
#include <ostream>
#include <vector>

#include "stridefuse/runtime/event_codec.hpp"

namespace stridefuse::cli {

class LatencyReport {
 public:
  /// Notes one event received at `received_unix_ns` (wall clock).
  void add(const DecodedEvent& event, std::uint64_t received_unix_ns);
  /// The table: per stage the count, p50, p90, p99, p99.9 and max, in ms.
  void print(std::ostream& out) const;

 private:
  std::optional<std::uint64_t> host_start_unix_ns_;  // from the session start (the snapshot brings it)
  std::vector<double> fusion_ms_, publish_ms_, published_ms_, received_ms_, error_bound_ms_;
  std::uint64_t events_ = 0, without_provenance_ = 0;
};

}  // namespace stridefuse::cli
