// What a bridge's counters say: each sensor's samples and losses on its own
// streams, the link's own losses once each, and nothing accepted on a handle
// the bridge said was disconnected.

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "bridge/bridge_driver.hpp"
#include "reference_imu/reference_imu_driver.hpp"
#include "reference_insole/reference_insole_driver.hpp"
#include "rsc_speed/rsc_speed_driver.hpp"

namespace {

using namespace stridefuse;
using namespace stridefuse::bridge;

constexpr std::uint8_t imu_handle = 1, insole_handle = 2, footpod_handle = 3;

std::unique_ptr<BridgeDriver> bridge() {
  std::vector<ConnectedSensor> sensors;
  sensors.push_back({imu_handle, {"C0:FF:EE:00:00:01", "SFP-IMU", -50, {}},
                     std::make_unique<reference_imu::ReferenceImuDriver>(false)});
  sensors.push_back({insole_handle, {"C0:FF:EE:00:00:02", "SFI-L-265", -60, {}},
                     std::make_unique<reference_insole::ReferenceInsoleDriver>(
                         reference_insole::InsoleIdentity{Side::left, 265}, false)});
  sensors.push_back({footpod_handle, {"C0:FF:EE:00:00:03", "RSC", -70, {}}, std::make_unique<rsc::RscSpeedDriver>()});
  return std::make_unique<BridgeDriver>(BridgeInfo{}, std::move(sensors));
}

struct Link {
  FrameWriter writer;  // the bridge's numbering
  std::vector<std::uint8_t> bytes;

  std::size_t notify(std::uint8_t handle, std::uint16_t characteristic, std::vector<std::uint8_t> value) {
    const std::size_t at = bytes.size();
    writer.append(MessageType::notification, Notification{handle, characteristic, tick++, std::move(value)}.encode(),
                  bytes);
    return at;
  }
  std::size_t imu(int samples) {
    reference_imu::MeasurementPacket p;
    p.samples.resize(static_cast<std::size_t>(samples));
    for (auto& s : p.samples) s.tick = imu_tick += 5000;
    return notify(imu_handle, reference_imu::measurement_characteristic, reference_imu::encode(p));
  }
  std::size_t insole(int samples) {
    reference_insole::MeasurementPacket p;
    p.samples.resize(static_cast<std::size_t>(samples));
    for (auto& s : p.samples) s.tick = insole_tick = static_cast<std::uint16_t>(insole_tick + 10);
    return notify(insole_handle, reference_insole::measurement_characteristic, reference_insole::encode(p));
  }
  std::size_t footpod() { return notify(footpod_handle, 0x2A53, {0x00, 0x80, 0x03, 0xB4}); }  // 3.5 m/s, 180/min

  std::uint32_t tick = 100;
  std::uint32_t imu_tick = 0;
  std::uint16_t insole_tick = 0;
};

std::vector<DecodeCounters> per_stream(const BridgeDriver& d) {
  std::vector<DecodeCounters> out(d.streams().size());
  d.stream_counters(out);
  return out;
}

TEST(BridgeCounters, EachStreamCountsItsOwnSamplesAndLosses) {
  auto driver = bridge();
  Link link;
  for (int i = 0; i < 10; ++i) link.imu(4);
  for (int i = 0; i < 5; ++i) link.insole(3);
  link.footpod();
  link.notify(insole_handle, reference_insole::measurement_characteristic, {0x01, 0x00, 0x05});  // malformed
  SampleBatch out;
  driver->decode(link.bytes, out);

  const auto streams = per_stream(*driver);
  ASSERT_EQ(streams.size(), 3u);  // pelvis_imu, left_insole, speed
  EXPECT_EQ(streams[0].frames, 40u);
  EXPECT_EQ(streams[0].malformed, 0u);
  EXPECT_EQ(streams[1].frames, 15u);
  EXPECT_EQ(streams[1].malformed, 1u);
  EXPECT_EQ(streams[2].frames, 1u);
  EXPECT_EQ(streams[2].malformed, 0u);
  const auto total = driver->counters();
  EXPECT_EQ(total.frames, 56u);
  EXPECT_EQ(total.malformed, 1u);
}

TEST(BridgeCounters, ACorruptFrameIsOneMalformedFrameOfTheLinkAndNoLoss) {
  auto driver = bridge();
  Link link;
  link.imu(2);
  const std::size_t damaged = link.imu(2);
  link.imu(2);
  link.bytes[damaged + 10] ^= 0x20;  // inside the body: the CRC fails
  SampleBatch out;
  driver->decode(link.bytes, out);
  const auto total = driver->counters();
  EXPECT_EQ(total.frames, 4u);
  EXPECT_EQ(total.malformed, 1u);
  EXPECT_EQ(total.sequence_gaps, 0u) << "the damaged frame is not also lost";
  // Whose frame it was cannot be known: it is the link's, on no stream.
  for (const auto& s : per_stream(*driver)) EXPECT_EQ(s.malformed + s.sequence_gaps, 0u);
}

TEST(BridgeCounters, NotificationsOnAHandleTheBridgeSaidWasDisconnectedAreRefusedAndCounted) {
  auto driver = bridge();
  Link link;
  link.insole(3);
  link.writer.append(MessageType::disconnected, Disconnected{insole_handle, DisconnectReason::link_lost}.encode(),
                     link.bytes);
  link.insole(3);
  link.insole(3);
  link.imu(2);  // the other sensors are unaffected
  SampleBatch out;
  driver->decode(link.bytes, out);
  EXPECT_EQ(out.size(), 5u) << "3 insole samples before the disconnection, 2 IMU samples";
  const auto streams = per_stream(*driver);
  EXPECT_EQ(streams[1].frames, 3u);
  EXPECT_EQ(streams[1].malformed, 2u) << "two refused notifications";
  EXPECT_EQ(streams[0].frames, 2u);
  EXPECT_EQ(streams[0].malformed, 0u);
  EXPECT_EQ(driver->counters().malformed, 2u);
}

}  // namespace
