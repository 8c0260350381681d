#include "stridefuse/core/bridged_clock.hpp"

#include <algorithm>

namespace stridefuse {

BridgedClock::BridgedClock(DeviceClockConfig sensor, DeviceClockConfig bridge)
    : sensor_(sensor), bridge_(bridge) {}

ClockMapping BridgedClock::observe(std::uint64_t sensor_raw_tick, std::uint64_t bridge_raw_tick,
                                   double host_arrival_s) {
  // All frames of one bridge packet share its stamp and arrival: the bridge
  // level learns from the packet once (repeats would count as duplicates).
  const bool same_packet = last_bridge_ && last_bridge_->raw_tick == bridge_raw_tick &&
                           last_bridge_->host_arrival_s == host_arrival_s;
  const ClockMapping at_bridge = same_packet ? last_bridge_->mapping : bridge_.observe(bridge_raw_tick, host_arrival_s);
  last_bridge_ = BridgePacket{bridge_raw_tick, host_arrival_s, at_bridge};
  using Status = ClockMapping::Status;
  if (at_bridge.status == Status::rejected || at_bridge.status == Status::unconfirmed) {
    ClockMapping m = at_bridge;
    m.unwrapped_tick = sensor_raw_tick;
    m.epoch = sensor_.epoch() + bridge_.epoch();
    return m;
  }
  // The bridge's time base restarts with its epoch: the sensor's fit against
  // the old one is meaningless, and so are its arrivals in the old bridge
  // seconds (a restarted bridge's counter starts again from 0: without
  // forgetting them, every later arrival would look earlier and be clamped).
  if (bridge_.epoch() != bridge_epoch_) {
    bridge_epoch_ = bridge_.epoch();
    sensor_.start_new_epoch_and_time_base();
  }
  const double bridge_rate_hz = bridge_.config().tick_rate_hz;
  const double bridge_time_s = static_cast<double>(at_bridge.unwrapped_tick) / bridge_rate_hz;
  const ClockMapping at_sensor = sensor_.observe(sensor_raw_tick, bridge_time_s);

  // Sensor time in bridge seconds -> bridge tick -> session time. The bridge
  // slope is 1 within its drift, so the sensor's bound carries over unscaled.
  const ClockMapping at_host = bridge_.map_unwrapped(at_sensor.t_s * bridge_rate_hz);
  ClockMapping m;
  m.t_s = std::min(at_host.t_s, host_arrival_s - bridge_.config().min_delay_s);
  m.error_bound_s = at_host.error_bound_s + at_sensor.error_bound_s * (1.0 + bridge_.config().max_drift_ppm * 1e-6);
  m.epoch = sensor_.epoch() + bridge_.epoch();
  m.unwrapped_tick = at_sensor.unwrapped_tick;
  m.status = at_sensor.status;
  return m;
}

}  // namespace stridefuse
