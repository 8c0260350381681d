#include "reference_insole_driver.hpp"

#include <stdexcept>

namespace stridefuse::reference_insole {

ReferenceInsoleDriver::ReferenceInsoleDriver(InsoleIdentity identity, bool with_imu)
    : stream_(stream(identity, with_imu)), with_imu_(with_imu) {
  validate(stream_);
}

std::unique_ptr<GattSensorDriver> ReferenceInsoleDriver::from_advert(const BleAdvert& advert) {
  const auto id = parse_advertised_name(advert.name);
  if (!id)
    throw std::invalid_argument("'" + advert.name + "' is not a reference insole name (SFI-<L|R>-<length mm>)");
  // The advertisement does not say whether the insole carries an IMU; the
  // reference insole found by scanning is taken as the pressure-only model.
  return std::make_unique<ReferenceInsoleDriver>(*id, false);
}

void ReferenceInsoleDriver::decode(const GattNotification& notification, const Driver::FrameCallback& emit) {
  if (notification.characteristic != measurement_characteristic) {
    ++counters_.malformed;
    return;
  }
  const auto packet = reference_insole::decode(notification.payload);
  if (!packet || packet->has_imu != with_imu_) {
    ++counters_.malformed;
    return;
  }
  Frame frame;
  frame.stream = 0;
  frame.channel_count = static_cast<std::uint8_t>(stream_.channels.size());
  for (const auto& s : packet->samples) {
    frame.raw_tick = s.tick;
    std::size_t c = 0;
    for (double p : s.pressure_kpa) frame.values[c++] = p;
    if (with_imu_)
      for (double v : s.imu) frame.values[c++] = v;
    ++counters_.frames;
    emit(frame);
  }
}

}  // namespace stridefuse::reference_insole
