#include "stridefuse/core/measurement_gatt_driver.hpp"

#include <stdexcept>
#include <utility>

namespace stridefuse {

MeasurementGattDriver::MeasurementGattDriver(StreamDescriptor stream, MeasurementGattProfile profile)
    : stream_(std::move(stream)), profile_(profile) {
  validate(stream_);
}

void MeasurementGattDriver::decode(const GattNotification& notification, SampleBatch& out) {
  if (notification.characteristic != profile_.measurement_characteristic) {
    ++counters_.malformed;
    return;
  }
  const std::size_t before = out.size();
  if (!decode_measurement(notification.payload, out)) {
    out.truncate(before);
    ++counters_.malformed;
    return;
  }
  counters_.frames += out.size() - before;
}

}  // namespace stridefuse
