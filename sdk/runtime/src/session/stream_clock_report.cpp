#include "session/stream_clock_report.hpp"

#include <stdexcept>

namespace stridefuse::detail {
namespace {

void add(StreamClockStatus& out, const DeviceClockCounters& c) {
  out.resets += c.resets;
  out.wraps += c.wraps;
  out.out_of_order += c.out_of_order;
  out.duplicates += c.duplicates;
  out.rejected_ticks += c.rejected_ticks;
  out.stray_ticks += c.stray_ticks;
  out.host_time_backwards += c.host_time_backwards;
  out.absurd_rates += c.absurd_rates;
}

}  // namespace

StreamClockReport::StreamClockReport(double tick_rate_hz, bool bridge_ticks)
    : tick_rate_hz_(tick_rate_hz), bridge_ticks_(bridge_ticks) {
  if (!(tick_rate_hz > 0.0)) throw std::invalid_argument("StreamClockReport needs a positive tick rate");
}

void StreamClockReport::observe(const ClockMapping& mapping) {
  if (mapping.status != ClockMapping::Status::fresh) return;  // only fresh frames move the epoch's newest tick
  if (!started_ || mapping.epoch != epoch_) {
    started_ = true;
    epoch_ = mapping.epoch;
    first_tick_ = mapping.unwrapped_tick;
  }
  newest_tick_ = mapping.unwrapped_tick;
}

StreamClockStatus StreamClockReport::status(const std::variant<DeviceClock, BridgedClock>& clock) const {
  StreamClockStatus out;
  double drift_ppm = 0.0;
  if (const auto* bridged = std::get_if<BridgedClock>(&clock)) {
    add(out, bridged->sensor().counters());
    add(out, bridged->bridge().counters());
    // A stream stamped with the bridge's ticks has one counter seen at both
    // levels: each of its wraps is one wrap, the bridge's.
    if (bridge_ticks_) out.wraps -= bridged->sensor().counters().wraps;
    // Sensor against bridge, bridge against host: to first order the rate errors add.
    drift_ppm = bridged->sensor().drift_ppm() + bridged->bridge().drift_ppm();
  } else {
    const auto& direct = std::get<DeviceClock>(clock);
    add(out, direct.counters());
    drift_ppm = direct.drift_ppm();
  }
  const double span_s = started_ ? static_cast<double>(newest_tick_ - first_tick_) / tick_rate_hz_ : 0.0;
  if (span_s >= min_drift_span_s) out.drift_ppm = Metric::of(drift_ppm);
  return out;
}

}  // namespace stridefuse::detail
