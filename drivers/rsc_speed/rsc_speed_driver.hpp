#pragma once
// A Running Speed and Cadence sensor (footpod) behind a bridge, as a speed
// source: one stream "speed" with channel speed_mps. RSC measurements carry no
// timestamp, so frames are stamped with the bridge's reception tick.

#include <memory>

#include "rsc_measurement.hpp"
#include "stridefuse/core/gatt_sensor_driver.hpp"

namespace stridefuse::rsc {

class RscSpeedDriver final : public GattSensorDriver {
 public:
  /// Until set_bridge_clock, the stream declares a 32-bit 32768 Hz bridge counter.
  RscSpeedDriver();
  static std::unique_ptr<GattSensorDriver> from_advert(const BleAdvert&) { return std::make_unique<RscSpeedDriver>(); }

  std::string name() const override { return "rsc-speed"; }
  std::vector<StreamDescriptor> streams() const override { return {stream_}; }
  std::vector<std::uint16_t> notified_characteristics() const override { return {measurement_characteristic}; }
  void decode(const GattNotification& notification, SampleBatch& out) override;
  DecodeCounters counters() const override { return counters_; }
  void set_bridge_clock(double tick_rate_hz, unsigned tick_bits) override;

 private:
  StreamDescriptor stream_;
  DecodeCounters counters_;
};

}  // namespace stridefuse::rsc
