// A live session from the emulated bridge over a pty (as a CDC-ACM bridge
// appears), in-process and through `stridefuse run --device`, to step events
// on ZeroMQ.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <zmq.hpp>

#include "bridge/emulator/pty_bridge.hpp"
#include "bridge/emulator/runner_sensors.hpp"
#include "short_standing_runner.hpp"
#include "bridge/open_bridge.hpp"
#include "stridefuse/drivers/builtin_drivers.hpp"
#include "stridefuse/runtime/serial_transport.hpp"
#include "stridefuse/runtime/session.hpp"
#include "support/shell_command.hpp"

namespace {

using namespace stridefuse;
using namespace stridefuse::bridge;

TEST(BridgeOverSerial, OpenBridgeConnectsEverySensorWithADriver) {
  PtyBridge pty(BridgeEmulator(std::make_unique<RunnerSensors>(short_standing(1))));
  SerialTransport serial(pty.path());
  DriverRegistry registry;
  register_builtin_drivers(registry);
  const auto scan = scan_bridge(serial, registry, {std::chrono::milliseconds(200), std::chrono::milliseconds(1000), {}});
  EXPECT_EQ(scan.info.major, 1);
  EXPECT_EQ(scan.info.tick_rate_hz, 32768.0);
  ASSERT_EQ(scan.adverts.size(), 3u);
  EXPECT_EQ(scan.drivers, (std::vector<std::string>{"reference-imu", "reference-insole", "reference-insole"}));

  const auto driver = open_bridge(serial, registry, {std::chrono::milliseconds(200), std::chrono::milliseconds(1000), {}});
  std::vector<std::string> ids;
  for (const auto& s : driver->streams()) ids.push_back(s.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"pelvis_imu", "left_insole", "right_insole"}));
  pty.with_emulator([](BridgeEmulator& e) { EXPECT_EQ(e.connections().size(), 3u); });
}

TEST(BridgeOverSerial, LiveSessionProducesStepsAndHealth) {
  PtyBridge pty(BridgeEmulator(std::make_unique<RunnerSensors>(short_standing(2))));
  auto serial = std::make_unique<SerialTransport>(pty.path());
  DriverRegistry registry;
  register_builtin_drivers(registry);
  auto driver = open_bridge(*serial, registry, {std::chrono::milliseconds(200), std::chrono::milliseconds(1000), {}});
  auto* bridge_driver = driver.get();

  std::atomic<int> steps{0};
  std::atomic<int> streaming{0};
  auto publisher = std::make_shared<CallbackPublisher>([&](const Event& e) {
    if (std::holds_alternative<StepEvent>(e)) ++steps;
    if (const auto* s = std::get_if<DeviceStatusEvent>(&e); s && s->state == DeviceState::streaming) ++streaming;
  });
  SessionConfig config;
  config.engine.treadmill_speed_mps = 3.5;
  Session session(config, publisher);
  session.add_device(std::move(serial), std::move(driver));
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(5500));
  session.stop();

  EXPECT_GE(steps.load(), 4) << "about 2.8 steps/s for 4.5 s of running";
  EXPECT_GT(streaming.load(), 0);
  const auto stats = session.device_stats().at(0);
  EXPECT_GT(stats.decode.frames, 1800u) << "200 Hz IMU + 2 x 100 Hz insoles: 2200 in 5.5 s";
  EXPECT_EQ(stats.decode.malformed, 0u);
  EXPECT_FALSE(stats.disconnected) << stats.error;
  const auto health = bridge_driver->health();
  ASSERT_TRUE(health.battery_pct);
  EXPECT_EQ(*health.battery_pct, 87.0);
  ASSERT_TRUE(health.signal_dbm);
  EXPECT_EQ(*health.signal_dbm, -66.0) << "the weakest sensor";
  pty.with_emulator([](BridgeEmulator& e) {
    EXPECT_GT(e.counters().notifications_sent, 300u);
    EXPECT_EQ(e.connections().size(), 3u) << "stop() unsubscribes; the links stay up for a restart";
  });
}

TEST(BridgeOverSerial, GarbageAndALostSensorAreCountedNotFatal) {
  PtyBridge pty(BridgeEmulator(std::make_unique<RunnerSensors>(short_standing(3))));
  auto serial = std::make_unique<SerialTransport>(pty.path());
  DriverRegistry registry;
  register_builtin_drivers(registry);
  auto driver = open_bridge(*serial, registry, {std::chrono::milliseconds(200), std::chrono::milliseconds(1000), {}});
  auto* bridge_driver = driver.get();
  auto publisher = std::make_shared<CallbackPublisher>([](const Event&) {});
  Session session(SessionConfig{}, publisher);
  session.add_device(std::move(serial), std::move(driver));
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  pty.with_emulator([](BridgeEmulator& e) {
    std::vector<std::uint8_t> garbage(300);
    for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<std::uint8_t>(i * 37 + 0x53);
    e.inject(garbage);
    e.drop_link(e.connections().back());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  session.stop();
  const auto stats = session.device_stats().at(0);
  EXPECT_GT(stats.decode.bytes_skipped, 0u);
  EXPECT_GT(stats.decode.frames, 300u);
  EXPECT_FALSE(stats.disconnected);
  const auto health = bridge_driver->health();
  EXPECT_EQ(health.errors, 1u);
  EXPECT_NE(health.last_error.find("lost its link"), std::string::npos) << health.last_error;
}

TEST(BridgeOverSerial, UnpluggedBridgeEndsTheDeviceWithAMessage) {
  auto pty = std::make_unique<PtyBridge>(BridgeEmulator(std::make_unique<RunnerSensors>(short_standing(4))));
  auto serial = std::make_unique<SerialTransport>(pty->path());
  DriverRegistry registry;
  register_builtin_drivers(registry);
  auto driver = open_bridge(*serial, registry, {std::chrono::milliseconds(200), std::chrono::milliseconds(1000), {}});
  Session session(SessionConfig{}, std::make_shared<CallbackPublisher>([](const Event&) {}));
  session.add_device(std::move(serial), std::move(driver));
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  pty.reset();  // the pty disappears, as a bridge does when unplugged
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  session.stop();
  const auto stats = session.device_stats().at(0);
  EXPECT_TRUE(stats.disconnected);
  EXPECT_NE(stats.error.find("serial device"), std::string::npos) << stats.error;
}

TEST(BridgeOverSerial, StridefuseRunFromTheBridgePublishesStepsOnZeroMq) {
  PtyBridge pty(BridgeEmulator(std::make_unique<RunnerSensors>(short_standing(5))));
  const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(43000 + getpid() % 5000);
  zmq::context_t context;
  zmq::socket_t sub(context, zmq::socket_type::sub);
  sub.set(zmq::sockopt::subscribe, "");
  sub.set(zmq::sockopt::rcvtimeo, 200);
  sub.connect(endpoint);
  stridefuse::testing::ShellResult result;
  std::thread cli([&] {
    result = stridefuse::testing::run_shell("timeout 30 " + std::string(STRIDEFUSE_CLI) + " run --device serial:" +
                                            pty.path() + " --duration 6 --speed 3.5 --endpoint " + endpoint);
  });
  int step_messages = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(12);
  while (std::chrono::steady_clock::now() < until) {
    zmq::message_t topic;
    if (!sub.recv(topic)) {
      if (!result.out.empty() || result.exit_code != -1) break;
      continue;
    }
    const std::string t = topic.to_string();
    if (t.find(".step") != std::string::npos || t.find("step") != std::string::npos) ++step_messages;
    while (sub.get(zmq::sockopt::rcvmore)) {
      zmq::message_t part;
      (void)sub.recv(part);
    }
  }
  cli.join();
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("bridge with streams pelvis_imu left_insole right_insole"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("step    2"), std::string::npos) << result.out;
  EXPECT_GE(step_messages, 3) << result.out;
}

}  // namespace
