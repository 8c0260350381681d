// Insole notifications with the IMU fields of drivers/reference_insole/PAYLOAD.md
// (flags bit 0, 38-byte samples), built by hand from the document rather than
// by the encoder, so that the encoder and decoder cannot share a mistake.

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "reference_insole/reference_insole_driver.hpp"
#include "stridefuse/core/units.hpp"

namespace {

using namespace stridefuse;

void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}

// Sample i: tick 0x38EB + 10 i, pressure of site c (10 c + i) kPa, then
// ax = 1 g, ay = -2 g, az = 0.5 g, gx = 100 deg/s, gy = -16.4 counts, gz = 0.
std::vector<std::uint8_t> imu_notification(int samples) {
  std::vector<std::uint8_t> v{0x01, 0x01, static_cast<std::uint8_t>(samples)};
  for (int i = 0; i < samples; ++i) {
    put_u16(v, static_cast<std::uint16_t>(0x38EB + 10 * i));
    for (int c = 0; c < 12; ++c) put_u16(v, static_cast<std::uint16_t>((10 * c + i) * 10));  // 0.1 kPa
    for (const int counts : {2048, -4096, 1024, 1640, -164, 0}) put_u16(v, static_cast<std::uint16_t>(counts));
  }
  return v;
}

DecodeCounters decode(reference_insole::ReferenceInsoleDriver& driver, const std::vector<std::uint8_t>& value,
                      SampleBatch& out) {
  driver.decode(GattNotification{reference_insole::measurement_characteristic, 1234, value}, out);
  return driver.counters();
}

TEST(ReferenceInsoleImu, TheIssuesNotificationIsTheDocumentsLayout) {
  const auto value = imu_notification(3);
  ASSERT_EQ(value.size(), 117u);  // 3 + 3 x 38
  EXPECT_EQ((std::vector<std::uint8_t>(value.begin(), value.begin() + 5)),
            (std::vector<std::uint8_t>{0x01, 0x01, 0x03, 0xEB, 0x38}));
}

TEST(ReferenceInsoleImu, AnInsoleFoundByScanningDecodesThePressuresOfIMUNotifications) {
  // The advertisement does not say whether the insole has an IMU: the driver declares none.
  const auto driver = reference_insole::ReferenceInsoleDriver::from_advert(BleAdvert{"C0:FF:EE:00:00:0A", "SFI-L-265", -60, {}});
  auto& insole = static_cast<reference_insole::ReferenceInsoleDriver&>(*driver);
  ASSERT_EQ(insole.streams()[0].channels.size(), 12u);
  SampleBatch out;
  const auto counters = decode(insole, imu_notification(3), out);
  EXPECT_EQ(counters.malformed, 0u);
  EXPECT_EQ(counters.frames, 3u);
  ASSERT_EQ(out.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(out[i].device_tick, 0x38EBu + 10 * i);
    ASSERT_EQ(out[i].channel_count, 12u);
    for (std::size_t c = 0; c < 12; ++c) EXPECT_NEAR(out[i].values[c], 10.0 * c + i, 1e-9) << i << " " << c;
  }
}

TEST(ReferenceInsoleImu, AnInsoleDeclaredWithItsIMUDeliversTheIMUChannels) {
  reference_insole::ReferenceInsoleDriver insole({Side::right, 270}, true);
  SampleBatch out;
  const auto counters = decode(insole, imu_notification(6), out);  // the most that fit with IMU
  EXPECT_EQ(counters.malformed, 0u);
  ASSERT_EQ(out.size(), 6u);
  const auto& s = out[5];
  ASSERT_EQ(s.channel_count, 18u);
  EXPECT_NEAR(s.values[11], 115.0, 1e-9);
  EXPECT_NEAR(s.values[12], standard_gravity_mps2, 1e-9);
  EXPECT_NEAR(s.values[13], -2.0 * standard_gravity_mps2, 1e-9);
  EXPECT_NEAR(s.values[14], 0.5 * standard_gravity_mps2, 1e-9);
  EXPECT_NEAR(s.values[15], 100.0 * pi / 180.0, 1e-9);
  EXPECT_NEAR(s.values[16], -10.0 * pi / 180.0, 1e-9);
  EXPECT_EQ(s.values[17], 0.0);
}

TEST(ReferenceInsoleImu, MalformedIMUNotificationsAreStillRejected) {
  reference_insole::ReferenceInsoleDriver insole({Side::left, 265}, false);
  SampleBatch out;
  auto value = imu_notification(3);
  value.pop_back();  // the length disagrees with 3 x 38
  EXPECT_EQ(decode(insole, value, out).malformed, 1u);
  value = imu_notification(1);
  value[1] = 0x03;  // an unknown flag bit
  EXPECT_EQ(decode(insole, value, out).malformed, 2u);
  EXPECT_EQ(out.size(), 0u);

  // Declared with an IMU, a pressure-only notification would leave the IMU channels without values.
  reference_insole::ReferenceInsoleDriver with_imu({Side::left, 265}, true);
  std::vector<std::uint8_t> pressure_only{0x01, 0x00, 0x01};
  put_u16(pressure_only, 7);
  for (int c = 0; c < 12; ++c) put_u16(pressure_only, 100);
  EXPECT_EQ(decode(with_imu, pressure_only, out).malformed, 1u);
  EXPECT_EQ(out.size(), 0u);
}

}  // namespace
