#include <gtest/gtest.h>

#include <random>

#include "simulated/sensor_packet.hpp"
#include "simulated/sensor_packet_driver.hpp"

namespace stridefuse::simulated {
namespace {

StreamDescriptor imu_stream() {
  StreamDescriptor s;
  s.id = "pelvis";
  s.kind = StreamKind::imu;
  s.location = BodyLocation::pelvis;
  s.nominal_rate_hz = 200;
  s.channels = imu_channels(false);
  s.tick_rate_hz = 32768;
  s.tick_bits = 32;
  return s;
}

SensorPacket packet(std::uint16_t sequence, std::uint32_t first_tick, std::size_t samples) {
  SensorPacket p;
  p.stream = 0;
  p.sequence = sequence;
  p.channel_count = 6;
  for (std::size_t i = 0; i < samples; ++i) {
    p.ticks.push_back(first_tick + static_cast<std::uint32_t>(i * 164));
    for (int c = 0; c < 6; ++c) p.values.push_back(static_cast<float>(i * 10 + c) * 0.5f);
  }
  return p;
}

std::vector<Sample> decode_all(SensorPacketDriver& d, const std::vector<std::uint8_t>& bytes, std::size_t piece) {
  SampleBatch batch;
  for (std::size_t i = 0; i < bytes.size(); i += piece) {
    const auto n = std::min(piece, bytes.size() - i);
    d.decode({bytes.data() + i, n}, batch);
  }
  return {batch.begin(), batch.end()};
}

TEST(SensorPacket, RoundTripsThroughTheDriverInAnyPieces) {
  std::vector<std::uint8_t> bytes;
  append_frame(packet(0, 1000, 3), bytes);
  append_frame(packet(1, 1492, 2), bytes);
  for (std::size_t piece : {1u, 3u, 7u, 1000u}) {
    SensorPacketDriver d("sim", {imu_stream()});
    const auto frames = decode_all(d, bytes, piece);
    ASSERT_EQ(frames.size(), 5u) << "piece " << piece;
    EXPECT_EQ(frames[1].device_tick, 1164u);
    EXPECT_EQ(frames[1].channel_count, 6);
    EXPECT_FLOAT_EQ(static_cast<float>(frames[1].values[2]), 6.0f);
    EXPECT_EQ(frames[3].device_tick, 1492u);
    EXPECT_EQ(d.counters().malformed, 0u);
    EXPECT_EQ(d.counters().sequence_gaps, 0u);
  }
}

TEST(SensorPacket, CorruptFrameIsCountedAndTheNextOneSurvives) {
  std::vector<std::uint8_t> bytes;
  append_frame(packet(0, 0, 2), bytes);
  const auto first_size = bytes.size();
  append_frame(packet(1, 328, 2), bytes);
  bytes[first_size / 2] ^= 0xFF;  // inside the first payload
  SensorPacketDriver d("sim", {imu_stream()});
  const auto frames = decode_all(d, bytes, bytes.size());
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].device_tick, 328u);
  EXPECT_GE(d.counters().malformed, 1u);
}

TEST(SensorPacket, LostPacketsShowAsSequenceGaps) {
  std::vector<std::uint8_t> bytes;
  append_frame(packet(65534, 0, 1), bytes);
  append_frame(packet(1, 0, 1), bytes);  // 65535 and 0 lost, across the wrap
  SensorPacketDriver d("sim", {imu_stream()});
  decode_all(d, bytes, bytes.size());
  EXPECT_EQ(d.counters().sequence_gaps, 2u);
}

TEST(SensorPacket, UnknownStreamAndWrongChannelCountAreDropped) {
  std::vector<std::uint8_t> bytes;
  auto p = packet(0, 0, 1);
  p.stream = 3;
  append_frame(p, bytes);
  auto q = packet(1, 0, 1);
  q.channel_count = 3;
  q.values.resize(3);
  append_frame(q, bytes);
  SensorPacketDriver d("sim", {imu_stream()});
  EXPECT_TRUE(decode_all(d, bytes, bytes.size()).empty());
  EXPECT_EQ(d.counters().malformed, 2u);
}

TEST(SensorPacket, RandomGarbageNeverCrashesAndValidFramesStillDecode) {
  std::mt19937 rng(7);
  std::vector<std::uint8_t> bytes;
  for (int round = 0; round < 200; ++round) {
    const int junk = static_cast<int>(rng() % 40);
    for (int i = 0; i < junk; ++i) bytes.push_back(static_cast<std::uint8_t>(rng()));
    append_frame(packet(static_cast<std::uint16_t>(round), static_cast<std::uint32_t>(round) * 1000, 1), bytes);
  }
  SensorPacketDriver d("sim", {imu_stream()});
  const auto frames = decode_all(d, bytes, 13);
  // A junk byte run can at worst swallow the frame after it; almost all survive.
  EXPECT_GE(frames.size(), 190u);
  EXPECT_LE(frames.size(), 200u);
}

TEST(SensorPacket, EncoderRejectsWhatTheFormatCannotCarry) {
  std::vector<std::uint8_t> out;
  SensorPacket empty;
  empty.channel_count = 6;
  EXPECT_THROW(append_frame(empty, out), std::invalid_argument);
  auto mismatch = packet(0, 0, 2);
  mismatch.values.pop_back();
  EXPECT_THROW(append_frame(mismatch, out), std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse::simulated
