#include "stridefuse/core/measurement_gatt_driver.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace stridefuse {

MeasurementGattDriver::MeasurementGattDriver(StreamDescriptor stream, MeasurementGattProfile profile)
    : stream_(std::move(stream)), profile_(profile) {
  validate(stream_);
}

void MeasurementGattDriver::decode(const GattNotification& notification, const Driver::FrameCallback& emit) {
  if (notification.characteristic != profile_.measurement_characteristic) {
    ++counters_.malformed;
    return;
  }
  Frame frame;
  frame.stream = 0;
  frame.channel_count = static_cast<std::uint8_t>(stream_.channels.size());
  const bool ok = decode_measurement(notification.payload, [&](std::uint64_t raw_tick, std::span<const double> values) {
    if (values.size() != frame.channel_count)
      throw std::logic_error(name() + " emitted " + std::to_string(values.size()) + " values for a stream of " +
                             std::to_string(frame.channel_count) + " channels");
    frame.raw_tick = raw_tick;
    std::copy(values.begin(), values.end(), frame.values.begin());
    ++counters_.frames;
    emit(frame);
  });
  if (!ok) ++counters_.malformed;
}

}  // namespace stridefuse
