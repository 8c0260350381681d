#include "simulated/simulated_runner_link.hpp"

#include <gtest/gtest.h>

#include <map>

namespace stridefuse::simulated {
namespace {

// Drains the transport through the driver for `wall_s` seconds of host time.
struct Drained {
  std::vector<Sample> frames;
  DecodeCounters counters;
};

Drained drain(SimulatedRunnerDevice& device, double wall_s) {
  Drained d;
  std::array<std::uint8_t, 512> buffer{};  // small: packets are split across reads
  SampleBatch batch;
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(wall_s);
  while (std::chrono::steady_clock::now() < end) {
    const auto n = device.transport->read(buffer, std::chrono::milliseconds(10));
    device.driver->decode({buffer.data(), n}, batch);
  }
  d.frames.assign(batch.begin(), batch.end());
  d.counters = device.driver->counters();
  return d;
}

TEST(SimulatedRunnerLink, DeliversEveryStreamThroughTheDriverWithRawWrappingTicks) {
  sim::RunnerConfig config;
  config.insoles.left_clock.offset_s = 65.0;  // a 16-bit 1 kHz counter wraps at 65.536 s
  auto device = open_simulated_runner(config, 20.0);
  const auto streams = device.driver->streams();
  ASSERT_EQ(streams.size(), 3u);
  EXPECT_EQ(streams[0].location, BodyLocation::pelvis);
  // Under a time scale the declared rates are what the host sees.
  EXPECT_DOUBLE_EQ(streams[0].nominal_rate_hz, config.pelvis.rate_hz * 20.0);
  EXPECT_DOUBLE_EQ(streams[1].tick_rate_hz, config.insoles.left_clock.tick_rate_hz * 20.0);

  const auto d = drain(device, 0.5);  // ~10 s of simulated time
  std::map<std::uint16_t, std::size_t> per_stream;
  bool left_wrapped = false;
  std::uint64_t previous_left = 0;
  for (const auto& f : d.frames) {
    ++per_stream[f.stream];
    EXPECT_EQ(f.channel_count, streams[f.stream].channels.size());
    if (f.stream == 1) {
      EXPECT_LT(f.device_tick, 1u << 16);
      left_wrapped = left_wrapped || f.device_tick < previous_left;
      previous_left = f.device_tick;
    }
  }
  EXPECT_TRUE(left_wrapped);
  EXPECT_GT(per_stream[0], 1500u);  // 200 Hz pelvis
  EXPECT_GT(per_stream[1], 700u);   // 100 Hz insoles
  EXPECT_GT(per_stream[2], 700u);
  EXPECT_EQ(d.counters.malformed, 0u);
  EXPECT_EQ(d.counters.bytes_skipped, 0u);
}

TEST(SimulatedRunnerLink, LostConnectionEventsShowAsSequenceGaps) {
  sim::RunnerConfig config;
  config.pelvis.clock.packet_loss = 0.05;
  config.insoles.left_clock.packet_loss = 0.05;
  auto device = open_simulated_runner(config, 20.0);
  const auto d = drain(device, 0.5);
  EXPECT_GT(d.counters.sequence_gaps, 5u);
  EXPECT_EQ(d.counters.malformed, 0u);
}

TEST(SimulatedRunnerLink, RejectsAnImpossibleTimeScale) {
  EXPECT_THROW(open_simulated_runner(sim::RunnerConfig{}, 0.0), std::invalid_argument);
  EXPECT_THROW(open_simulated_runner(sim::RunnerConfig{}, -1.0), std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse::simulated
