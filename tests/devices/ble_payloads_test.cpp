// The BLE payloads of the reference insole and IMU (their PAYLOAD.md) and the
// SIG Running Speed and Cadence measurement.

#include <gtest/gtest.h>

#include "reference_imu/reference_imu_payload.hpp"
#include "reference_insole/reference_insole_payload.hpp"
#include "rsc_speed/rsc_measurement.hpp"

namespace {

using namespace stridefuse;

TEST(ReferenceInsolePayload, RoundTripsAtWireResolution) {
  reference_insole::MeasurementPacket p;
  p.has_imu = true;
  for (int i = 0; i < 3; ++i) {
    reference_insole::InsoleSample s;
    s.tick = static_cast<std::uint16_t>(65530 + i * 5);  // wraps
    for (std::size_t c = 0; c < reference_insole::site_count; ++c) s.pressure_kpa[c] = 12.34 * (c + 1) + i;
    s.imu = {1.0, -9.81, 3.3, 0.5, -0.25, 4.0};
    p.samples.push_back(s);
  }
  const auto bytes = reference_insole::encode(p);
  EXPECT_EQ(bytes.size(), 3u + 3u * (2 + 24 + 12));
  const auto q = reference_insole::decode(bytes);
  ASSERT_TRUE(q);
  ASSERT_EQ(q->samples.size(), 3u);
  EXPECT_TRUE(q->has_imu);
  EXPECT_EQ(q->samples[2].tick, static_cast<std::uint16_t>(65540));
  for (std::size_t c = 0; c < reference_insole::site_count; ++c)
    EXPECT_NEAR(q->samples[1].pressure_kpa[c], p.samples[1].pressure_kpa[c], 0.05 + 1e-9);
  for (std::size_t c = 0; c < 3; ++c) EXPECT_NEAR(q->samples[0].imu[c], p.samples[0].imu[c], 0.0025);
  for (std::size_t c = 3; c < 6; ++c) EXPECT_NEAR(q->samples[0].imu[c], p.samples[0].imu[c], 0.00054);
}

TEST(ReferenceInsolePayload, ClampsAndRejects) {
  reference_insole::MeasurementPacket p;
  p.samples.resize(1);
  p.samples[0].pressure_kpa[0] = -5.0;
  p.samples[0].pressure_kpa[1] = 1e9;
  const auto q = reference_insole::decode(reference_insole::encode(p));
  ASSERT_TRUE(q);
  EXPECT_EQ(q->samples[0].pressure_kpa[0], 0.0);
  EXPECT_NEAR(q->samples[0].pressure_kpa[1], 6553.5, 1e-9);

  p.samples.resize(reference_insole::max_samples(false) + 1);
  EXPECT_THROW(reference_insole::encode(p), std::invalid_argument);
  p.samples.clear();
  EXPECT_THROW(reference_insole::encode(p), std::invalid_argument);

  p.samples.resize(2);
  auto bytes = reference_insole::encode(p);
  EXPECT_FALSE(reference_insole::decode(std::span(bytes).first(bytes.size() - 1))) << "truncated";
  bytes[0] = 2;
  EXPECT_FALSE(reference_insole::decode(bytes)) << "unknown version";
  bytes[0] = 1;
  bytes[2] = 3;
  EXPECT_FALSE(reference_insole::decode(bytes)) << "count disagrees with length";
  EXPECT_FALSE(reference_insole::decode({}));
}

TEST(ReferenceInsolePayload, NameAndLayout) {
  const auto id = reference_insole::parse_advertised_name("SFI-R-270");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->side, Side::right);
  EXPECT_EQ(id->length_mm, 270.0);
  EXPECT_EQ(reference_insole::advertised_name(*id), "SFI-R-270");
  for (const char* bad : {"SFI-X-270", "SFI-L-100", "SFI-L-27a", "SFI-L-", "SFP-IMU", "SFI-L-2700"})
    EXPECT_FALSE(reference_insole::parse_advertised_name(bad)) << bad;
  const auto s = reference_insole::stream(*id, false);
  EXPECT_NO_THROW(validate(s));
  ASSERT_EQ(s.insole->sensors.size(), 12u);
  EXPECT_NEAR(s.insole->sensors[0].x_mm, 0.08 * 270, 1e-9);
  EXPECT_EQ(s.id, "right_insole");
  double area = 0;
  for (const auto& site : s.insole->sensors) area += site.area_mm2;
  EXPECT_GT(area, 0.15 * 270 * 270) << "sites cover a sole-sized area";
  EXPECT_LT(area, 0.30 * 270 * 270);
}

TEST(ReferenceImuPayload, RoundTripsWithAndWithoutMagnetometer) {
  for (bool mag : {false, true}) {
    reference_imu::MeasurementPacket p;
    p.has_magnetometer = mag;
    for (int i = 0; i < 4; ++i) {
      reference_imu::ImuSample s;
      s.tick = 0xFFFFFF00u + static_cast<std::uint32_t>(i) * 5000u;
      s.values = {0.1 * i, 9.7, -1.0, 0.01, -2.0, 3.0, 25.0, -40.0, 12.3};
      p.samples.push_back(s);
    }
    const auto q = reference_imu::decode(reference_imu::encode(p));
    ASSERT_TRUE(q);
    EXPECT_EQ(q->has_magnetometer, mag);
    EXPECT_EQ(q->samples[3].tick, p.samples[3].tick);
    EXPECT_NEAR(q->samples[2].values[1], 9.7, 0.0025);
    EXPECT_NEAR(q->samples[2].values[4], -2.0, 0.00054);
    if (mag) {
      EXPECT_NEAR(q->samples[2].values[8], 12.3, 0.05 + 1e-9);
    }
  }
  EXPECT_EQ(reference_imu::max_samples(false), 15u);
}

TEST(ReferenceImuPayload, SaturatesAtFullScaleAndRejectsMalformed) {
  reference_imu::MeasurementPacket p;
  p.samples.resize(1);
  p.samples[0].values[0] = 1000.0;  // beyond +-16 g
  const auto q = reference_imu::decode(reference_imu::encode(p));
  ASSERT_TRUE(q);
  EXPECT_NEAR(q->samples[0].values[0], 32767 * reference_imu::accel_lsb_mps2, 1e-9);
  auto bytes = reference_imu::encode(p);
  bytes[1] = 0x80;  // undefined flag
  EXPECT_FALSE(reference_imu::decode(bytes));
}

TEST(RscMeasurement, DecodesThePublishedLayout) {
  // flags 0x07 (stride length, total distance, running), speed 3.5 m/s = 896/256,
  // cadence 85/min, stride 1.23 m = 123, distance 1234.5 m = 12345.
  const std::vector<std::uint8_t> value{0x07, 0x80, 0x03, 85, 123, 0, 0x39, 0x30, 0, 0};
  const auto m = rsc::decode(value);
  ASSERT_TRUE(m);
  EXPECT_DOUBLE_EQ(m->speed_mps, 3.5);
  EXPECT_EQ(m->cadence_per_min, 85u);
  EXPECT_TRUE(m->running);
  EXPECT_DOUBLE_EQ(*m->stride_length_m, 1.23);
  EXPECT_DOUBLE_EQ(*m->total_distance_m, 1234.5);
}

TEST(RscMeasurement, OptionalFieldsFollowTheFlags) {
  const auto minimal = rsc::decode(std::vector<std::uint8_t>{0x00, 0x00, 0x02, 80});
  ASSERT_TRUE(minimal);
  EXPECT_DOUBLE_EQ(minimal->speed_mps, 2.0);
  EXPECT_FALSE(minimal->running);
  EXPECT_FALSE(minimal->stride_length_m);
  EXPECT_FALSE(minimal->total_distance_m);
  EXPECT_TRUE(rsc::decode(std::vector<std::uint8_t>{0xF8, 0x00, 0x02, 80})) << "reserved flag bits are ignored";
  EXPECT_FALSE(rsc::decode(std::vector<std::uint8_t>{0x01, 0x00, 0x02, 80})) << "stride length flagged, missing";
  EXPECT_FALSE(rsc::decode(std::vector<std::uint8_t>{0x00, 0x00, 0x02, 80, 1})) << "trailing byte";
  EXPECT_FALSE(rsc::decode({}));
  rsc::RscMeasurement m;
  m.speed_mps = 4.25;
  m.total_distance_m = 10.0;
  const auto back = rsc::decode(rsc::encode(m));
  ASSERT_TRUE(back);
  EXPECT_DOUBLE_EQ(back->speed_mps, 4.25);
  EXPECT_DOUBLE_EQ(*back->total_distance_m, 10.0);
  m.speed_mps = -1;
  EXPECT_THROW(rsc::encode(m), std::invalid_argument);
}

}  // namespace
