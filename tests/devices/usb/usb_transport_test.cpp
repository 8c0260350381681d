// The libusb transport against a USB device emulated by umockdev: data both
// ways, read timeouts, a write timeout, a stalled endpoint, unplug mid-stream
// and replug. Then the bridge emulator behind the emulated USB device, through
// a live session to steps.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "bridge/emulator/bridge_emulator.hpp"
#include "bridge/emulator/runner_sensors.hpp"
#include "bridge/open_bridge.hpp"
#include "stridefuse/drivers/builtin_drivers.hpp"
#include "emulated_usb_device.hpp"
#include "stridefuse/runtime/devices.hpp"
#include "stridefuse/runtime/session.hpp"
#include "stridefuse/runtime/usb_transport.hpp"

namespace {

using namespace stridefuse;
using stridefuse::testing::DeviceSide;
using stridefuse::testing::EmulatedUsbDevice;

constexpr UsbId test_id{0x1209, 0x0001};

// An echo device: what the host writes comes back, in order.
struct Echo {
  std::mutex mutex;
  std::vector<std::uint8_t> queued;
  DeviceSide side() {
    return {[this](std::span<const std::uint8_t> b) {
              std::lock_guard lock(mutex);
              queued.insert(queued.end(), b.begin(), b.end());
            },
            [this] {
              std::lock_guard lock(mutex);
              std::vector<std::uint8_t> out;
              out.swap(queued);
              return out;
            }};
  }
};

std::vector<std::uint8_t> read_for(Transport& t, std::size_t n, std::chrono::milliseconds limit) {
  std::vector<std::uint8_t> out;
  std::array<std::uint8_t, 512> buf{};
  const auto until = std::chrono::steady_clock::now() + limit;
  while (out.size() < n && std::chrono::steady_clock::now() < until) {
    const auto got = t.read(buf, std::chrono::milliseconds(20));
    out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(got));
  }
  return out;
}

TEST(UsbTransport, EchoesAndTimesOut) {
  Echo echo;
  EmulatedUsbDevice device(test_id.vendor_id, test_id.product_id, echo.side());
  UsbTransport usb(UsbTransportConfig{test_id});
  EXPECT_NE(usb.describe().find("usb:1209:0001"), std::string::npos) << usb.describe();
  std::vector<std::uint8_t> data(300);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i);
  usb.write(data);
  EXPECT_EQ(read_for(usb, data.size(), std::chrono::seconds(3)), data);
  std::array<std::uint8_t, 64> buf{};
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(usb.read(buf, std::chrono::milliseconds(50)), 0u);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(45));
  EXPECT_GT(usb.counters().transfers, 0u);
}

TEST(UsbTransport, AWriteTheDeviceNeverTakesTimesOut) {
  Echo echo;
  EmulatedUsbDevice device(test_id.vendor_id, test_id.product_id, echo.side());
  UsbTransportConfig config{test_id};
  config.write_timeout = std::chrono::milliseconds(100);
  UsbTransport usb(config);
  device.block_out(true);
  try {
    usb.write(std::vector<std::uint8_t>{1, 2, 3});
    FAIL() << "write did not time out";
  } catch (const TransportError& e) {
    EXPECT_NE(std::string(e.what()).find("timed out"), std::string::npos) << e.what();
  }
  device.block_out(false);
  usb.write(std::vector<std::uint8_t>{4, 5});
  EXPECT_EQ(read_for(usb, 2, std::chrono::seconds(3)), (std::vector<std::uint8_t>{4, 5}));
}

TEST(UsbTransport, AStalledEndpointIsClearedAndDataKeepsFlowing) {
  Echo echo;
  EmulatedUsbDevice device(test_id.vendor_id, test_id.product_id, echo.side());
  UsbTransport usb(UsbTransportConfig{test_id});
  device.stall_next_in();
  usb.write(std::vector<std::uint8_t>{7, 8, 9});
  EXPECT_EQ(read_for(usb, 3, std::chrono::seconds(3)), (std::vector<std::uint8_t>{7, 8, 9}));
  EXPECT_EQ(usb.counters().stalls, 1u);
}

TEST(UsbTransport, UnplugMidStreamThenReplugReconnects) {
  Echo echo;
  EmulatedUsbDevice device(test_id.vendor_id, test_id.product_id, echo.side());
  UsbTransportConfig config{test_id};
  config.reconnect_interval = std::chrono::milliseconds(20);
  UsbTransport usb(config);
  usb.write(std::vector<std::uint8_t>{1});
  EXPECT_EQ(read_for(usb, 1, std::chrono::seconds(3)).size(), 1u);
  device.unplug();
  std::array<std::uint8_t, 64> buf{};
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) {
    try {
      usb.read(buf, std::chrono::milliseconds(20));
    } catch (const TransportError& e) {
      gone = true;
      EXPECT_NE(std::string(e.what()).find("gone"), std::string::npos) << e.what();
    }
  }
  ASSERT_TRUE(gone) << "unplug was not noticed";
  EXPECT_EQ(usb.read(buf, std::chrono::milliseconds(50)), 0u) << "still unplugged: nothing, no crash";
  device.replug();
  std::vector<std::uint8_t> back;
  for (int i = 0; i < 100 && back.empty(); ++i) {
    if (usb.counters().reconnects > 0) {
      usb.write(std::vector<std::uint8_t>{42});
      back = read_for(usb, 1, std::chrono::seconds(1));
    } else {
      usb.read(buf, std::chrono::milliseconds(20));
    }
  }
  EXPECT_EQ(back, std::vector<std::uint8_t>{42});
  EXPECT_EQ(usb.counters().disconnects, 1u);
  EXPECT_EQ(usb.counters().reconnects, 1u);
}

TEST(UsbTransport, AbsentDeviceIsNamed) {
  try {
    UsbTransport usb(UsbTransportConfig{UsbId{0x1209, 0x7777}});
    FAIL();
  } catch (const TransportError& e) {
    EXPECT_NE(std::string(e.what()).find("1209:7777"), std::string::npos) << e.what();
  }
}

// The bridge emulator as the USB device's firmware.
struct UsbBridge {
  std::mutex mutex;
  bridge::BridgeEmulator emulator;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  explicit UsbBridge(sim::RunnerConfig runner)
      : emulator(std::make_unique<bridge::RunnerSensors>(runner), bridge::BridgeEmulatorConfig{}) {}
  DeviceSide side() {
    return {[this](std::span<const std::uint8_t> b) {
              std::lock_guard lock(mutex);
              emulator.receive(b);
            },
            [this] {
              std::lock_guard lock(mutex);
              emulator.advance(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
              return emulator.take_output();
            }};
  }
};

TEST(UsbBridge, LiveSessionFromTheEmulatedUsbBridge) {
  sim::RunnerConfig runner;
  runner.seed = 11;
  runner.standing_s = 1.0;
  UsbBridge firmware(runner);
  EmulatedUsbDevice device(test_id.vendor_id, test_id.product_id, firmware.side());
  DriverRegistry registry;
  register_builtin_drivers(registry);
  auto opened = open_device("usb:1209:0001", registry);
  ASSERT_EQ(opened.driver->name(), "bridge");
  EXPECT_EQ(opened.driver->streams().size(), 3u);
  std::atomic<int> steps{0};
  SessionConfig config;
  config.engine.treadmill_speed_mps = 3.5;
  Session session(config, std::make_shared<CallbackPublisher>([&](const Event& e) {
                    if (std::holds_alternative<StepEvent>(e)) ++steps;
                  }));
  session.add_device(std::move(opened.transport), std::move(opened.driver));
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(5000));
  session.stop();
  const auto stats = session.device_stats().at(0);
  EXPECT_FALSE(stats.disconnected) << stats.error;
  EXPECT_GT(stats.decode.frames, 1500u);
  EXPECT_EQ(stats.decode.malformed, 0u);
  EXPECT_GE(steps.load(), 3);
}

TEST(UsbBridge, ASessionResumesAfterTheBridgeIsUnpluggedAndReplugged) {
  sim::RunnerConfig runner;
  runner.seed = 12;
  runner.standing_s = 30.0;
  UsbBridge firmware(runner);
  EmulatedUsbDevice device(test_id.vendor_id, test_id.product_id, firmware.side());
  DriverRegistry registry;
  register_builtin_drivers(registry);
  auto opened = open_device("usb:1209:0001", registry);
  Session session(SessionConfig{}, std::make_shared<CallbackPublisher>([](const Event&) {}));
  session.add_device(std::move(opened.transport), std::move(opened.driver));
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  device.unplug();
  bool noticed = false;
  for (int i = 0; i < 100 && !noticed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    noticed = session.device_stats().at(0).disconnected;
  }
  EXPECT_TRUE(noticed) << "the unplug was not reported";
  const auto frames_unplugged = session.device_stats().at(0).decode.frames;
  device.replug();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  session.stop();
  const auto stats = session.device_stats().at(0);
  EXPECT_FALSE(stats.disconnected) << stats.error;
  EXPECT_GT(stats.decode.frames, frames_unplugged + 200) << "no data after the replug: " << stats.error;
}

}  // namespace
