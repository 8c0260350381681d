// The driver conformance suite: every driver, on its emulated device, must
// declare consistent streams, deliver frames at the declared rates with ticks
// that fit the declared counter, stop and restart on request, count garbage
// instead of failing, and survive its device disappearing.
//
// A new driver joins by adding a ConformanceCase to the list at the bottom:
// a name and a function that opens its emulated device (see
// drivers/WRITING_A_DRIVER.md).

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <random>

#include "bridge/emulator/pty_bridge.hpp"
#include "bridge/emulator/runner_sensors.hpp"
#include "bridge/open_bridge.hpp"
#include "stridefuse/drivers/builtin_drivers.hpp"
#include "simulated/simulated_runner_link.hpp"
#include "stridefuse/runtime/serial_transport.hpp"

namespace {

using namespace stridefuse;
using namespace std::chrono_literals;

/// A driver on its emulated device.
struct Rig {
  std::unique_ptr<Transport> transport;
  std::unique_ptr<Driver> driver;
  std::function<void()> unplug;  ///< makes the device disappear; empty when it cannot
  bool stop_supported = true;    ///< false for devices that stream without being asked
  std::shared_ptr<void> keep_alive;
};

struct ConformanceCase {
  std::string name;
  std::function<Rig()> open;
};

Rig bridge_rig(std::vector<std::string> only, sim::SpeedSource speed = sim::SpeedSource::treadmill) {
  sim::RunnerConfig runner;
  runner.standing_s = 30.0;  // the conformance suite needs data, not running
  runner.speed_source = speed;
  runner.speed_stream.rate_hz = 2.0;
  auto pty = std::make_shared<std::unique_ptr<bridge::PtyBridge>>(std::make_unique<bridge::PtyBridge>(
      bridge::BridgeEmulator(std::make_unique<bridge::RunnerSensors>(runner))));
  Rig rig;
  rig.transport = std::make_unique<SerialTransport>((*pty)->path());
  DriverRegistry registry;
  register_builtin_drivers(registry);
  bridge::BridgeOpenOptions options;
  options.scan_duration = 150ms;
  options.only_drivers = std::move(only);
  rig.driver = bridge::open_bridge(*rig.transport, registry, options);
  rig.unplug = [pty] { pty->reset(); };
  rig.keep_alive = pty;
  return rig;
}

Rig simulated_rig() {
  sim::RunnerConfig runner;
  runner.standing_s = 30.0;
  auto d = simulated::open_simulated_runner(runner);
  Rig rig;
  rig.transport = std::move(d.transport);
  rig.driver = std::move(d.driver);
  rig.stop_supported = false;
  return rig;
}

struct Collected {
  std::map<std::uint16_t, std::vector<std::uint64_t>> ticks;  // per stream, in arrival order
  std::size_t total() const {
    std::size_t n = 0;
    for (const auto& [s, t] : ticks) n += t.size();
    return n;
  }
};

Collected pump(Rig& rig, std::chrono::milliseconds duration) {
  Collected c;
  std::array<std::uint8_t, 4096> buffer{};
  SampleBatch batch;
  const auto until = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < until) {
    const auto n = rig.transport->read(buffer, 20ms);
    batch.clear();
    rig.driver->decode({buffer.data(), n}, batch);
    for (const Sample& s : batch) c.ticks[s.stream].push_back(s.device_tick);
  }
  return c;
}

class DriverConformance : public ::testing::TestWithParam<ConformanceCase> {};

TEST_P(DriverConformance, DeclaresConsistentStreams) {
  Rig rig = GetParam().open();
  const auto streams = rig.driver->streams();
  ASSERT_FALSE(streams.empty());
  std::set<std::string> ids;
  for (const auto& s : streams) {
    EXPECT_NO_THROW(validate(s)) << s.id;
    EXPECT_TRUE(ids.insert(s.id).second) << "duplicate stream id " << s.id;
    EXPECT_GT(s.tick_rate_hz, 0.0) << s.id;
    EXPECT_GE(s.tick_bits, 8u) << s.id;
  }
  EXPECT_FALSE(rig.driver->name().empty());
}

TEST_P(DriverConformance, FramesComeAtTheDeclaredRatesWithTicksThatFitTheCounter) {
  Rig rig = GetParam().open();
  const auto streams = rig.driver->streams();
  rig.driver->start(*rig.transport);
  pump(rig, 300ms);  // let streaming settle
  const auto c = pump(rig, 1500ms);
  for (std::uint16_t i = 0; i < streams.size(); ++i) {
    const auto& s = streams[i];
    const auto it = c.ticks.find(i);
    ASSERT_NE(it, c.ticks.end()) << s.id << " sent nothing";
    const double expected = s.nominal_rate_hz * 1.5;
    EXPECT_GT(static_cast<double>(it->second.size()), 0.6 * expected - 1) << s.id;
    EXPECT_LT(static_cast<double>(it->second.size()), 1.4 * expected + 2) << s.id;
    const std::uint64_t modulus = s.tick_bits >= 64 ? 0 : (1ull << s.tick_bits);
    for (std::size_t k = 0; k < it->second.size(); ++k) {
      if (modulus) {
        ASSERT_LT(it->second[k], modulus) << s.id;
      }
      if (k == 0 || !modulus) continue;
      // Consecutive ticks advance by about one sample period (mod wrap), never backwards.
      const std::uint64_t step = (it->second[k] - it->second[k - 1]) & (modulus - 1);
      EXPECT_LT(static_cast<double>(step), 3.0 * s.tick_rate_hz / s.nominal_rate_hz * 2 + 1) << s.id << " at " << k;
    }
  }
  rig.driver->stop(*rig.transport);
  EXPECT_EQ(rig.driver->counters().malformed, 0u);
}

TEST_P(DriverConformance, StopsAndRestarts) {
  Rig rig = GetParam().open();
  if (!rig.stop_supported) GTEST_SKIP() << GetParam().name << " streams on its own; it takes no start/stop";
  rig.driver->start(*rig.transport);
  EXPECT_GT(pump(rig, 500ms).total(), 0u);
  rig.driver->stop(*rig.transport);
  pump(rig, 200ms);  // frames already on the way
  EXPECT_EQ(pump(rig, 300ms).total(), 0u) << "frames after stop()";
  rig.driver->start(*rig.transport);
  EXPECT_GT(pump(rig, 500ms).total(), 0u) << "no frames after a restart";
  rig.driver->stop(*rig.transport);
}

TEST_P(DriverConformance, GarbageIsCountedAndDecodingGoesOn) {
  Rig rig = GetParam().open();
  rig.driver->start(*rig.transport);
  pump(rig, 200ms);
  std::mt19937 random(42);
  std::vector<std::uint8_t> garbage(4096);
  for (auto& b : garbage) b = static_cast<std::uint8_t>(random());
  const auto before = rig.driver->counters();
  SampleBatch discarded;
  for (std::size_t i = 0; i < garbage.size(); i += 97)
    rig.driver->decode(std::span(garbage).subspan(i, std::min<std::size_t>(97, garbage.size() - i)),
                       discarded);
  const auto c = pump(rig, 500ms);
  EXPECT_GT(c.total(), 0u) << "decoding stopped after garbage";
  const auto after = rig.driver->counters();
  EXPECT_GT((after.malformed + after.bytes_skipped) - (before.malformed + before.bytes_skipped), 0u);
}

TEST_P(DriverConformance, SurvivesItsDeviceDisappearing) {
  Rig rig = GetParam().open();
  if (!rig.unplug) GTEST_SKIP() << GetParam().name << " has no device to unplug";
  rig.driver->start(*rig.transport);
  pump(rig, 200ms);
  rig.unplug();
  bool reported = false;
  std::array<std::uint8_t, 1024> buffer{};
  SampleBatch discarded;
  for (int i = 0; i < 50 && !reported; ++i) {
    try {
      const auto n = rig.transport->read(buffer, 20ms);
      rig.driver->decode({buffer.data(), n}, discarded);
    } catch (const TransportError&) {
      reported = true;
    }
  }
  EXPECT_TRUE(reported) << "the transport did not report the device gone";
  EXPECT_NO_THROW(rig.driver->stop(*rig.transport));
  EXPECT_NO_THROW(rig.driver->counters());
}

INSTANTIATE_TEST_SUITE_P(
    EveryDriver, DriverConformance,
    ::testing::Values(
        ConformanceCase{"bridge_with_every_reference_sensor", [] { return bridge_rig({}); }},
        ConformanceCase{"reference_insole", [] { return bridge_rig({"reference-insole"}); }},
        ConformanceCase{"reference_imu", [] { return bridge_rig({"reference-imu"}); }},
        ConformanceCase{"rsc_speed", [] { return bridge_rig({"rsc-speed"}, sim::SpeedSource::stream); }},
        ConformanceCase{"simulated_runner", simulated_rig}),
    [](const ::testing::TestParamInfo<ConformanceCase>& param) { return param.param.name; });

}  // namespace
