// The open reference insole (PAYLOAD.md), a BLE sensor reached through a bridge.
#include "driver_folder.hpp"
#include "reference_insole/reference_insole_driver.hpp"

STRIDEFUSE_DRIVER_FOLDER(reference_insole) {
  using namespace stridefuse;
  registry.add_gatt("reference-insole", {{}, {"SFI-"}, {reference_insole::service_uuid}},
                    reference_insole::ReferenceInsoleDriver::from_advert);
  registry.add_example_device("reference-insole", {"emu:bridge?sensors=left_insole,right_insole&standing_s=30"});
}
