#pragma once
// The bridge driver: speaks the open bridge protocol (PROTOCOL.md) to a USB or
// serial bridge and hands each connected sensor's notifications to that
// sensor's GattSensorDriver. Its streams are the sensors' streams, in the order
// the sensors were given. Opening a bridge (negotiate, scan, connect) is
// open_bridge() in open_bridge.hpp; this class takes over once the sensors
// are connected.

#include <memory>
#include <string>
#include <vector>

#include "bridge_protocol.hpp"
#include "stridefuse/core/gatt_sensor_driver.hpp"

namespace stridefuse::bridge {

/// What version negotiation told us about the bridge.
struct BridgeInfo {
  std::uint8_t major = protocol_major;
  std::uint8_t minor = protocol_minor;
  double tick_rate_hz = 32768.0;
  unsigned tick_bits = 32;
  unsigned max_connections = 0;
  std::string firmware;
};

/// A sensor the bridge is connected to and the driver that decodes it.
struct ConnectedSensor {
  std::uint8_t handle = 0;
  BleAdvert advert;
  std::unique_ptr<GattSensorDriver> driver;
};

/// Health of one sensor behind the bridge.
struct SensorHealth {
  std::string address;
  std::string driver;
  bool connected = true;
  DeviceHealth health;
};

class BridgeDriver final : public Driver {
 public:
  /// Throws std::invalid_argument when there is no sensor, a driver is null,
  /// two sensors share a handle, or a declared stream is inconsistent.
  /// `link`: the link's framing state from opening it (BridgeClient::release_link),
  /// so that the host's frame numbers and the link's counters continue.
  BridgeDriver(BridgeInfo info, std::vector<ConnectedSensor> sensors, BridgeLink link = {});

  std::string name() const override { return "bridge"; }
  std::vector<StreamDescriptor> streams() const override { return streams_; }
  void decode(std::span<const std::uint8_t> bytes, SampleBatch& out) override;
  /// The whole link: every sensor's counts, plus what belongs to no sensor
  /// (damaged or lost bridge frames, bytes skipped, messages for no sensor).
  DecodeCounters counters() const override;
  /// Each sensor's own counts on its streams, with the notifications refused
  /// for it (those that came after the bridge said it was disconnected) as malformed.
  void stream_counters(std::span<DecodeCounters> out) const override;

  /// Subscribes to every sensor's characteristics and makes its start writes.
  void start(Transport& transport) override;
  /// Makes the stop writes and unsubscribes; the sensors stay connected, so
  /// start() can resume (the bridge drops the links when it loses the host).
  void stop(Transport& transport) noexcept override;

  /// Worst battery and signal over the sensors, errors of the bridge and sensors.
  DeviceHealth health() const override;

  /// The bridge's notification counter: every sample carries its bridge_tick.
  std::optional<BridgeClockInfo> bridge_clock() const override {
    return BridgeClockInfo{info_.tick_rate_hz, info_.tick_bits};
  }

  std::vector<SensorHealth> sensor_health() const;
  const BridgeInfo& info() const { return info_; }

 private:
  struct Slot {
    ConnectedSensor sensor;
    std::uint16_t first_stream = 0;
    std::uint16_t stream_count = 0;
    SensorHealth health;
    std::uint64_t refused = 0;  // notifications after DISCONNECTED: the link is gone, they cannot be its data
  };
  Slot* slot(std::uint8_t handle);
  void on_frame(const BridgeFrame& frame, SampleBatch& out);

  BridgeInfo info_;
  std::vector<Slot> slots_;
  std::vector<StreamDescriptor> streams_;
  BridgeLink link_;
  DecodeCounters own_;  // malformed bridge messages and notifications for no sensor
  DeviceHealth bridge_health_;
};

}  // namespace stridefuse::bridge
