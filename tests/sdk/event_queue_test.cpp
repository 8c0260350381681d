#include "stridefuse/runtime/event_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "simulated/simulated_runner_link.hpp"
#include "stridefuse/runtime/session.hpp"

namespace stridefuse {
namespace {

StepEvent step(std::uint32_t index) {
  StepEvent e;
  e.index = index;
  return e;
}

TEST(EventQueue, KeepsOrderAndCountsWhatDoesNotFit) {
  EXPECT_THROW(EventQueue(0), std::invalid_argument);
  EventQueue queue(2);
  EXPECT_FALSE(queue.try_pop());
  for (std::uint32_t i = 0; i < 5; ++i) queue.publish(step(i));
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue.dropped(), 3u) << "a full queue drops the newest events and counts them";
  auto first = queue.try_pop();
  ASSERT_TRUE(first);
  EXPECT_EQ(std::get<StepEvent>(*first).index, 0u);
  queue.publish(step(9));
  EXPECT_EQ(std::get<StepEvent>(*queue.try_pop()).index, 1u);
  EXPECT_EQ(std::get<StepEvent>(*queue.try_pop()).index, 9u);
  EXPECT_FALSE(queue.try_pop());
}

// Pull access to a live session: a consumer thread takes the events at its own pace.
TEST(EventQueue, PullsALiveSessionsEventsFromAnotherThread) {
  auto queue = std::make_shared<EventQueue>(4096);
  SessionConfig config;
  config.engine.treadmill_speed_mps = 3.5;
  Session session(config, queue);
  sim::RunnerConfig runner;
  runner.standing_s = 0.5;
  auto device = simulated::open_simulated_runner(runner);
  session.add_device(std::move(device.transport), std::move(device.driver));

  std::vector<Event> pulled;
  std::atomic<bool> stopped{false};
  std::thread consumer([&] {
    for (;;) {
      const bool done = stopped.load();
      while (auto e = queue->try_pop()) pulled.push_back(std::move(*e));
      if (done) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  session.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  session.stop();
  stopped = true;
  consumer.join();

  ASSERT_GE(pulled.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<SessionStartEvent>(pulled.front()));
  ASSERT_TRUE(std::holds_alternative<SessionEndEvent>(pulled.back()));
  std::uint32_t steps = 0;
  for (const auto& e : pulled) steps += std::holds_alternative<StepEvent>(e) ? 1 : 0;
  EXPECT_GE(steps, 3u);
  EXPECT_EQ(std::get<SessionEndEvent>(pulled.back()).steps, steps);
  EXPECT_EQ(queue->dropped(), 0u);
}

}  // namespace
}  // namespace stridefuse
