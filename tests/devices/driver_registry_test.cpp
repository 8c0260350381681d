// Registration and matching of drivers, and out-of-tree plugins with their ABI check.

#include <gtest/gtest.h>

#include "stridefuse/drivers/builtin_drivers.hpp"
#include "rsc_speed/rsc_speed_driver.hpp"
#include "stridefuse/core/plugin.hpp"

namespace {

using namespace stridefuse;

TEST(DriverRegistry, BuiltinDriversMatchWhatTheyDeclare) {
  DriverRegistry r;
  register_builtin_drivers(r);
  EXPECT_EQ(r.match(BleAdvert{"C0:5F:00:00:00:02", "SFI-L-265", -60, {}}), "reference-insole");
  EXPECT_EQ(r.match(BleAdvert{"C0:5F:00:00:00:01", "", -60, {0xFF20}}), "reference-imu");
  EXPECT_EQ(r.match(BleAdvert{"C0:5F:00:00:00:04", "Footpod", -60, {0x180D, 0x1814}}), "rsc-speed");
  EXPECT_FALSE(r.match(BleAdvert{"C0:5F:00:00:00:09", "Headphones", -60, {0x110B}}));
  EXPECT_EQ(r.match(UsbId{0x1209, 0x0001}), "bridge");
  EXPECT_FALSE(r.match(UsbId{0x1209, 0x0002}));
  EXPECT_EQ(r.declared_match("bridge").usb.size(), 1u);
  EXPECT_THROW(r.declared_match("nope"), std::out_of_range);
}

TEST(DriverRegistry, RefusesDuplicatesAndEmptyDeclarations) {
  DriverRegistry r;
  register_builtin_drivers(r);
  EXPECT_THROW(r.add_gatt("reference-imu", {{}, {"X"}, {}}, rsc::RscSpeedDriver::from_advert), std::invalid_argument);
  EXPECT_THROW(r.add_gatt("bridge", {{}, {"X"}, {}}, rsc::RscSpeedDriver::from_advert), std::invalid_argument);
  EXPECT_THROW(r.add_gatt("new", {{UsbId{1, 2}}, {}, {}}, rsc::RscSpeedDriver::from_advert), std::invalid_argument)
      << "a BLE driver must say which advertisements it handles";
  EXPECT_THROW(r.add_gatt("", {{}, {"X"}, {}}, rsc::RscSpeedDriver::from_advert), std::invalid_argument);
  EXPECT_THROW(r.create_gatt("nope", {}), std::out_of_range);
  EXPECT_THROW(r.create("bridge"), std::logic_error) << "a bridge cannot be created without its device";
}

TEST(DriverRegistry, GattFactoriesSeeTheAdvertisement) {
  DriverRegistry r;
  register_builtin_drivers(r);
  const auto left = r.create_gatt("reference-insole", BleAdvert{"C0:5F:00:00:00:02", "SFI-L-250", -60, {}});
  EXPECT_EQ(left->streams().at(0).insole->length_mm, 250.0);
  EXPECT_THROW(r.create_gatt("reference-insole", BleAdvert{"C0:5F:00:00:00:02", "SFI-Q-250", -60, {0xFF10}}),
               std::invalid_argument);
}

TEST(DriverPlugin, LoadsAnOutOfTreeDriver) {
  DriverRegistry r;
  register_builtin_drivers(r);
  const auto added = load_driver_plugin(STRIDEFUSE_TEST_PLUGIN, r);
  ASSERT_EQ(added, std::vector<std::string>{"plugin-speed"});
  EXPECT_EQ(r.match(BleAdvert{"C0:00:00:00:00:01", "PLUG-1", -50, {}}), "plugin-speed");
  auto d = r.create_gatt("plugin-speed", {});
  const std::vector<std::uint8_t> payload{42};
  double speed = 0;
  SampleBatch out;
  d->decode(GattNotification{0xFFE1, 7, payload}, out);
  ASSERT_EQ(out.size(), 1u);
  speed = out[0].values[0];
  EXPECT_DOUBLE_EQ(speed, 4.2);
}

TEST(DriverPlugin, RefusesAnotherAbiVersionWithAClearMessage) {
  DriverRegistry r;
  try {
    load_driver_plugin(STRIDEFUSE_TEST_PLUGIN_OLD_ABI, r);
    FAIL() << "an old-ABI plugin was accepted";
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("ABI version 0"), std::string::npos) << m;
    EXPECT_NE(m.find("version " + std::to_string(driver_plugin_abi_version)), std::string::npos) << m;
    EXPECT_NE(m.find("rebuild"), std::string::npos) << m;
  }
  EXPECT_TRUE(r.names().empty());
}

TEST(DriverPlugin, MissingFilesAndNonPluginsAreNamed) {
  DriverRegistry r;
  try {
    load_driver_plugin("/nonexistent/plugin.so", r);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/plugin.so"), std::string::npos);
  }
  EXPECT_THROW(load_driver_plugin("libm.so.6", r), std::runtime_error) << "a library without the entry points";
}

}  // namespace
