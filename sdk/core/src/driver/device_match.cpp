#include "stridefuse/core/device_match.hpp"

#include <algorithm>

namespace stridefuse {

bool DeviceMatch::matches(const UsbId& id) const { return std::ranges::find(usb, id) != usb.end(); }

bool DeviceMatch::matches(const BleAdvert& advert) const {
  for (const auto& prefix : ble_name_prefixes)
    if (!prefix.empty() && advert.name.starts_with(prefix)) return true;
  for (const auto uuid : advert.service_uuids)
    if (std::ranges::find(ble_services, uuid) != ble_services.end()) return true;
  return false;
}

}  // namespace stridefuse
