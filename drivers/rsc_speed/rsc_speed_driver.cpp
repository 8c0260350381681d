#include "rsc_speed_driver.hpp"

#include <stdexcept>

namespace stridefuse::rsc {

RscSpeedDriver::RscSpeedDriver() {
  stream_.id = "speed";
  stream_.kind = StreamKind::speed;
  stream_.location = BodyLocation::other;
  stream_.nominal_rate_hz = 1.0;  // RSC sensors notify about once a second
  stream_.channels = {{"speed_mps", "m/s", 65535.0 / 256.0}};  // u16 in 1/256 m/s (README.md)
  stream_.tick_rate_hz = 32768.0;
  stream_.tick_bits = 32;
  stream_.bridge_ticks = true;  // frames are stamped with the bridge's reception tick (decode())
}

void RscSpeedDriver::set_bridge_clock(double tick_rate_hz, unsigned tick_bits) {
  if (!(tick_rate_hz > 0.0) || tick_bits < 8 || tick_bits > 64)
    throw std::invalid_argument("RSC driver: bridge clock of " + std::to_string(tick_rate_hz) + " Hz, " +
                                std::to_string(tick_bits) + " bits is not usable");
  stream_.tick_rate_hz = tick_rate_hz;
  stream_.tick_bits = tick_bits;
}

void RscSpeedDriver::decode(const GattNotification& notification, SampleBatch& out) {
  if (notification.characteristic != measurement_characteristic) {
    ++counters_.malformed;
    return;
  }
  const auto m = rsc::decode(notification.payload);
  if (!m) {
    ++counters_.malformed;
    return;
  }
  // The footpod sends no tick of its own: the bridge's reception tick is its time.
  out.add(0, notification.bridge_tick, 1).values[0] = m->speed_mps;
  ++counters_.frames;
}

}  // namespace stridefuse::rsc
