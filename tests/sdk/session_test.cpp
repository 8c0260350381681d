#include "stridefuse/runtime/session.hpp"

#include <gtest/gtest.h>

#include <boost/endian/conversion.hpp>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

#include "simulated/sensor_packet_driver.hpp"
#include "simulated/simulated_runner_link.hpp"
#include "stridefuse/runtime/session_recording.hpp"

namespace stridefuse {
namespace {

class RecordingPublisher final : public EventPublisher {
 public:
  void publish(const Event& e) override {
    std::lock_guard lock(mutex_);
    events_.push_back(e);
  }
  std::uint64_t dropped() const override { return 0; }
  std::vector<Event> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Event> events_;
};

// A device that is gone at once: every read fails.
class UnpluggedTransport final : public Transport {
 public:
  std::string describe() const override { return "test:unplugged"; }
  std::size_t read(std::span<std::uint8_t>, std::chrono::milliseconds) override {
    throw TransportError("device unplugged");
  }
  void write(std::span<const std::uint8_t>) override { throw TransportError("device unplugged"); }
};

// A sensor whose packets carry bare 32-bit ticks (little-endian, one frame each).
class TickDriver final : public Driver {
 public:
  static StreamDescriptor stream() {
    StreamDescriptor s;
    s.id = "tick_sensor";
    s.kind = StreamKind::imu;
    s.location = BodyLocation::other;
    s.nominal_rate_hz = 100.0;
    s.channels = imu_channels(false);
    s.tick_rate_hz = 100.0;
    s.tick_bits = 16;
    return s;
  }
  std::string name() const override { return "tick-test"; }
  std::vector<StreamDescriptor> streams() const override { return {stream()}; }
  void decode(std::span<const std::uint8_t> bytes, SampleBatch& out) override {
    for (std::size_t at = 0; at + 4 <= bytes.size(); at += 4) {
      Sample& s = out.add(0, boost::endian::load_little_u32(bytes.data() + at), 6);
      std::fill_n(s.values.begin(), 6, 0.0);
      s.values[2] = 9.81;
      ++counters_.frames;
    }
  }
  DecodeCounters counters() const override { return counters_; }

 private:
  DecodeCounters counters_;
};

// Plays a script of (tick, arrival stamp) packets, one per read, about as fast as they are stamped.
class ScriptedTickTransport final : public StampedTransport {
 public:
  struct Packet {
    std::uint32_t tick;
    double arrival_s;
  };
  explicit ScriptedTickTransport(std::vector<Packet> script) : script_(std::move(script)) {}
  std::string describe() const override { return "test:scripted-ticks"; }
  void write(std::span<const std::uint8_t>) override {}
  double last_arrival_s() const override { return last_arrival_s_; }
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (next_ == script_.size()) return 0;
    const auto& p = script_[next_++];
    last_arrival_s_ = p.arrival_s;
    boost::endian::store_little_u32(buffer.data(), p.tick);
    return 4;
  }

 private:
  std::vector<Packet> script_;
  std::size_t next_ = 0;
  double last_arrival_s_ = 0.0;
};

// The numbers N of every "N <what>" in the status messages, added up.
std::uint64_t reported(const std::vector<DeviceStatusEvent>& statuses, const std::string& what) {
  std::uint64_t sum = 0;
  const std::regex count("(\\d+) " + what);
  for (const auto& d : statuses)
    for (std::sregex_iterator it(d.message.begin(), d.message.end(), count), end; it != end; ++it)
      sum += std::stoull((*it)[1]);
  return sum;
}

TEST(Session, ClockTroubleIsCountedInStatusEventsAndFlaggedInTheirMessageOnce) {
  // 100 Hz ticks, one per packet, stamped 5 ms after they were taken; 3
  // repeats of tick 24 right after it, and one packet stamped 50 ms before
  // the previous one.
  std::vector<ScriptedTickTransport::Packet> script;
  for (std::uint32_t k = 0; k < 70; ++k) {
    script.push_back({k, k * 0.01 + 0.005});
    if (k == 24)
      for (int r = 0; r < 3; ++r) script.push_back({k, k * 0.01 + 0.005});
  }
  script[50].arrival_s = script[49].arrival_s - 0.05;
  auto pub = std::make_shared<RecordingPublisher>();
  SessionConfig config;
  config.athlete = "t3";
  config.status_interval_s = 0.1;
  Session session(config, pub);
  session.add_device(std::make_unique<ScriptedTickTransport>(script), std::make_unique<TickDriver>());
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  session.stop();

  std::vector<DeviceStatusEvent> statuses;
  for (const auto& e : pub->events())
    if (const auto* d = std::get_if<DeviceStatusEvent>(&e)) statuses.push_back(*d);
  ASSERT_GE(statuses.size(), 3u);
  const auto& last = statuses.back();
  ASSERT_TRUE(last.clock.has_value());
  EXPECT_EQ(last.clock->duplicates, 3u);
  EXPECT_EQ(last.clock->host_time_backwards, 1u);
  EXPECT_EQ(last.clock->resets, 0u);
  EXPECT_EQ(last.clock->wraps, 0u);
  // Each rise is said once, in the status that first saw it.
  EXPECT_EQ(reported(statuses, "duplicate tick"), 3u);
  EXPECT_EQ(reported(statuses, "arrivals? stamped backwards"), 1u);
  bool flagged = false;
  for (const auto& d : statuses)
    if (d.message.find("clock: ") != std::string::npos && d.state == DeviceState::degraded) flagged = true;
  EXPECT_TRUE(flagged) << "a status naming clock trouble is a degraded one";
  // Under a second of data: no drift is claimed; not an insole: no latency correction.
  EXPECT_EQ(last.clock->drift_ppm.absent_reason, AbsentReason::not_calibrated);
  EXPECT_EQ(last.clock->latency_correction_s.absent_reason, AbsentReason::no_insole);
  EXPECT_EQ(last.clock->latency_residual_s.absent_reason, AbsentReason::no_insole);
}

sim::RunnerConfig short_standing_runner() {
  sim::RunnerConfig c;
  c.standing_s = 0.5;
  return c;
}

TEST(Session, RejectsBadConfigurationWithClearErrors) {
  auto pub = std::make_shared<RecordingPublisher>();
  SessionConfig bad_athlete;
  bad_athlete.athlete = "lab/7";
  EXPECT_THROW(Session(bad_athlete, pub), std::invalid_argument);
  EXPECT_THROW(Session(SessionConfig{}, nullptr), std::invalid_argument);

  Session empty(SessionConfig{}, pub);
  EXPECT_THROW(empty.start(), std::logic_error);
  EXPECT_THROW(empty.add_device(nullptr, nullptr), std::invalid_argument);
}

TEST(Session, TwoDevicesMayNotDeclareTheSameStream) {
  Session s(SessionConfig{}, std::make_shared<RecordingPublisher>());
  auto a = simulated::open_simulated_runner(short_standing_runner());
  auto b = simulated::open_simulated_runner(short_standing_runner());
  s.add_device(std::move(a.transport), std::move(a.driver));
  EXPECT_THROW(s.add_device(std::move(b.transport), std::move(b.driver)), std::invalid_argument);
}

TEST(Session, LiveSimulatedRunnerGivesOrderedStepsBetweenStartAndEnd) {
  auto pub = std::make_shared<RecordingPublisher>();
  SessionConfig config;
  config.athlete = "t1";
  config.engine.treadmill_speed_mps = 3.5;
  Session session(config, pub);
  auto device = simulated::open_simulated_runner(short_standing_runner());
  std::map<std::string, StreamKind> kinds;
  for (const auto& st : device.driver->streams()) kinds[st.id] = st.kind;
  session.add_device(std::move(device.transport), std::move(device.driver));
  session.start();
  EXPECT_THROW(session.start(), std::logic_error);
  EXPECT_THROW(session.add_device(nullptr, nullptr), std::logic_error);
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  session.stop();
  session.stop();  // a second stop does nothing

  const auto events = pub->events();
  ASSERT_GE(events.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<SessionStartEvent>(events.front()));
  ASSERT_TRUE(std::holds_alternative<SessionEndEvent>(events.back()));
  EXPECT_EQ(std::get<SessionStartEvent>(events.front()).athlete, "t1");

  std::vector<StepEvent> steps;
  std::size_t streaming_statuses = 0;
  for (const auto& e : events) {
    if (const auto* st = std::get_if<StepEvent>(&e)) steps.push_back(*st);
    if (const auto* d = std::get_if<DeviceStatusEvent>(&e))
      if (d->state == DeviceState::streaming || d->state == DeviceState::degraded) ++streaming_statuses;
  }
  EXPECT_EQ(std::get<SessionEndEvent>(events.back()).steps, steps.size());
  EXPECT_EQ(session.steps(), steps.size());
  // 3 s of running at 170 steps/min after 0.5 s of standing: about 8 steps, less the last one in progress.
  ASSERT_GE(steps.size(), 5u);
  EXPECT_LE(steps.size(), 10u);
  EXPECT_GE(streaming_statuses, 3u) << "each of the three streams reports streaming";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].index, i);
    ASSERT_TRUE(steps[i].contact_time_s.present());
    EXPECT_GT(steps[i].contact_time_s.value, 0.18);
    EXPECT_LT(steps[i].contact_time_s.value, 0.30);
    EXPECT_GT(steps[i].t_ic_s, 0.5) << "no step during the standing period";
    if (i > 0) {
      EXPECT_NE(steps[i].side, steps[i - 1].side);
      EXPECT_GT(steps[i].t_ic_s, steps[i - 1].t_ic_s);
    }
  }
  for (const auto& d : session.device_stats()) {
    EXPECT_EQ(d.queue_overflows, 0u);
    EXPECT_GT(d.samples, 1000u);
    EXPECT_FALSE(d.disconnected);
  }
  // Every status carries its stream's clock state. 3.5 s is short of the
  // insole calibration's 20 strides and of a measured drift: both absent, with the reason.
  std::size_t insole_statuses = 0;
  for (const auto& e : events) {
    const auto* d = std::get_if<DeviceStatusEvent>(&e);
    if (!d) continue;
    ASSERT_TRUE(d->clock.has_value()) << d->stream_id;
    EXPECT_EQ(d->clock->drift_ppm.absent_reason, AbsentReason::not_calibrated) << d->stream_id;
    const auto kind = kinds.at(d->stream_id);
    const auto expected = kind == StreamKind::insole_pressure ? AbsentReason::not_calibrated : AbsentReason::no_insole;
    EXPECT_EQ(d->clock->latency_correction_s.absent_reason, expected) << d->stream_id;
    EXPECT_EQ(d->clock->latency_residual_s.absent_reason, expected) << d->stream_id;
    insole_statuses += kind == StreamKind::insole_pressure;
  }
  EXPECT_GE(insole_statuses, 2u);
}

TEST(Session, AnUnpluggedDeviceIsReportedAndTheSessionStillEndsCleanly) {
  auto pub = std::make_shared<RecordingPublisher>();
  Session session(SessionConfig{}, pub);
  const auto runner = simulated::open_simulated_runner(short_standing_runner());
  session.add_device(std::make_unique<UnpluggedTransport>(),
                     std::make_unique<simulated::SensorPacketDriver>("unplugged", runner.driver->streams()));
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  session.stop();
  const auto stats = session.device_stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_TRUE(stats[0].disconnected);
  EXPECT_EQ(stats[0].error, "device unplugged");
  bool reported = false;
  for (const auto& e : pub->events())
    if (const auto* d = std::get_if<DeviceStatusEvent>(&e))
      reported = reported || (d->state == DeviceState::disconnected && d->message == "device unplugged");
  EXPECT_TRUE(reported);
  EXPECT_TRUE(std::holds_alternative<SessionEndEvent>(pub->events().back()));
}

}  // namespace
}  // namespace stridefuse
