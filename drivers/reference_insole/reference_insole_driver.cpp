#include "reference_insole_driver.hpp"

#include <stdexcept>

namespace stridefuse::reference_insole {

ReferenceInsoleDriver::ReferenceInsoleDriver(InsoleIdentity identity, bool with_imu)
    : MeasurementGattDriver(stream(identity, with_imu),
                            {measurement_characteristic, control_characteristic, control_start, control_stop}),
      with_imu_(with_imu) {}

std::unique_ptr<GattSensorDriver> ReferenceInsoleDriver::from_advert(const BleAdvert& advert) {
  const auto id = parse_advertised_name(advert.name);
  if (!id)
    throw std::invalid_argument("'" + advert.name + "' is not a reference insole name (SFI-<L|R>-<length mm>)");
  // The advertisement does not say whether the insole carries an IMU; the
  // reference insole found by scanning is taken as the pressure-only model.
  return std::make_unique<ReferenceInsoleDriver>(*id, false);
}

bool ReferenceInsoleDriver::decode_measurement(std::span<const std::uint8_t> payload, SampleBatch& out) {
  return reference_insole::decode_into(payload, with_imu_,
                                       [&](std::uint16_t tick) -> Sample& { return add_sample(out, tick); });
}

}  // namespace stridefuse::reference_insole
