// Issue 12: "a recording of such a session replays identically". A live
// session through a bridge on a pty, recorded as `stridefuse record` does
// (the opening's traffic too), in which a sensor's link is lost and the host
// connects it again; the replay rebuilds the bridge driver from the
// recording and must publish the same events, byte for byte: the host's
// reconnection runs on the recorded arrival times, not on the clock of the
// replay.

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>

#include "bridge/emulator/pty_bridge.hpp"
#include "bridge/emulator/runner_sensors.hpp"
#include "short_standing_runner.hpp"
#include "stridefuse/runtime/devices.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/serial_transport.hpp"
#include "stridefuse/runtime/session.hpp"
#include "stridefuse/runtime/session_recording.hpp"

namespace {

using namespace stridefuse;
using namespace stridefuse::bridge;

TEST(BridgeReconnectReplay, ARecordedSessionWithALostAndReconnectedSensorReplaysIdentically) {
  const auto runner = short_standing(31);
  PtyBridge pty(BridgeEmulator(std::make_unique<RunnerSensors>(runner)));
  const std::string path =
      (std::filesystem::temp_directory_path() / ("sfrec_bridge_" + std::to_string(getpid()) + ".sfrec")).string();
  {
    auto recorder = std::make_shared<SessionRecorder>(path);
    const std::string uri = "serial:" + pty.path();
    auto transport = recorder->record_device(std::make_unique<SerialTransport>(pty.path()), {uri, "bridge", {}});
    auto driver = builtin_driver_registry().open("bridge", *transport);
    auto fanout = std::make_shared<EventFanout>();
    fanout->add(recorder->event_recorder());
    SessionConfig config;
    config.status_interval_s = 0.25;
    config.engine.treadmill_speed_mps = runner.speed_mps;
    Session session(config, fanout);
    session.record_to(recorder);
    session.add_device(std::move(transport), std::move(driver));
    session.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    pty.with_emulator([](BridgeEmulator& e) { e.drop_link(e.connections().at(1), 1.5); });
    std::this_thread::sleep_for(std::chrono::milliseconds(4500));
    const auto links = session.device_stats().at(0).links;
    session.stop();
    recorder->flush();
    ASSERT_EQ(links.size(), 3u);
    EXPECT_EQ(links[1].reconnects, 1u) << "the left insole came back in the live session";
  }

  const auto recording = read_session_recording(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(recording.ended);
  ASSERT_EQ(recording.devices.size(), 1u);
  // The left insole's statuses: its link lost, then streaming again after a reconnection.
  bool lost = false, back = false;
  for (const auto& e : recording.events) {
    if (!e.topic.ends_with("/device_status")) continue;
    const auto decoded = decode_event(e.message);
    const auto* status = std::get_if<DeviceStatusEvent>(&decoded.event);
    if (!status || status->stream_id != "left_insole") continue;
    lost = lost || status->state == DeviceState::disconnected;
    back = back || (lost && status->state == DeviceState::streaming && status->reconnects == 1);
  }
  EXPECT_TRUE(lost) << "the recording holds the link's loss";
  EXPECT_TRUE(back) << "and its return";

  const auto report = replay_session(recording, reopen_recorded_driver, nullptr);
  EXPECT_TRUE(report.complete);
  EXPECT_TRUE(report.identical) << "first difference at event " << report.first_difference.value_or(0) << " of "
                                << recording.events.size();
  EXPECT_EQ(report.events.size(), recording.events.size());
}

}  // namespace
