// One host-bridge link from opening to streaming: the host numbers every frame
// it sends +1 (PROTOCOL.md), whichever part of it sends the frame, and the
// link's counters cover every byte the bridge sent, also those before the
// first frame.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "bridge/emulator/bridge_emulator.hpp"
#include "bridge/emulator/emulated_bridge_transport.hpp"
#include "bridge/emulator/runner_sensors.hpp"
#include "bridge/open_bridge.hpp"
#include "stridefuse/core/driver_registry.hpp"
#include "stridefuse/drivers/builtin_drivers.hpp"

namespace {

using namespace stridefuse;
using namespace stridefuse::bridge;

// The emulated bridge, with every byte the host writes kept and `garbage`
// delivered before the bridge's first byte.
class TappedBridge final : public Transport {
 public:
  explicit TappedBridge(std::vector<std::uint8_t> garbage)
      : bridge_(BridgeEmulator(std::make_unique<RunnerSensors>(sim::RunnerConfig{})), 20.0),
        garbage_(std::move(garbage)) {}

  std::string describe() const override { return "tapped emulated bridge"; }
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override {
    if (!garbage_.empty()) {
      const std::size_t n = std::min(buffer.size(), garbage_.size());
      std::copy_n(garbage_.begin(), n, buffer.begin());
      garbage_.erase(garbage_.begin(), garbage_.begin() + static_cast<std::ptrdiff_t>(n));
      return n;
    }
    return bridge_.read(buffer, timeout);
  }
  void write(std::span<const std::uint8_t> bytes) override {
    written_.insert(written_.end(), bytes.begin(), bytes.end());
    bridge_.write(bytes);
  }

  std::vector<BridgeFrame> host_frames() const {
    std::vector<BridgeFrame> out;
    FrameDecoder decoder;
    decoder.feed(written_, [&](const BridgeFrame& f) { out.push_back(f); });
    return out;
  }

 private:
  EmulatedBridgeTransport bridge_;
  std::vector<std::uint8_t> garbage_;
  std::vector<std::uint8_t> written_;
};

std::unique_ptr<BridgeDriver> open(TappedBridge& transport) {
  DriverRegistry registry;
  register_builtin_drivers(registry);
  return open_bridge(transport, registry, {std::chrono::milliseconds(20), std::chrono::milliseconds(1000), {}});
}

TEST(BridgeLink, TheHostNumbersEveryFrameItSendsOnTheLinkOnePastTheLast) {
  TappedBridge transport({});
  auto driver = open(transport);
  driver->start(transport);
  driver->stop(transport);
  const auto frames = transport.host_frames();
  // HELLO, SCAN, a CONNECT per sensor, then per sensor SUBSCRIBE and start WRITE, then stop WRITE and unsubscribe.
  ASSERT_GT(frames.size(), 6u);
  EXPECT_EQ(frames[0].type, MessageType::hello);
  EXPECT_EQ(frames[1].type, MessageType::scan);
  const auto first_subscribe = std::find_if(frames.begin(), frames.end(),
                                            [](const BridgeFrame& f) { return f.type == MessageType::subscribe; });
  ASSERT_NE(first_subscribe, frames.end());
  EXPECT_EQ(std::prev(first_subscribe)->type, MessageType::connect);
  for (std::size_t i = 0; i < frames.size(); ++i)
    EXPECT_EQ(frames[i].sequence, static_cast<std::uint8_t>(i))
        << "frame " << i << " (type 0x" << std::hex << static_cast<int>(frames[i].type) << ")";
}

TEST(BridgeLink, BytesBeforeTheFirstFrameAreCountedAsSkipped) {
  // Noise a serial line gives when the bridge powers up: no sync word in it.
  const std::vector<std::uint8_t> garbage{0x00, 0xFF, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0x00, 0x53, 0x00};
  TappedBridge transport(garbage);
  const auto driver = open(transport);
  EXPECT_EQ(driver->counters().bytes_skipped, garbage.size());

  TappedBridge clean({});
  EXPECT_EQ(open(clean)->counters().bytes_skipped, 0u);
}

}  // namespace
