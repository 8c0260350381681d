// The open reference IMU (PAYLOAD.md), a BLE sensor reached through a bridge.
#include "driver_folder.hpp"
#include "reference_imu/reference_imu_driver.hpp"

STRIDEFUSE_DRIVER_FOLDER(reference_imu) {
  using namespace stridefuse;
  registry.add_gatt("reference-imu", {{}, {reference_imu::name_prefix}, {reference_imu::service_uuid}},
                    reference_imu::ReferenceImuDriver::from_advert);
  registry.add_example_device("reference-imu", {"emu:bridge?sensors=pelvis_imu&standing_s=30"});
}
