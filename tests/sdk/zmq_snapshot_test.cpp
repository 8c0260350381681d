// Late joiners: a subscriber connecting after the session started gets the
// session start and each stream's latest device status, unchanged (original
// sequence numbers), and a subscriber that already had them can tell the
// repeats from new messages.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "event_samples.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/sequence_tracker.hpp"
#include "zmq_loopback.hpp"

namespace stridefuse {
namespace {

using namespace std::chrono_literals;

DeviceStatusEvent status_of(const std::string& stream, DeviceState state, double t_s) {
  auto s = test::sample_device_status();
  s.stream_id = stream;
  s.state = state;
  s.t_s = t_s;
  return s;
}

/// Publishes what a session has published by the time a late subscriber comes.
void publish_session_so_far(ZmqPublisher& pub) {
  pub.publish(test::sample_session_start());                                  // session_start #0
  pub.publish(status_of("left_insole", DeviceState::connected, 0.0));         // device_status #0
  pub.publish(status_of("pelvis", DeviceState::connected, 0.0));              // #1
  pub.publish(test::sample_step());
  pub.publish(status_of("left_insole", DeviceState::streaming, 1.0));         // #2
  pub.publish(status_of("pelvis", DeviceState::degraded, 1.0));               // #3
  pub.flush();  // all sent before a late subscriber comes
}

bool not_heartbeat(const std::string& topic) { return topic != "runner-7/heartbeat"; }

TEST(ZmqSnapshot, LateSubscriberGetsSessionStartAndLatestStatusPerStream) {
  ZmqPublisher pub(test::loopback_publisher());
  publish_session_so_far(pub);
  ZmqSubscriber late(pub.endpoint(), "runner-7/");

  std::vector<DecodedEvent> got;
  while (got.size() < 3) {
    auto msg = test::receive_where(late, not_heartbeat, 3s);
    ASSERT_TRUE(msg) << "snapshot incomplete: " << got.size() << " of 3 messages";
    got.push_back(decode_event(msg->payload));
  }
  const auto& start = std::get<SessionStartEvent>(got[0].event);
  EXPECT_EQ(start.athlete, "runner-7");
  EXPECT_EQ(got[0].envelope.sequence, 0u);
  const auto& left = std::get<DeviceStatusEvent>(got[1].event);
  EXPECT_EQ(left.stream_id, "left_insole");
  EXPECT_EQ(left.state, DeviceState::streaming);
  EXPECT_EQ(got[1].envelope.sequence, 2u);
  const auto& pelvis = std::get<DeviceStatusEvent>(got[2].event);
  EXPECT_EQ(pelvis.stream_id, "pelvis");
  EXPECT_EQ(pelvis.state, DeviceState::degraded);
  EXPECT_EQ(got[2].envelope.sequence, 3u);
  EXPECT_FALSE(test::receive_where(late, not_heartbeat, 100ms)) << "the snapshot holds no steps";
  EXPECT_EQ(pub.snapshots_sent(), 3u);

  // Live events follow the snapshot with the next sequence numbers.
  pub.publish(status_of("pelvis", DeviceState::streaming, 2.0));
  auto next = test::receive_where(late, not_heartbeat, 3s);
  ASSERT_TRUE(next);
  EXPECT_EQ(decode_event(next->payload).envelope.sequence, 4u);
}

TEST(ZmqSnapshot, EndedSessionIsPartOfTheSnapshotAndANewSessionReplacesIt) {
  ZmqPublisher pub(test::loopback_publisher());
  publish_session_so_far(pub);
  pub.publish(test::sample_session_end());
  pub.flush();
  {
    ZmqSubscriber late(pub.endpoint(), "runner-7/session_end");
    auto msg = test::receive_where(late, not_heartbeat, 3s);
    ASSERT_TRUE(msg) << "an ended session's end is not in the snapshot";
    EXPECT_EQ(std::get<SessionEndEvent>(decode_event(msg->payload).event).steps, 5321u);
  }
  pub.publish(test::sample_session_start());  // a second session: its own state only
  pub.flush();
  ZmqSubscriber later(pub.endpoint(), "runner-7/");
  auto msg = test::receive_where(later, not_heartbeat, 3s);
  ASSERT_TRUE(msg);
  const auto first = decode_event(msg->payload);
  EXPECT_TRUE(std::holds_alternative<SessionStartEvent>(first.event));
  EXPECT_EQ(first.envelope.sequence, 1u);
  EXPECT_FALSE(test::receive_where(later, not_heartbeat, 200ms)) << "the first session's state was repeated";
}

TEST(ZmqSnapshot, OnlyTopicsTheNewSubscriptionMatchesAreRepeated) {
  ZmqPublisher pub(test::loopback_publisher());
  publish_session_so_far(pub);
  ZmqSubscriber starts(pub.endpoint(), "runner-7/session_start");
  auto msg = test::receive_where(starts, not_heartbeat, 3s);
  ASSERT_TRUE(msg);
  EXPECT_EQ(msg->topic, "runner-7/session_start");
  EXPECT_TRUE(test::eventually([&] { return pub.snapshots_sent() == 1; }, 1s)) << pub.snapshots_sent();
  EXPECT_FALSE(test::receive_where(starts, not_heartbeat, 100ms));
}

TEST(ZmqSnapshot, EarlierSubscriberSeesTheRepeatsAsRepeats) {
  ZmqPublisher pub(test::loopback_publisher());
  ZmqSubscriber early(pub.endpoint(), "runner-7/");
  ASSERT_TRUE(test::eventually([&] { return pub.subscriptions() >= 1; }, 3s));
  publish_session_so_far(pub);
  SequenceTracker tracker;
  std::size_t fresh = 0;
  while (fresh < 6) {
    auto msg = test::receive_where(early, not_heartbeat, 3s);
    ASSERT_TRUE(msg) << fresh;
    if (!tracker.observe(msg->topic, decode_event(msg->payload).envelope.sequence).repeat) ++fresh;
  }
  ZmqSubscriber late(pub.endpoint(), "runner-7/");  // its snapshot reaches `early` too
  ASSERT_TRUE(test::eventually([&] { return pub.snapshots_sent() == 3; }, 3s));
  std::size_t repeats = 0;
  while (auto msg = test::receive_where(early, not_heartbeat, 200ms)) {
    const auto v = tracker.observe(msg->topic, decode_event(msg->payload).envelope.sequence);
    EXPECT_TRUE(v.repeat) << msg->topic;
    repeats += v.repeat;
  }
  EXPECT_EQ(repeats, 3u);
  EXPECT_EQ(tracker.lost(), 0u);
}

// The case: statuses of three streams published in an order their
// names do not sort in, some superseded. A late joiner that follows EVENTS.md
// (a sequence number not newer than one seen on the topic is a repeat) must
// keep every stream's latest state and see no gap it would count as a loss.
TEST(ZmqSnapshot, ALateJoinerFollowingTheRepeatRuleKeepsEveryStreamsStateAndSeesNoGap) {
  ZmqPublisher pub(test::loopback_publisher());
  pub.publish(test::sample_session_start());
  const char* streams[] = {"pelvis_imu", "left_insole", "right_insole"};
  for (int round = 0; round < 3; ++round)
    for (const char* id : streams) pub.publish(status_of(id, DeviceState::streaming, round));
  pub.publish(status_of("left_insole", DeviceState::degraded, 3.0));  // supersedes left's round-2 status
  pub.flush();

  ZmqSubscriber late(pub.endpoint(), "runner-7/");
  SequenceTracker tracker;
  std::map<std::string, DeviceState> state;
  std::vector<std::uint64_t> sequences;
  while (auto msg = test::receive_where(late, not_heartbeat, 300ms)) {
    const auto decoded = decode_event(msg->payload);
    if (tracker.observe(msg->topic, decoded.envelope.sequence).repeat) continue;
    if (const auto* s = std::get_if<DeviceStatusEvent>(&decoded.event)) {
      state[s->stream_id] = s->state;
      sequences.push_back(decoded.envelope.sequence);
    }
  }
  EXPECT_EQ(state, (std::map<std::string, DeviceState>{{"left_insole", DeviceState::degraded},
                                                       {"pelvis_imu", DeviceState::streaming},
                                                       {"right_insole", DeviceState::streaming}}));
  // From the oldest current status (pelvis, round 2: #6) on, every one in order.
  EXPECT_EQ(sequences, (std::vector<std::uint64_t>{6, 7, 8, 9}));
  EXPECT_EQ(tracker.lost(), 0u);
}

// The snapshot reaches a new subscriber before any live event, however busy the publisher.
TEST(ZmqSnapshot, TheSnapshotComesBeforeAnyLiveEventWhilePublishing) {
  ZmqPublisher pub(test::loopback_publisher());
  publish_session_so_far(pub);
  std::atomic<bool> stop{false};
  std::thread engine([&] {
    while (!stop) {
      pub.publish(test::sample_attitude());
      std::this_thread::sleep_for(100us);
    }
  });
  for (int joiner = 0; joiner < 5; ++joiner) {
    ZmqSubscriber late(pub.endpoint(), "runner-7/");
    std::vector<std::string> first;
    while (first.size() < 4) {
      auto msg = test::receive_where(late, not_heartbeat, 3s);
      ASSERT_TRUE(msg) << "joiner " << joiner << " got " << first.size() << " messages";
      first.push_back(msg->topic);
    }
    EXPECT_EQ(first, (std::vector<std::string>{"runner-7/session_start", "runner-7/device_status",
                                               "runner-7/device_status", "runner-7/attitude"}))
        << "joiner " << joiner;
  }
  stop = true;
  engine.join();
}

// A stream silent for long holds the gapless run open; past its bound the
// superseded statuses go, and the silent stream's latest stays.
TEST(ZmqSnapshot, ALongSilentStreamKeepsItsStateWhileTheRunStaysBounded) {
  ZmqPublisher pub(test::loopback_publisher());
  pub.publish(test::sample_session_start());
  pub.publish(status_of("left_insole", DeviceState::disconnected, 0.0));  // #0, then silent
  for (int i = 1; i <= 400; ++i) pub.publish(status_of("pelvis_imu", DeviceState::streaming, i));
  pub.flush();
  ZmqSubscriber late(pub.endpoint(), "runner-7/device_status");
  std::vector<std::pair<std::string, std::uint64_t>> got;
  while (auto msg = test::receive_where(late, not_heartbeat, 300ms)) {
    const auto decoded = decode_event(msg->payload);
    got.emplace_back(std::get<DeviceStatusEvent>(decoded.event).stream_id, decoded.envelope.sequence);
  }
  using Got = std::vector<std::pair<std::string, std::uint64_t>>;
  EXPECT_EQ(got, (Got{{"left_insole", 0}, {"pelvis_imu", 400}}));
}

TEST(SequenceTracker, CountsGapsAndRepeatsPerTopic) {
  SequenceTracker t;
  EXPECT_EQ(t.observe("a/step", 5).lost, 0u);  // the first one starts the count
  EXPECT_EQ(t.observe("a/step", 6).lost, 0u);
  EXPECT_EQ(t.observe("a/step", 9).lost, 2u);
  EXPECT_TRUE(t.observe("a/step", 9).repeat);
  EXPECT_TRUE(t.observe("a/step", 3).repeat);
  EXPECT_EQ(t.observe("b/step", 0).lost, 0u);  // topics count apart
  EXPECT_EQ(t.observe("a/step", 10).lost, 0u);
  EXPECT_EQ(t.lost(), 2u);
  EXPECT_EQ(t.repeats(), 2u);
}

}  // namespace
}  // namespace stridefuse
