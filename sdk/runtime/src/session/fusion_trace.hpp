#pragma once
// What the fusion thread decides that a replay must repeat: when it released,
// how many samples it had taken from each device, at which step of each device
// reader it looked at their status. A recorder implements it; the live session
// calls it on the fusion thread.

#include <cstdint>
#include <span>
#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/runtime/session.hpp"

namespace stridefuse::detail {

/// One device reader's state, taken in one piece.
struct ReaderSnapshot {
  DeviceStats stats;
  std::vector<double> error_bounds_s;  ///< per local stream
  std::vector<StreamClockStatus> clocks;  ///< per local stream: counters and drift (latency fields absent)
  std::uint64_t steps = 0;             ///< state changes committed so far (see DeviceReader::step)
};

class FusionTrace {
 public:
  virtual ~FusionTrace() = default;
  /// The wall-clock time of session time zero as SessionStartEvent carries it.
  virtual void session_start(std::uint64_t host_start_unix_ns) = 0;
  /// A turn that took samples, released samples or published status (`status` non-null).
  virtual void turn(double now_s, std::span<const std::uint32_t> popped,
                    const std::vector<ReaderSnapshot>* status) = 0;
  virtual void session_end(double end_s, const std::vector<ReaderSnapshot>& final_status) = 0;
};

}  // namespace stridefuse::detail
