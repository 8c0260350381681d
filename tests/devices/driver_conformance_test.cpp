// The driver conformance suite: every registered driver, on the example
// device its folder declares (DriverRegistry::add_example_device, usually an
// emulated device), must declare consistent streams, deliver samples at the
// declared rates with ticks that fit the declared counter, stop and restart on
// request, count garbage instead of failing, and survive its device
// disappearing. A new driver joins by registering its example device in its
// own folder (drivers/WRITING_A_DRIVER.md): the cases come from the registry.

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "stridefuse/runtime/devices.hpp"

namespace {

using namespace stridefuse;
using namespace std::chrono_literals;

/// A transport the test can pull out from under the driver, as an unplugged device.
class Unpluggable final : public Transport {
 public:
  explicit Unpluggable(std::unique_ptr<Transport> inner) : inner_(std::move(inner)) {}
  std::string describe() const override { return inner_->describe(); }
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override {
    if (gone_) throw TransportError(describe() + " was unplugged");
    return inner_->read(buffer, timeout);
  }
  void write(std::span<const std::uint8_t> bytes) override {
    if (gone_) throw TransportError(describe() + " was unplugged");
    inner_->write(bytes);
  }
  void unplug() { gone_ = true; }

 private:
  std::unique_ptr<Transport> inner_;
  std::atomic<bool> gone_{false};
};

/// A driver on its example device.
struct Rig {
  std::unique_ptr<Transport> transport;
  std::unique_ptr<Driver> driver;
  std::function<void()> unplug;  ///< makes the device disappear
  bool stop_supported = true;    ///< false for devices that stream without being asked
};

Rig open_example(const std::string& name) {
  const auto& registry = builtin_driver_registry();
  const auto* example = registry.example_device(name);
  if (!example) throw std::runtime_error("driver '" + name + "' declares no example device to test it on");
  Rig rig;
  OpenedDevice opened = open_device(example->uri, registry, "", [&](std::unique_ptr<Transport> t, const RecordedDevice&) {
    auto unpluggable = std::make_unique<Unpluggable>(std::move(t));
    rig.unplug = [u = unpluggable.get()] { u->unplug(); };
    return unpluggable;
  });
  rig.transport = std::move(opened.transport);
  rig.driver = std::move(opened.driver);
  rig.stop_supported = !example->streams_unasked;
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

class DriverConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(DriverConformance, DeclaresConsistentStreams) {
  Rig rig = open_example(GetParam());
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
  Rig rig = open_example(GetParam());
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
  Rig rig = open_example(GetParam());
  if (!rig.stop_supported) GTEST_SKIP() << GetParam() << " streams on its own; it takes no start/stop";
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
  Rig rig = open_example(GetParam());
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
  Rig rig = open_example(GetParam());
  if (!rig.unplug) GTEST_SKIP() << GetParam() << " has no device to unplug";
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

TEST(DriverConformanceCases, EveryRegisteredDriverHasAnExampleDeviceThatMakesItDecode) {
  const auto& registry = builtin_driver_registry();
  for (const auto& name : registry.names()) {
    const auto* example = registry.example_device(name);
    ASSERT_NE(example, nullptr) << "driver '" << name << "' declares no example device: the conformance suite cannot test it";
    EXPECT_NO_THROW(check_device_uri(example->uri)) << name;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryRegisteredDriver, DriverConformance,
                         ::testing::ValuesIn(builtin_driver_registry().names()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
