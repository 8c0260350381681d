#include "reference_imu_driver.hpp"

namespace stridefuse::reference_imu {

ReferenceImuDriver::ReferenceImuDriver(bool with_magnetometer)
    : stream_(stream(with_magnetometer)), with_magnetometer_(with_magnetometer) {
  validate(stream_);
}

std::unique_ptr<GattSensorDriver> ReferenceImuDriver::from_advert(const BleAdvert& advert) {
  return std::make_unique<ReferenceImuDriver>(advert.name.ends_with("-M"));
}

void ReferenceImuDriver::decode(const GattNotification& notification, const Driver::FrameCallback& emit) {
  if (notification.characteristic != measurement_characteristic) {
    ++counters_.malformed;
    return;
  }
  const auto packet = reference_imu::decode(notification.payload);
  if (!packet || packet->has_magnetometer != with_magnetometer_) {
    ++counters_.malformed;
    return;
  }
  Frame frame;
  frame.stream = 0;
  frame.channel_count = static_cast<std::uint8_t>(stream_.channels.size());
  for (const auto& s : packet->samples) {
    frame.raw_tick = s.tick;
    for (std::size_t c = 0; c < frame.channel_count; ++c) frame.values[c] = s.values[c];
    ++counters_.frames;
    emit(frame);
  }
}

}  // namespace stridefuse::reference_imu
