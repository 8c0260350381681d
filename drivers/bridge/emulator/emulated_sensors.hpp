#pragma once
// BLE sensors as the bridge emulator sees them: what they advertise and the
// notifications they send over the air as time passes.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <span>
#include <vector>

#include "stridefuse/core/device_match.hpp"

namespace stridefuse::bridge {

class EmulatedSensors {
 public:
  /// sensor: index into adverts(); t_s: when it went over the air (emulator seconds).
  using Send = std::function<void(std::size_t sensor, double t_s, std::uint16_t characteristic,
                                  std::vector<std::uint8_t> value)>;

  virtual ~EmulatedSensors() = default;
  virtual std::vector<BleAdvert> adverts() const = 0;
  /// Produces every notification sent up to `now_s`, in time order.
  virtual void advance(double now_s, const Send& send) = 0;
  /// A characteristic write from the host (e.g. start/stop). Default: ignored.
  virtual void write(std::size_t sensor, std::uint16_t characteristic, std::span<const std::uint8_t> value) {
    (void)sensor;
    (void)characteristic;
    (void)value;
  }
  /// Fault injection: the sensor restarted (a battery swap, a watchdog): its
  /// tick counter starts again from 0 with its next sample. Default: these
  /// sensors cannot, std::invalid_argument.
  virtual void restart_clock(std::size_t sensor);
};

inline void EmulatedSensors::restart_clock(std::size_t sensor) {
  throw std::invalid_argument("these emulated sensors cannot restart the clock of sensor " + std::to_string(sensor));
}

}  // namespace stridefuse::bridge
