#include "reference_imu_driver.hpp"

namespace stridefuse::reference_imu {

ReferenceImuDriver::ReferenceImuDriver(bool with_magnetometer)
    : MeasurementGattDriver(stream(with_magnetometer),
                            {measurement_characteristic, control_characteristic, control_start, control_stop}),
      with_magnetometer_(with_magnetometer) {}

std::unique_ptr<GattSensorDriver> ReferenceImuDriver::from_advert(const BleAdvert& advert) {
  return std::make_unique<ReferenceImuDriver>(advert.name.ends_with("-M"));
}

bool ReferenceImuDriver::decode_measurement(std::span<const std::uint8_t> payload, const SampleCallback& emit_sample) {
  const auto packet = reference_imu::decode(payload);
  if (!packet || packet->has_magnetometer != with_magnetometer_) return false;
  const std::size_t channels = with_magnetometer_ ? 9 : 6;
  for (const auto& s : packet->samples) emit_sample(s.tick, std::span<const double>(s.values.data(), channels));
  return true;
}

}  // namespace stridefuse::reference_imu
