#include "stridefuse/session.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "simulated/sensor_packet_driver.hpp"
#include "simulated/simulated_runner_link.hpp"

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
