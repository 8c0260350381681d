#pragma once
// Driver of the open reference pelvis IMU (PAYLOAD.md) behind a bridge.

#include <memory>

#include "reference_imu_payload.hpp"
#include "stridefuse/gatt_sensor_driver.hpp"

namespace stridefuse::reference_imu {

class ReferenceImuDriver final : public GattSensorDriver {
 public:
  explicit ReferenceImuDriver(bool with_magnetometer);

  /// From a scan: an advertisement named "SFP-IMU..." or listing service 0xFF20;
  /// a name ending in "-M" means the magnetometer model.
  static std::unique_ptr<GattSensorDriver> from_advert(const BleAdvert& advert);

  std::string name() const override { return "reference-imu"; }
  std::vector<StreamDescriptor> streams() const override { return {stream_}; }
  std::vector<std::uint16_t> notified_characteristics() const override { return {measurement_characteristic}; }
  std::vector<GattWrite> start_writes() const override { return {{control_characteristic, {control_start}}}; }
  std::vector<GattWrite> stop_writes() const override { return {{control_characteristic, {control_stop}}}; }
  void decode(const GattNotification& notification, const Driver::FrameCallback& emit) override;
  DecodeCounters counters() const override { return counters_; }

 private:
  StreamDescriptor stream_;
  bool with_magnetometer_;
  DecodeCounters counters_;
};

}  // namespace stridefuse::reference_imu
