#include "reference_insole_driver.hpp"

#include <algorithm>
#include <array>
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

bool ReferenceInsoleDriver::decode_measurement(std::span<const std::uint8_t> payload,
                                               const SampleCallback& emit_sample) {
  const auto packet = reference_insole::decode(payload);
  if (!packet || packet->has_imu != with_imu_) return false;
  std::array<double, site_count + 6> values{};
  const std::size_t channels = site_count + (with_imu_ ? 6 : 0);
  for (const auto& s : packet->samples) {
    std::copy(s.pressure_kpa.begin(), s.pressure_kpa.end(), values.begin());
    std::copy(s.imu.begin(), s.imu.end(), values.begin() + site_count);
    emit_sample(s.tick, std::span<const double>(values.data(), channels));
  }
  return true;
}

}  // namespace stridefuse::reference_insole
