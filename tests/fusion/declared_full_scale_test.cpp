// Saturation follows from the full scale a stream declares
// (ChannelDescriptor::full_scale), never from the largest value seen so far:
// a hard landing repeated at 1/2048 g resolution is not the ceiling of a
// +-16 g sensor, a reading at its full scale is.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "stridefuse/core/units.hpp"
#include "stridefuse/fusion/engine.hpp"
#include "stridefuse/fusion/foot_stride_integrator.hpp"

namespace {

using namespace stridefuse;
using namespace stridefuse::fusion;

constexpr double lsb_mps2 = standard_gravity_mps2 / 2048.0;  // a +-16 g accelerometer's i16 count
constexpr double accel_full_scale = 32767 * lsb_mps2;
constexpr double gyro_full_scale = 32767 * (pi / 180.0 / 16.4);  // +-2000 deg/s

StreamDescriptor pelvis_imu(bool declared) {
  StreamDescriptor d;
  d.id = "pelvis_imu";
  d.kind = StreamKind::imu;
  d.location = BodyLocation::pelvis;
  d.nominal_rate_hz = 200.0;
  d.channels = imu_channels(false);
  if (declared) declare_imu_full_scale(d.channels, 0, accel_full_scale, gyro_full_scale);
  d.tick_rate_hz = 1e6;
  return d;
}

// 4 s at 200 Hz of a pelvis IMU at rest but for a vertical swing of up to
// `swing_g` above 1 g at 1 Hz, flattened at its top (95 % of the swing) and
// quantised to 1/2048 g as the sensor sends it, so the largest reading so far
// repeats exactly; the status messages the engine raises.
std::vector<std::string> statuses(bool declared, double swing_g) {
  std::vector<std::string> messages;
  Engine engine({pelvis_imu(declared)}, {}, [&](const Event& e) {
    if (const auto* s = std::get_if<DeviceStatusEvent>(&e)) messages.push_back(s->message);
  });
  for (int i = 0; i < 800; ++i) {
    Sample s;
    s.stream = 0;
    s.t_s = i / 200.0;
    s.channel_count = 6;
    const double az = standard_gravity_mps2 * (1.0 + swing_g * std::min(0.95, std::sin(2.0 * pi * s.t_s)));
    s.values[2] = std::clamp(std::round(az / lsb_mps2), -32768.0, 32767.0) * lsb_mps2;
    engine.push(s);
  }
  engine.finish();
  return messages;
}

bool says_saturated(const std::vector<std::string>& messages) {
  for (const auto& m : messages)
    if (m.find("IMU saturated") != std::string::npos) return true;
  return false;
}

TEST(DeclaredFullScale, ATwoGSwingOnASixteenGPelvisImuIsNotSaturation) {
  EXPECT_FALSE(says_saturated(statuses(true, 1.0)));  // up to 1.95 g, repeated at 1/2048 g
}

TEST(DeclaredFullScale, AReadingAtTheDeclaredFullScaleIsSaturation) {
  EXPECT_TRUE(says_saturated(statuses(true, 20.0)));  // clipped at +-16 g
}

TEST(DeclaredFullScale, WithoutADeclaredFullScaleNothingIsTakenAsSaturated) {
  EXPECT_FALSE(says_saturated(statuses(false, 1.0)));
  EXPECT_FALSE(says_saturated(statuses(false, 20.0)));
}

TEST(DeclaredFullScale, TheFootImuClipsOnlyAtItsFullScale) {
  FootStrideIntegratorConfig config;
  for (std::size_t c = 0; c < 6; ++c) config.full_scale[c] = c < 3 ? accel_full_scale : gyro_full_scale;
  FootStrideIntegrator integrator(config);
  const Eigen::Vector3d two_g(0.0, 0.0, std::round(2.0 * standard_gravity_mps2 / lsb_mps2) * lsb_mps2);
  for (int i = 0; i < 3; ++i) {  // the same 2 g reading, the largest so far, three times
    integrator.update(0.01 * (i + 1), two_g, Eigen::Vector3d::Zero(), std::nullopt);
    EXPECT_EQ(integrator.last_sample_quality(), FootImuSampleQuality::ok) << i;
  }
  integrator.update(0.04, Eigen::Vector3d(0.0, 0.0, -32768 * lsb_mps2), Eigen::Vector3d::Zero(), std::nullopt);
  EXPECT_EQ(integrator.last_sample_quality(), FootImuSampleQuality::saturated);
  integrator.update(0.05, two_g, Eigen::Vector3d(gyro_full_scale, 0.0, 0.0), std::nullopt);
  EXPECT_EQ(integrator.last_sample_quality(), FootImuSampleQuality::saturated);

  config.full_scale[0] = 0.0;
  EXPECT_THROW(FootStrideIntegrator{config}, std::invalid_argument);
}

TEST(DeclaredFullScale, ADescriptorWithANonPositiveFullScaleIsRefused) {
  auto d = pelvis_imu(true);
  d.channels[4].full_scale = -1.0;
  EXPECT_THROW(validate(d), std::invalid_argument);
  d.channels[4].full_scale = std::nullopt;
  EXPECT_NO_THROW(validate(d));
}

}  // namespace
