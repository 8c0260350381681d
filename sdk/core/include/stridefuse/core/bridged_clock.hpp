#pragma once
// Two-level clock for sensors behind a bridge (e.g. a USB dongle relaying
// BLE sensors): the bridge stamps each sensor frame with its own counter on
// reception, and the host stamps the bridge's packets on arrival. The sensor's
// ticks are mapped to bridge time, then bridge time to session time; the error
// bounds add up.
//
// Single-threaded, like DeviceClock.

#include <cstdint>
#include <optional>

#include "stridefuse/core/device_clock.hpp"

namespace stridefuse {

class BridgedClock {
 public:
  /// sensor: the sensor's counter, min_delay_s/max_delay_excess_s of the
  /// sensor -> bridge link (e.g. BLE). bridge: the bridge's counter and the
  /// bridge -> host link (e.g. USB). Throws std::invalid_argument as DeviceClock.
  BridgedClock(DeviceClockConfig sensor, DeviceClockConfig bridge);

  /// One sensor frame: its own tick, the bridge's reception tick, and the
  /// host arrival of the bridge packet that carried it (frames of one packet
  /// repeat both; the bridge level learns from each packet once). The mapping's epoch
  /// counts epochs of both levels; its unwrapped_tick is the sensor's.
  ClockMapping observe(std::uint64_t sensor_raw_tick, std::uint64_t bridge_raw_tick, double host_arrival_s);

  const DeviceClock& sensor() const { return sensor_; }
  const DeviceClock& bridge() const { return bridge_; }

 private:
  DeviceClock sensor_;  ///< sensor ticks -> bridge seconds (unwrapped bridge tick / bridge rate)
  DeviceClock bridge_;  ///< bridge ticks -> session seconds
  std::uint32_t bridge_epoch_ = 0;
  struct BridgePacket {
    std::uint64_t raw_tick = 0;
    double host_arrival_s = 0.0;
    ClockMapping mapping;
  };
  std::optional<BridgePacket> last_bridge_;  ///< the packet the previous frame came in
};

}  // namespace stridefuse
