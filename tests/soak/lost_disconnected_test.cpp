// A bridge's DISCONNECTED can be lost like any frame (PROTOCOL.md 3.2): the
// host must notice the silence of a sensor it believes connected and connect
// it again, or the sensor is gone for the rest of the session. Found by the
// fault soak (5 % of frames lost: some sensors never came back).

#include <gtest/gtest.h>

#include "bridge/emulator/runner_sensors.hpp"
#include "support/emulated_bridge_session.hpp"

namespace {

using namespace stridefuse;

TEST(LostDisconnected, ASilentSensorIsTakenAsLostAndConnectedAgain) {
  sim::RunnerConfig runner;
  runner.standing_s = 2.0;
  bridge::BridgeEmulator emulator(std::make_unique<bridge::RunnerSensors>(runner));
  emulator.lose_next(bridge::MessageType::disconnected);  // the host never hears of the loss below
  bridge::FaultPlan plan;
  plan.faults.push_back({10.0, bridge::FaultKind::link_lost, sim::RunnerSimulation::left_insole_stream, 2.0});
  std::vector<StepEvent> steps;
  std::vector<DeviceStatusEvent> statuses;
  auto publisher = std::make_shared<CallbackPublisher>([&](const Event& e) {
    if (const auto* s = std::get_if<StepEvent>(&e)) steps.push_back(*s);
    if (const auto* d = std::get_if<DeviceStatusEvent>(&e); d && d->stream_id == "left_insole") statuses.push_back(*d);
  });
  auto journal = std::make_shared<bridge::FaultJournal>();
  soak::run_emulated_bridge_session(std::move(emulator), plan, journal, runner.speed_mps, 25.0, publisher);

  ASSERT_EQ(journal->applied.size(), 1u);
  double back_s = -1.0;
  for (const auto& c : journal->links)
    if (c.sensor == sim::RunnerSimulation::left_insole_stream && c.up && c.t_s > 10.0) back_s = c.t_s;
  ASSERT_GT(back_s, 12.0) << "the host connected the silent sensor again once it was back in range";
  EXPECT_LT(back_s, 10.0 + 3.0 + 1.0 + 2.5) << "silence (3 s), first attempt (1 s), backoff";
  const auto silent = std::find_if(statuses.begin(), statuses.end(), [](const DeviceStatusEvent& d) {
    return d.message.find("not heard of") != std::string::npos;
  });
  EXPECT_NE(silent, statuses.end()) << "the status says why the link was taken as lost";
  const auto resumed = std::find_if(steps.begin(), steps.end(), [&](const StepEvent& s) {
    return s.side == Side::left && s.detected_by == StepSource::insole && s.t_ic_s > back_s;
  });
  EXPECT_NE(resumed, steps.end()) << "the left insole times its foot's steps again";
}

}  // namespace
