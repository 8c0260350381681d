#pragma once
// Driver of the open reference insole (PAYLOAD.md) behind a bridge.

#include <memory>

#include "reference_insole_payload.hpp"
#include "stridefuse/core/measurement_gatt_driver.hpp"

namespace stridefuse::reference_insole {

class ReferenceInsoleDriver final : public MeasurementGattDriver {
 public:
  /// `with_imu`: whether the insole's IMU channels are declared. Declared
  /// without, the insole may still send the IMU fields: its pressures are
  /// decoded and the IMU fields skipped. Declared with, a packet without the
  /// IMU fields is malformed.
  ReferenceInsoleDriver(InsoleIdentity identity, bool with_imu);

  /// From a scan: throws std::invalid_argument when the name is not "SFI-<L|R>-<mm>".
  static std::unique_ptr<GattSensorDriver> from_advert(const BleAdvert& advert);

  std::string name() const override { return "reference-insole"; }

 private:
  bool decode_measurement(std::span<const std::uint8_t> payload, SampleBatch& out) override;

  bool with_imu_;
};

}  // namespace stridefuse::reference_insole
