#pragma once
// Driver of the open reference insole (PAYLOAD.md) behind a bridge.

#include <memory>

#include "reference_insole_payload.hpp"
#include "stridefuse/gatt_sensor_driver.hpp"

namespace stridefuse::reference_insole {

class ReferenceInsoleDriver final : public GattSensorDriver {
 public:
  /// `with_imu`: whether the insole's IMU channels are declared (an insole
  /// without them sends packets without IMU; packets that disagree are malformed).
  ReferenceInsoleDriver(InsoleIdentity identity, bool with_imu);

  /// From a scan: throws std::invalid_argument when the name is not "SFI-<L|R>-<mm>".
  static std::unique_ptr<GattSensorDriver> from_advert(const BleAdvert& advert);

  std::string name() const override { return "reference-insole"; }
  std::vector<StreamDescriptor> streams() const override { return {stream_}; }
  std::vector<std::uint16_t> notified_characteristics() const override { return {measurement_characteristic}; }
  std::vector<GattWrite> start_writes() const override { return {{control_characteristic, {control_start}}}; }
  std::vector<GattWrite> stop_writes() const override { return {{control_characteristic, {control_stop}}}; }
  void decode(const GattNotification& notification, const Driver::FrameCallback& emit) override;
  DecodeCounters counters() const override { return counters_; }

 private:
  StreamDescriptor stream_;
  bool with_imu_;
  DecodeCounters counters_;
};

}  // namespace stridefuse::reference_insole
