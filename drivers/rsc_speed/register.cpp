// Footpods of the Bluetooth Running Speed and Cadence service (README.md).
#include "driver_folder.hpp"
#include "rsc_speed/rsc_speed_driver.hpp"

STRIDEFUSE_DRIVER_FOLDER(rsc_speed) {
  using namespace stridefuse;
  registry.add_gatt("rsc-speed", {{}, {}, {rsc::service_uuid}}, rsc::RscSpeedDriver::from_advert);
  registry.add_example_device("rsc-speed",
                              {"emu:bridge?sensors=speed&speed_source=stream&speed_stream_rate_hz=2&standing_s=30"});
}
