#pragma once
// Drivers of Bluetooth LE sensors reached through a bridge. The bridge driver
// (drivers/bridge) owns the byte stream; it hands each GATT notification of a
// connected sensor, whole, to that sensor's GattSensorDriver, which turns its
// payload into samples exactly as a Driver does.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "stridefuse/core/device_match.hpp"
#include "stridefuse/core/driver.hpp"

namespace stridefuse {

/// One notification of one characteristic, as the bridge relayed it.
struct GattNotification {
  std::uint16_t characteristic = 0;      ///< 16-bit characteristic UUID
  std::uint64_t bridge_tick = 0;         ///< the bridge's counter when the notification arrived over the air
  std::span<const std::uint8_t> payload; ///< the characteristic value, as the sensor sent it
};

/// A characteristic write the driver wants made, e.g. to start streaming.
struct GattWrite {
  std::uint16_t characteristic = 0;
  std::vector<std::uint8_t> value;
};

class GattSensorDriver {
 public:
  virtual ~GattSensorDriver() = default;

  virtual std::string name() const = 0;

  /// The streams of this sensor, in the order Sample::stream refers to.
  virtual std::vector<StreamDescriptor> streams() const = 0;

  /// Characteristics whose notifications this driver decodes; the bridge subscribes to them.
  virtual std::vector<std::uint16_t> notified_characteristics() const = 0;

  /// Writes to make after subscribing (configure/start); none by default.
  virtual std::vector<GattWrite> start_writes() const { return {}; }
  /// Writes to make before unsubscribing (stop); none by default.
  virtual std::vector<GattWrite> stop_writes() const { return {}; }

  /// Decodes one notification into samples appended to `out` (the sensor's
  /// own stream indices and ticks; the bridge driver adds its tick and its
  /// stream offset); a malformed one is counted and adds nothing.
  virtual void decode(const GattNotification& notification, SampleBatch& out) = 0;

  virtual DecodeCounters counters() const = 0;

  virtual DeviceHealth health() const { return {}; }

  /// The bridge's notification counter (from version negotiation). A sensor
  /// that sends no tick of its own (e.g. RSC) stamps its samples with the
  /// bridge tick and declares this rate; others ignore it.
  virtual void set_bridge_clock(double tick_rate_hz, unsigned tick_bits) {
    (void)tick_rate_hz;
    (void)tick_bits;
  }
};

}  // namespace stridefuse
