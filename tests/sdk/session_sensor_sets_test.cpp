// A live session (in device time: deterministic) with any set of the
// simulated runner's sensors (`sim:runner?sensors=...`): session_start says
// what the set can give, and the steps come from what is there.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stridefuse/runtime/device_time_session.hpp"
#include "stridefuse/runtime/devices.hpp"

namespace stridefuse {
namespace {

class Collect final : public EventPublisher {
 public:
  void publish(const Event& e) override { events.push_back(e); }
  std::uint64_t dropped() const override { return 0; }
  std::vector<Event> events;
};

std::vector<Event> run(const std::string& uri, double seconds) {
  SessionConfig config;
  auto devices = open_devices({uri}, {}, config);
  auto collect = std::make_shared<Collect>();
  run_in_device_time(config, std::move(devices), collect, {seconds, 0, nullptr});
  return collect->events;
}

AbsentReason reason(const SessionStartEvent& start, const std::string& metric, Side side) {
  for (const auto& m : start.metrics)
    if (m.metric == metric) return side == Side::left ? m.left : m.right;
  ADD_FAILURE() << "no row for " << metric;
  return AbsentReason::none;
}

TEST(SessionSensorSets, APelvisAloneStartsSayingWhatItCannotGiveAndTimesTheSteps) {
  const auto events = run("sim:runner?clock=virtual&seed=3&standing_s=2&sensors=pelvis", 40.0);
  ASSERT_FALSE(events.empty());
  const auto& start = std::get<SessionStartEvent>(events.front());
  EXPECT_EQ(reason(start, "contact_time_s", Side::left), AbsentReason::none);
  EXPECT_EQ(reason(start, "strike_index_pct", Side::right), AbsentReason::no_insole);
  EXPECT_EQ(reason(start, "attitude", Side::left), AbsentReason::none);
  std::size_t steps = 0;
  for (const auto& e : events)
    if (const auto* s = std::get_if<StepEvent>(&e)) {
      ++steps;
      EXPECT_EQ(s->detected_by, StepSource::pelvis);
      EXPECT_EQ(s->gait_mode, GaitMode::running);
      EXPECT_EQ(s->strike_index_pct.absent_reason, AbsentReason::no_insole);
    }
  EXPECT_GT(steps, 90u);  // 38 s at 170 steps/min, less the last 3 s decided at the end
}

TEST(SessionSensorSets, WalkingOnInsolesAloneWithoutAPelvis) {
  const auto events =
      run("sim:runner?clock=virtual&seed=5&standing_s=2&walking_s=inf&sensors=left,right", 30.0);
  const auto& start = std::get<SessionStartEvent>(events.front());
  EXPECT_EQ(reason(start, "attitude", Side::left), AbsentReason::no_pelvis_sensor);
  EXPECT_EQ(reason(start, "tilt_ic_deg", Side::right), AbsentReason::no_pelvis_sensor);
  EXPECT_EQ(reason(start, "strike_index_pct", Side::left), AbsentReason::none);
  std::size_t steps = 0, attitude = 0;
  for (const auto& e : events) {
    attitude += std::holds_alternative<AttitudeEvent>(e);
    if (const auto* s = std::get_if<StepEvent>(&e)) {
      ++steps;
      EXPECT_EQ(s->detected_by, StepSource::insole);
      EXPECT_EQ(s->gait_mode, GaitMode::walking);
      if (s->flight_time_s.present()) {
        EXPECT_LT(s->flight_time_s.value, 0.0) << "double support";
      }
    }
  }
  EXPECT_GT(steps, 40u);
  EXPECT_EQ(attitude, 0u);
}

}  // namespace
}  // namespace stridefuse
