#include "reference_imu_driver.hpp"

namespace stridefuse::reference_imu {

ReferenceImuDriver::ReferenceImuDriver(bool with_magnetometer)
    : MeasurementGattDriver(stream(with_magnetometer),
                            {measurement_characteristic, control_characteristic, control_start, control_stop}),
      with_magnetometer_(with_magnetometer) {}

std::unique_ptr<GattSensorDriver> ReferenceImuDriver::from_advert(const BleAdvert& advert) {
  return std::make_unique<ReferenceImuDriver>(advert.name.ends_with("-M"));
}

bool ReferenceImuDriver::decode_measurement(std::span<const std::uint8_t> payload, SampleBatch& out) {
  return reference_imu::decode_into(payload, with_magnetometer_,
                                    [&](std::uint32_t tick) -> Sample& { return add_sample(out, tick); });
}

}  // namespace stridefuse::reference_imu
