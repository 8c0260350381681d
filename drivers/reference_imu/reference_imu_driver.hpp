#pragma once
// Driver of the open reference pelvis IMU (PAYLOAD.md) behind a bridge.

#include <memory>

#include "reference_imu_payload.hpp"
#include "stridefuse/core/measurement_gatt_driver.hpp"

namespace stridefuse::reference_imu {

class ReferenceImuDriver final : public MeasurementGattDriver {
 public:
  explicit ReferenceImuDriver(bool with_magnetometer);

  /// From a scan: an advertisement named "SFP-IMU..." or listing service 0xFF20;
  /// a name ending in "-M" means the magnetometer model.
  static std::unique_ptr<GattSensorDriver> from_advert(const BleAdvert& advert);

  std::string name() const override { return "reference-imu"; }

 private:
  /// A packet with or without magnetometer channels, unlike the declared stream, is malformed.
  bool decode_measurement(std::span<const std::uint8_t> payload, SampleBatch& out) override;

  bool with_magnetometer_;
};

}  // namespace stridefuse::reference_imu
