// Record a live session, replay it, get the same bytes: with the simulated
// runner alone, and next to a flaky device whose errors, garbage and silences
// make the merge wait on the wall clock and the status events vary.

#include <gtest/gtest.h>

#include <cstring>
#include <unistd.h>

#include <boost/crc.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

#include "simulated/sensor_packet_driver.hpp"
#include "simulated/simulated_runner_link.hpp"
#include "stridefuse/runtime/session.hpp"
#include "stridefuse/runtime/session_recording.hpp"

namespace stridefuse {
namespace {

constexpr double time_scale = 1.0;  // the engine's gait limits are in session seconds: no faster than real time

sim::RunnerConfig runner_config() {
  sim::RunnerConfig c;
  c.standing_s = 0.5;
  c.seed = 11;
  return c;
}

// Building the simulation is the costly part of opening the runner: done once.
const std::vector<StreamDescriptor>& runner_streams() {
  static const auto streams = simulated::open_simulated_runner(runner_config(), time_scale).driver->streams();
  return streams;
}

std::vector<StreamDescriptor> flaky_streams() {
  auto streams = runner_streams();
  for (auto& s : streams) {
    s.id = "flaky-" + s.id;
    s.location = BodyLocation::other;
  }
  return streams.empty() ? streams : std::vector<StreamDescriptor>{streams.front()};
}

// Garbage, silences and reconnectable errors, at whatever moments the host's scheduler gives it.
class FlakyTransport final : public Transport {
 public:
  std::string describe() const override { return "test:flaky"; }
  bool reconnects() const override { return true; }
  void write(std::span<const std::uint8_t>) override {}
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override {
    std::this_thread::sleep_for(std::min(timeout, std::chrono::milliseconds(3)));
    ++calls_;
    if (calls_ % 23 < 8) throw TransportError("flaky link dropped");  // gone for a while: a status event sees it
    if (calls_ % 3 == 0) return 0;
    const std::size_t n = std::min<std::size_t>(buffer.size(), 1 + calls_ % 17);
    for (std::size_t i = 0; i < n; ++i) buffer[i] = static_cast<std::uint8_t>(calls_ * 31 + i * 7);
    return n;
  }

 private:
  std::uint64_t calls_ = 0;
};

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("sfrec_" + std::to_string(getpid()) + "_" + name)).string();
}

// Records a live session of `host_s` seconds; returns nothing, the file is the result.
void record_session(const std::string& path, double host_s, bool with_flaky) {
  auto recorder = std::make_shared<SessionRecorder>(path);
  auto fanout = std::make_shared<EventFanout>();
  fanout->add(recorder->event_recorder());
  auto runner = simulated::open_simulated_runner(runner_config(), time_scale);
  auto runner_transport = recorder->record_device(std::move(runner.transport), {"sim", "simulated-runner", {}});
  std::unique_ptr<Transport> flaky_transport;
  if (with_flaky) flaky_transport = recorder->record_device(std::make_unique<FlakyTransport>(), {"flaky", "flaky", {}});
  SessionConfig config;
  config.athlete = "tester";
  config.status_interval_s = 0.25;
  config.engine.treadmill_speed_mps = runner_config().speed_mps;
  Session session(config, fanout);
  session.record_to(recorder);
  session.add_device(std::move(runner_transport), std::move(runner.driver));
  if (with_flaky)
    session.add_device(std::move(flaky_transport),
                       std::make_unique<simulated::SensorPacketDriver>("flaky", flaky_streams()));
  session.start();
  std::this_thread::sleep_for(std::chrono::duration<double>(host_s));
  session.stop();
  recorder->flush();
}

std::unique_ptr<Driver> open_driver(const RecordedDevice& device, Transport&) {
  if (device.source == "sim") return std::make_unique<simulated::SensorPacketDriver>("simulated-runner", runner_streams());
  if (device.source == "flaky") return std::make_unique<simulated::SensorPacketDriver>("flaky", flaky_streams());
  throw std::runtime_error("no driver '" + device.driver + "'");
}

std::size_t count_kind(const std::vector<WireEvent>& events, const std::string& suffix) {
  std::size_t n = 0;
  for (const auto& e : events) n += e.topic.ends_with(suffix);
  return n;
}

class RecordReplay : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    record_session(simulated_path(), 2.5, false);
    record_session(flaky_path(), 1.2, true);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove(simulated_path());
    std::filesystem::remove(flaky_path());
  }
  static std::string simulated_path() { return temp_path("sim.sfrec"); }
  static std::string flaky_path() { return temp_path("flaky.sfrec"); }
};

TEST_F(RecordReplay, ReplayedEventsEqualTheLiveSessionsByteForByte) {
  const auto recording = read_session_recording(simulated_path());
  EXPECT_FALSE(recording.cut_at_byte);
  EXPECT_TRUE(recording.ended);
  ASSERT_EQ(recording.devices.size(), 1u);
  EXPECT_EQ(recording.devices[0].describe, "simulated-runner");
  EXPECT_GT(count_kind(recording.events, "/step"), 4u) << "the recording should hold running, not only standing";
  EXPECT_GT(count_kind(recording.events, "/device_status"), 4u);

  const auto report = replay_session(recording, open_driver, nullptr);
  EXPECT_TRUE(report.complete);
  EXPECT_TRUE(report.identical) << "first difference at event " << report.first_difference.value_or(0);
  ASSERT_EQ(report.events.size(), recording.events.size());
  EXPECT_EQ(report.events, recording.events);
}

TEST_F(RecordReplay, AFlakySecondDeviceAndWallClockMergeTimeoutsReplayIdentically) {
  const auto recording = read_session_recording(flaky_path());
  ASSERT_EQ(recording.devices.size(), 2u);
  EXPECT_TRUE(recording.devices[1].reconnects);
  // Which of its troubles a status event caught depends on the moment it looked: either will do.
  bool trouble_reported = false;
  for (const auto& e : recording.events) {
    const std::string text(e.message.begin(), e.message.end());
    trouble_reported = trouble_reported || (e.topic.ends_with("/device_status") &&
                                            (text.find("flaky link dropped") != std::string::npos ||
                                             text.find("frames lost or malformed") != std::string::npos));
  }
  EXPECT_TRUE(trouble_reported) << "the flaky device's garbage or errors should reach a status event";

  const auto report = replay_session(recording, open_driver, nullptr);
  EXPECT_TRUE(report.complete);
  EXPECT_TRUE(report.identical) << "first difference at event " << report.first_difference.value_or(0) << " of "
                                << recording.events.size();
  EXPECT_EQ(report.events, recording.events);
}

TEST_F(RecordReplay, TheTransportsMinimumDelayIsRecordedAndGivenBackOnReplay) {
  const double live_min_delay_s = simulated::open_simulated_runner(runner_config(), time_scale).transport->min_delay_s();
  ASSERT_GT(live_min_delay_s, 0.0) << "the simulated link states its radio latency";
  const auto recording = read_session_recording(flaky_path());
  ASSERT_EQ(recording.devices.size(), 2u);
  EXPECT_EQ(recording.devices[0].min_delay_s, live_min_delay_s);
  EXPECT_EQ(recording.devices[1].min_delay_s, 0.0) << "the flaky transport claims none";

  // Clock sync subtracts it from every arrival: replaying without it moves the samples and so the events.
  auto without = read_session_recording(simulated_path());
  ASSERT_EQ(without.devices[0].min_delay_s, live_min_delay_s);
  without.devices[0].min_delay_s = 0.0;
  const auto report = replay_session(without, open_driver, nullptr);
  EXPECT_FALSE(report.identical) << "a replay that ignored the recorded minimum delay would not notice it";
}

// A transport stating its minimum delay, as a radio link's would.
class LatentTransport final : public Transport {
 public:
  std::string describe() const override { return "test:latent"; }
  std::size_t read(std::span<std::uint8_t>, std::chrono::milliseconds) override { return 0; }
  void write(std::span<const std::uint8_t>) override {}
  double min_delay_s() const override { return 0.0125; }
};

TEST(SessionRecorder, TheRecordingTransportForwardsTheMinimumDelayLive) {
  const auto path = temp_path("latent.sfrec");
  auto recorder = std::make_shared<SessionRecorder>(path);
  const auto wrapped = recorder->record_device(std::make_unique<LatentTransport>(), {"latent", "none", {}});
  EXPECT_EQ(wrapped->min_delay_s(), 0.0125);
  recorder->flush();
  const auto recording = read_session_recording(path);
  ASSERT_EQ(recording.devices.size(), 1u);
  EXPECT_EQ(recording.devices[0].min_delay_s, 0.0125);
  std::filesystem::remove(path);
}

TEST_F(RecordReplay, ReplayAtRecordedPaceTakesAboutAsLongAsTheSession) {
  const auto recording = read_session_recording(simulated_path());
  const auto start = std::chrono::steady_clock::now();
  const auto report = replay_session(recording, open_driver, nullptr, ReplayOptions{4.0});
  const double took_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(report.identical);
  EXPECT_GT(took_s, 2.5 / 4.0 * 0.8) << "speed 4 replays a 2.5 s session in about 0.6 s";
}

TEST_F(RecordReplay, ACutRecordingReplaysUpToItsLastCompleteFrameAndSaysWhere) {
  std::ifstream in(flaky_path(), std::ios::binary);
  const std::string whole((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(whole.size(), 2000u);
  std::vector<std::size_t> cuts;
  for (std::size_t c = 0; c < 160; ++c) cuts.push_back(c);  // inside the magic, the first headers and payloads
  for (std::size_t c = 160; c < whole.size(); c += whole.size() / 61 + 1) cuts.push_back(c);
  for (std::size_t c = whole.size() - 300; c < whole.size(); c += 29) cuts.push_back(c);  // around the session end
  const auto cut_path = temp_path("cut.sfrec");
  std::size_t replayed_with_events = 0;
  for (const auto cut : cuts) {
    std::ofstream(cut_path, std::ios::binary | std::ios::trunc).write(whole.data(), static_cast<std::streamsize>(cut));
    SessionRecording recording;
    ASSERT_NO_THROW(recording = read_session_recording(cut_path)) << "cut at " << cut;
    if (cut < 8) {
      EXPECT_EQ(recording.cut_at_byte, 0u);
      continue;
    }
    // A cut exactly between two frames is a complete (shorter) file; anywhere else it is reported.
    if (recording.cut_at_byte) {
      // The cut frame starts at a frame boundary: the file up to it is complete.
      ASSERT_LT(*recording.cut_at_byte, cut);
      std::ofstream(cut_path, std::ios::binary | std::ios::trunc)
          .write(whole.data(), static_cast<std::streamsize>(*recording.cut_at_byte));
      EXPECT_FALSE(read_session_recording(cut_path).cut_at_byte) << "cut at " << cut;
    }
    if (!recording.config) continue;
    ReplayReport report;
    ASSERT_NO_THROW(report = replay_session(recording, open_driver, nullptr)) << "cut at " << cut;
    EXPECT_FALSE(recording.ended) << "cut at " << cut;
    EXPECT_TRUE(report.identical) << "cut at " << cut << ": first difference at "
                                  << report.first_difference.value_or(0);
    EXPECT_GE(report.events.size(), recording.events.size());
    replayed_with_events += !recording.events.empty();
  }
  EXPECT_GT(replayed_with_events, 40u);
  std::filesystem::remove(cut_path);
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(RecordReplay, ACorruptFrameIsAnErrorNamingItsOffset) {
  std::string bytes = file_bytes(simulated_path());
  const auto path = temp_path("corrupt.sfrec");
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x40);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  try {
    read_session_recording(path);
    FAIL() << "a flipped bit must be found";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("at byte "), std::string::npos) << what;
    EXPECT_TRUE(what.find("checksum") != std::string::npos || what.find("length") != std::string::npos) << what;
  }
  std::filesystem::remove(path);
}

// The case: a length field damaged mid-file so that it points past
// the end looks like a cut, but the frames after it are intact. Walked as a
// reader of sdk/runtime/src/record/README.md's format would: magic, then
// type u8 | length u32 LE | crc32 u32 LE | payload.
TEST_F(RecordReplay, ALengthDamagedToPointPastTheEndIsCorruptionNotACut) {
  std::string bytes = file_bytes(simulated_path());
  std::vector<std::size_t> offsets;
  for (std::size_t at = 8; at + 9 <= bytes.size();) {
    offsets.push_back(at);
    std::uint32_t length = 0;
    std::memcpy(&length, bytes.data() + at + 1, 4);
    at += 9 + length;
  }
  ASSERT_GT(offsets.size(), 100u);
  const std::size_t damaged = offsets.size() / 2;
  const std::size_t at = offsets[damaged];
  const auto past_end = static_cast<std::uint32_t>(bytes.size() - at + 1000);
  std::memcpy(bytes.data() + at + 1, &past_end, 4);
  const auto path = temp_path("damaged_length.sfrec");
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  try {
    read_session_recording(path);
    FAIL() << "a damaged length was taken for a cut";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("corrupt frame at byte " + std::to_string(at)), std::string::npos) << what;
    EXPECT_NE(what.find(std::to_string(offsets.size() - damaged - 1) + " intact frames follow from byte " +
                        std::to_string(offsets[damaged + 1])),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("not cut"), std::string::npos) << what;
  }
  std::filesystem::remove(path);
}

TEST(RecordingFile, MissingWrongMagicAndUnknownFrameTypeAreErrorsNamingTheProblem) {
  const auto path = temp_path("bad.sfrec");
  std::filesystem::remove(path);
  EXPECT_THROW(
      {
        try {
          read_session_recording(path);
        } catch (const std::runtime_error& e) {
          EXPECT_NE(std::string(e.what()).find("cannot open recording"), std::string::npos) << e.what();
          throw;
        }
      },
      std::runtime_error);

  std::ofstream(path, std::ios::binary | std::ios::trunc) << "SFRAW1\nnot a session recording";
  try {
    read_session_recording(path);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("wrong magic"), std::string::npos) << e.what();
  }

  // A well-formed frame (right checksum) of a type this build does not know.
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write("SFREC01\n", 8);
    const std::uint8_t head[5] = {99, 0, 0, 0, 0};
    boost::crc_32_type crc;
    crc.process_bytes(head, sizeof head);
    const std::uint32_t c = crc.checksum();
    const std::uint8_t crc_le[4] = {static_cast<std::uint8_t>(c), static_cast<std::uint8_t>(c >> 8),
                                    static_cast<std::uint8_t>(c >> 16), static_cast<std::uint8_t>(c >> 24)};
    out.write(reinterpret_cast<const char*>(head), 5);
    out.write(reinterpret_cast<const char*>(crc_le), 4);
  }
  try {
    read_session_recording(path);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown frame type 99 at byte 8"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

TEST_F(RecordReplay, ADriverThatCannotBeRebuiltIsAnErrorNamingIt) {
  const auto recording = read_session_recording(simulated_path());
  auto no_drivers = [](const RecordedDevice& d, Transport&) -> std::unique_ptr<Driver> {
    throw std::runtime_error("driver '" + d.driver + "' is not registered");
  };
  try {
    replay_session(recording, no_drivers, nullptr);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("simulated-runner"), std::string::npos) << e.what();
  }
  EXPECT_THROW(replay_session(recording, open_driver, nullptr, ReplayOptions{-1.0}), std::invalid_argument);
}

TEST(SessionRecorder, AttachesBeforeStartOnlyAndNeedsARecorder) {
  const auto path = temp_path("attach.sfrec");
  auto recorder = std::make_shared<SessionRecorder>(path);
  auto fanout = std::make_shared<EventFanout>();
  Session session(SessionConfig{}, fanout);
  EXPECT_THROW(session.record_to(nullptr), std::invalid_argument);
  session.record_to(recorder);
  EXPECT_THROW(session.record_to(recorder), std::logic_error);
  EXPECT_THROW(recorder->record_device(nullptr, {}), std::invalid_argument);
  EXPECT_THROW(SessionRecorder("/nonexistent-dir/x.sfrec"), std::runtime_error);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace stridefuse
