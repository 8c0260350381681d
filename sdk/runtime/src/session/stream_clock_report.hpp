#pragma once
// What a status event says about one stream's clock: the counters of its
// clock (both levels added up behind a bridge) and its drift once measured.
// The clocks expose their drift estimate from the first frames on, when it is
// still the nominal rate; it is reported only once the current epoch spans
// long enough for a measured slope, never as a zero standing for "unknown".
//
// Owned by the device reader's thread, like the clocks.

#include <cstdint>
#include <variant>

#include "stridefuse/core/bridged_clock.hpp"
#include "stridefuse/core/device_clock.hpp"
#include "stridefuse/core/events.hpp"

namespace stridefuse::detail {

class StreamClockReport {
 public:
  /// The span of one epoch after which its drift counts as measured, device seconds
  /// (as long as DeviceClock itself wants before it trusts a slope across a reset).
  static constexpr double min_drift_span_s = 10.0;

  /// `bridge_ticks`: the stream's ticks are its bridge's (StreamDescriptor::bridge_ticks).
  /// Throws std::invalid_argument unless tick_rate_hz > 0.
  explicit StreamClockReport(double tick_rate_hz, bool bridge_ticks = false);

  /// Every mapping the stream's clock returned, in order.
  void observe(const ClockMapping& mapping);

  /// Counters and drift; the latency fields stay absent (the fusion thread's).
  StreamClockStatus status(const std::variant<DeviceClock, BridgedClock>& clock) const;

 private:
  double tick_rate_hz_;
  bool bridge_ticks_;
  bool started_ = false;
  std::uint32_t epoch_ = 0;
  std::uint64_t first_tick_ = 0;   // unwrapped, of the epoch's first fresh frame
  std::uint64_t newest_tick_ = 0;  // unwrapped, of its newest fresh frame
};

}  // namespace stridefuse::detail
