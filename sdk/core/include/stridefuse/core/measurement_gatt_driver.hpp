#pragma once
// A GATT sensor of the common shape: one stream, samples notified on one
// measurement characteristic, streaming switched on and off by writing a
// start or stop byte to a control characteristic. A driver of such a sensor
// only decodes its measurement payload (see drivers/reference_imu).

#include <cstdint>
#include <functional>
#include <span>

#include "stridefuse/core/gatt_sensor_driver.hpp"

namespace stridefuse {

struct MeasurementGattProfile {
  std::uint16_t measurement_characteristic = 0;
  std::uint16_t control_characteristic = 0;
  std::uint8_t control_start = 0x01;
  std::uint8_t control_stop = 0x00;
};

class MeasurementGattDriver : public GattSensorDriver {
 public:
  /// Throws std::invalid_argument, as validate() in stream.hpp, for an inconsistent stream.
  MeasurementGattDriver(StreamDescriptor stream, MeasurementGattProfile profile);

  std::vector<StreamDescriptor> streams() const final { return {stream_}; }
  std::vector<std::uint16_t> notified_characteristics() const final { return {profile_.measurement_characteristic}; }
  std::vector<GattWrite> start_writes() const final {
    return {{profile_.control_characteristic, {profile_.control_start}}};
  }
  std::vector<GattWrite> stop_writes() const final {
    return {{profile_.control_characteristic, {profile_.control_stop}}};
  }
  /// Counts a notification of another characteristic, or one decode_measurement() refuses, as malformed.
  void decode(const GattNotification& notification, SampleBatch& out) final;
  DecodeCounters counters() const final { return counters_; }

 protected:
  /// Appends one sample of the stream at the raw tick, with the stream's
  /// channel count, for decode_measurement() to fill in the stream's channel order.
  Sample& add_sample(SampleBatch& out, std::uint64_t raw_tick) const {
    return out.add(0, raw_tick, stream_.channels.size());
  }

  /// Decodes one measurement payload into samples appended to `out` in time
  /// order (add_sample()); false for a malformed payload, whose samples are
  /// then taken back out.
  virtual bool decode_measurement(std::span<const std::uint8_t> payload, SampleBatch& out) = 0;

 private:
  StreamDescriptor stream_;
  MeasurementGattProfile profile_;
  DecodeCounters counters_;
};

}  // namespace stridefuse
