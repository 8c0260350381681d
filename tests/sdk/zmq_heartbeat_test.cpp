// Heartbeats: sent on "<athlete>/heartbeat" every period with no events at
// all, carrying the publisher's counts; safe while publish() runs on another
// thread; kept apart from events by the decoders.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "event_samples.hpp"
#include "stridefuse/runtime/publisher_heartbeat.hpp"
#include "zmq_loopback.hpp"

namespace stridefuse {
namespace {

using namespace std::chrono_literals;

TEST(ZmqHeartbeat, FlowsWithoutEventsAtTheConfiguredPeriod) {
  auto options = test::loopback_publisher();
  options.heartbeat_period = 50ms;
  ZmqPublisher pub(options);
  ZmqSubscriber sub(pub.endpoint(), "runner-7/heartbeat");
  std::vector<DecodedHeartbeat> beats;
  const auto start = std::chrono::steady_clock::now();
  while (beats.size() < 4) {
    auto msg = sub.receive(2s);
    ASSERT_TRUE(msg) << "no heartbeat within 2 s; " << beats.size() << " so far";
    EXPECT_EQ(msg->topic, "runner-7/heartbeat");
    beats.push_back(decode_heartbeat(msg->payload));
  }
  const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(elapsed_s, 2.0);
  for (std::size_t i = 1; i < beats.size(); ++i) {
    EXPECT_EQ(beats[i].envelope.sequence, beats[i - 1].envelope.sequence + 1);
    EXPECT_GT(beats[i].heartbeat.uptime_s, beats[i - 1].heartbeat.uptime_s);
  }
  const auto& h = beats.back();
  EXPECT_EQ(h.envelope.athlete, "runner-7");
  EXPECT_EQ(h.envelope.schema_minor, event_schema_minor);
  EXPECT_DOUBLE_EQ(h.heartbeat.period_s, 0.05);
  EXPECT_EQ(h.heartbeat.sent, 0u);
  EXPECT_EQ(h.heartbeat.send_failures, 0u);
  EXPECT_GE(h.heartbeat.subscriptions, 1u);
  // The timer thread counts a heartbeat once its send returns, which can be
  // after the subscriber already has it.
  EXPECT_TRUE(test::eventually([&] { return pub.heartbeats() >= 4u; }, 2s)) << pub.heartbeats() << " counted";
}

TEST(ZmqHeartbeat, CarriesTheCountsAndTheLatestEventTime) {
  auto options = test::loopback_publisher();
  options.heartbeat_period = 20ms;
  ZmqPublisher pub(options);
  ZmqSubscriber sub(pub.endpoint(), "runner-7/heartbeat");
  ASSERT_TRUE(sub.receive(2s)) << "no first heartbeat";
  for (int i = 0; i < 7; ++i) pub.publish(test::sample_step());  // t_ic_s 12.3456789012345
  const auto ok = test::eventually(
      [&] {
        auto msg = sub.receive(50ms);
        if (!msg) return false;
        const auto h = decode_heartbeat(msg->payload).heartbeat;
        return h.sent == 7 && h.t_s == 12.3456789012345;
      },
      3s);
  EXPECT_TRUE(ok) << "no heartbeat reported 7 events sent";
}

TEST(ZmqHeartbeat, HeartbeatsAndEventsInterleaveSafelyOnTheSocketThread) {
  auto options = test::loopback_publisher();
  options.heartbeat_period = 1ms;
  options.send_hwm = 100000;  // the reader must not lose events: this test is about sharing the socket
  ZmqPublisher pub(options);
  ZmqSubscriber sub(pub.endpoint(), "runner-7/", 100000);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> events{0}, beats{0};
  std::thread reader([&] {
    while (!stop) {
      auto msg = sub.receive(5ms);
      if (!msg) continue;
      if (is_heartbeat_topic(msg->topic)) {
        (void)decode_heartbeat(msg->payload);
        ++beats;
      } else {
        (void)decode_event(msg->payload);
        ++events;
      }
    }
  });
  ASSERT_TRUE(test::eventually([&] { return beats.load() > 0; }, 5s));
  const auto status = test::sample_device_status();
  for (int i = 0; i < 20000; ++i) pub.publish(i % 2 ? Event(status) : Event(test::sample_step()));
  EXPECT_TRUE(test::eventually([&] { return events.load() >= 20000; }, 20s)) << events.load();
  EXPECT_GE(beats.load(), 2u);
  stop = true;
  reader.join();
  EXPECT_EQ(pub.sent(), 20000u);
}

TEST(ZmqHeartbeat, DecodersKeepHeartbeatsAndEventsApart) {
  PublisherHeartbeat h;
  h.t_s = 3.5;
  h.uptime_s = 10.25;
  h.period_s = 1.0;
  h.sent = 123456789012;
  h.send_failures = 3;
  h.subscriptions = 2;
  h.snapshots_sent = 9;
  const auto bytes = encode_heartbeat(h, "runner-7", 41);
  const auto decoded = decode_heartbeat(bytes);
  EXPECT_EQ(heartbeat_to_json(decoded),
            R"({"kind":"heartbeat","t_s":3.5,"schema":"1.7","athlete":"runner-7","sequence":41,"uptime_s":10.25,)"
            R"("period_s":1,"sent":123456789012,"send_failures":3,"subscriptions":2,"snapshots_sent":9})");
  try {
    (void)decode_event(bytes);
    FAIL() << "a heartbeat decoded as an event";
  } catch (const EventDecodeError& e) {
    EXPECT_NE(std::string(e.what()).find("decode_heartbeat"), std::string::npos) << e.what();
  }
  EXPECT_THROW(decode_heartbeat(encode_event(test::sample_step(), "runner-7", 0)), EventDecodeError);
  EXPECT_TRUE(is_heartbeat_topic("runner-7/heartbeat"));
  EXPECT_FALSE(is_heartbeat_topic("runner-7/step"));
  EXPECT_FALSE(is_heartbeat_topic("/heartbeat"));
  EXPECT_FALSE(is_heartbeat_topic("heartbeat"));
}

TEST(ZmqHeartbeat, NonPositivePeriodIsRejected) {
  auto options = test::loopback_publisher();
  options.heartbeat_period = 0ms;
  EXPECT_THROW(ZmqPublisher{options}, std::invalid_argument);
  options.heartbeat_period = -1ms;
  EXPECT_THROW(ZmqPublisher{options}, std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse
