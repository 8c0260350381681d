// The built-in drivers: a new device family is one folder under drivers/ and
// one line here.
#include "builtin_drivers.hpp"

#include "bridge/open_bridge.hpp"
#include "reference_imu/reference_imu_driver.hpp"
#include "reference_insole/reference_insole_driver.hpp"
#include "rsc_speed/rsc_speed_driver.hpp"

namespace stridefuse {

void register_builtin_drivers(DriverRegistry& registry) {
  registry.add_opener("bridge", {{bridge::reference_usb_id}, {}, {}},
                      [](Transport& t, const DriverRegistry& r) { return bridge::open_bridge(t, r); });
  registry.add_gatt("reference-insole", {{}, {"SFI-"}, {reference_insole::service_uuid}},
                    reference_insole::ReferenceInsoleDriver::from_advert);
  registry.add_gatt("reference-imu", {{}, {reference_imu::name_prefix}, {reference_imu::service_uuid}},
                    reference_imu::ReferenceImuDriver::from_advert);
  registry.add_gatt("rsc-speed", {{}, {}, {rsc::service_uuid}}, rsc::RscSpeedDriver::from_advert);
}

}  // namespace stridefuse
