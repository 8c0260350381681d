// Each event's provenance as a session gives it (EVENTS.md section 2.1), in a
// deterministic session on the simulated runner in its own time: which
// samples, from which streams, their arrival and the fusion turn.

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

#include "stridefuse/runtime/device_time_session.hpp"
#include "stridefuse/runtime/devices.hpp"

namespace stridefuse {
namespace {

struct Traced {
  Event event;
  EventProvenance provenance;
};

/// Keeps what a session hands its publishers.
class TracingPublisher final : public EventPublisher {
 public:
  void publish(const Event&) override { ADD_FAILURE() << "a session publishes with provenance"; }
  void publish_traced(const Event& event, const EventProvenance& provenance) override {
    traced.push_back({event, provenance});
  }
  std::uint64_t dropped() const override { return 0; }
  std::vector<Traced> traced;
};

std::set<std::string> ids(const EventProvenance& p) {
  std::set<std::string> out;
  for (const auto& s : p.streams) out.insert(s.stream_id);
  return out;
}

TEST(Provenance, EveryEventOfASessionSaysWhereItCameFrom) {
  SessionConfig config;
  auto devices = open_devices({"sim:runner?seed=3&standing_s=1&clock=virtual"}, {}, config);
  auto tracing = std::make_shared<TracingPublisher>();
  const auto report = run_in_device_time(config, std::move(devices), tracing, {20.0, 1700000000000000000, nullptr});
  ASSERT_GT(report.steps, 20u);
  const std::set<std::string> all{"left_insole", "right_insole", "pelvis_imu"};
  std::size_t steps = 0, attitudes = 0, statuses = 0;
  double last_produced_s = 0.0;
  for (const auto& [event, p] : tracing->traced) {
    EXPECT_TRUE(std::isnan(p.published_s)) << "only a publisher stamps it, and not in device time";
    EXPECT_FALSE(p.session_zero) << "device time is not the host's clock";
    EXPECT_GE(p.produced_s, last_produced_s) << "fusion turns go forward";
    last_produced_s = p.produced_s;
    if (const auto* step = std::get_if<StepEvent>(&event)) {
      ++steps;
      EXPECT_EQ(p.first_sample_s, step->t_ic_s);
      EXPECT_GE(p.last_sample_s, step->t_to_s) << "a step is emitted after its toe-off";
      EXPECT_LE(p.last_arrival_s, p.produced_s) << "its samples arrived before the turn";
      EXPECT_GE(p.last_arrival_s, p.last_sample_s - 0.1) << "a sample arrives after it was taken (within its error)";
      EXPECT_EQ(ids(p), all);
    } else if (const auto* attitude = std::get_if<AttitudeEvent>(&event)) {
      ++attitudes;
      EXPECT_EQ(p.first_sample_s, attitude->t_s);
      EXPECT_EQ(p.last_sample_s, attitude->t_s);
      EXPECT_EQ(ids(p), std::set<std::string>{"pelvis_imu"});
      EXPECT_LE(p.last_arrival_s, p.produced_s);
    } else if (const auto* status = std::get_if<DeviceStatusEvent>(&event); status && std::isnan(p.first_sample_s)) {
      ++statuses;
      ASSERT_EQ(p.streams.size(), 1u);
      EXPECT_EQ(p.streams[0].stream_id, status->stream_id);
      EXPECT_EQ(p.streams[0].clock_error_bound_s, status->clock_error_bound_s);
      EXPECT_EQ(p.produced_s, status->t_s);
    } else if (std::holds_alternative<SessionStartEvent>(event)) {
      EXPECT_EQ(p.produced_s, 0.0);
      EXPECT_TRUE(p.streams.empty());
      EXPECT_TRUE(std::isnan(p.first_sample_s) && std::isnan(p.last_arrival_s));
    } else if (const auto* end = std::get_if<SessionEndEvent>(&event)) {
      EXPECT_EQ(p.produced_s, end->t_s);
      EXPECT_TRUE(p.streams.empty());
    }
    // A clock's bound starts at 0.1 s and narrows as it learns the device's clock.
    for (const auto& s : p.streams)
      EXPECT_TRUE(s.clock_error_bound_s >= 0.0 && s.clock_error_bound_s <= (p.produced_s < 2.0 ? 0.2 : 0.02))
          << s.stream_id << " " << s.clock_error_bound_s << " at " << p.produced_s;
  }
  EXPECT_EQ(steps, report.steps);
  EXPECT_GT(attitudes, 500u);
  EXPECT_GE(statuses, 3u * 19u);
}

}  // namespace
}  // namespace stridefuse
