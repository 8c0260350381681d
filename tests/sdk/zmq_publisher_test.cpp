// The ZeroMQ publisher and subscriber over tcp loopback: content, topics,
// sequences, endpoint errors, and that a stalled subscriber never blocks
// publish() but shows up as counted drops.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>
#include <zmq.hpp>

#include "event_samples.hpp"
#include "stridefuse/event_codec.hpp"
#include "stridefuse/zmq_publisher.hpp"
#include "stridefuse/zmq_subscriber.hpp"

namespace stridefuse {
namespace {

using namespace std::chrono_literals;

constexpr const char* any_port = "tcp://127.0.0.1:*";

ZmqPublisherOptions loopback_options(const std::string& athlete = "runner-7") {
  ZmqPublisherOptions o;
  o.endpoint = any_port;
  o.athlete = athlete;
  o.linger = 0ms;
  return o;
}

/// ZeroMQ subscriptions reach the publisher asynchronously: publish probes
/// until one arrives. Returns how many probes were published.
std::uint64_t wait_until_connected(ZmqPublisher& pub, ZmqSubscriber& sub) {
  for (std::uint64_t probes = 1; probes <= 500; ++probes) {
    pub.publish(test::sample_session_start());
    if (sub.receive(10ms)) return probes;
  }
  ADD_FAILURE() << "subscriber never received a probe from " << pub.endpoint();
  return 0;
}

TEST(ZmqPublisher, BindsAnEphemeralPortAndReportsIt) {
  ZmqPublisher pub(loopback_options());
  EXPECT_EQ(pub.endpoint().rfind("tcp://127.0.0.1:", 0), 0u) << pub.endpoint();
  EXPECT_EQ(pub.endpoint().find('*'), std::string::npos) << pub.endpoint();
  EXPECT_EQ(pub.athlete(), "runner-7");
}

TEST(ZmqPublisher, DeliversEveryKindWithTopicSequenceAndContent) {
  ZmqPublisher pub(loopback_options());
  ZmqSubscriber sub(pub.endpoint(), "runner-7/");
  const std::uint64_t probes = wait_until_connected(pub, sub);
  ASSERT_GT(probes, 0u);

  const auto events = test::sample_events();
  for (int round = 0; round < 2; ++round)
    for (const auto& e : events) pub.publish(e);

  std::map<std::string, std::vector<std::uint64_t>> sequences;  // topic -> sequences received
  std::size_t matched = 0;
  while (matched < 2 * events.size()) {
    auto msg = sub.receive(2s);
    ASSERT_TRUE(msg) << "timed out after " << matched << " events";
    const auto decoded = decode_event(msg->payload);
    EXPECT_EQ(msg->topic, "runner-7/" + std::string(event_kind(decoded.event)));
    EXPECT_EQ(decoded.envelope.athlete, "runner-7");
    const bool is_probe = std::holds_alternative<SessionStartEvent>(decoded.event) && decoded.envelope.sequence < probes;
    if (is_probe) continue;
    sequences[msg->topic].push_back(decoded.envelope.sequence);
    const auto& sent = events[decoded.event.index()];
    EXPECT_EQ(event_to_json(decoded.event), event_to_json(sent));  // JSON writes exact doubles: full content check
    EXPECT_EQ(decoded.envelope.session_time_s, event_time_s(sent));
    ++matched;
  }
  ASSERT_EQ(sequences.size(), events.size());
  for (const auto& [topic, seqs] : sequences) {
    const std::uint64_t first = topic == "runner-7/session_start" ? probes : 0;
    EXPECT_EQ(seqs, (std::vector<std::uint64_t>{first, first + 1})) << topic;
  }
  EXPECT_EQ(pub.dropped(), 0u);
  EXPECT_EQ(pub.sent(), probes + 2 * events.size());
}

TEST(ZmqPublisher, TopicPrefixSelectsOneKind) {
  ZmqPublisher pub(loopback_options());
  ZmqSubscriber steps(pub.endpoint(), "runner-7/step");
  for (int i = 0; i < 500; ++i) {
    for (const auto& e : test::sample_events()) pub.publish(e);
    if (auto msg = steps.receive(10ms)) {
      EXPECT_EQ(msg->topic, "runner-7/step");
      for (int k = 0; k < 20; ++k)
        if (auto more = steps.receive(1ms)) {
          EXPECT_EQ(more->topic, "runner-7/step");
        }
      return;
    }
  }
  FAIL() << "no step event arrived";
}

TEST(ZmqPublisher, EndpointInUseIsAnErrorNamingIt) {
  ZmqPublisher first(loopback_options());
  auto again = loopback_options();
  again.endpoint = first.endpoint();
  try {
    ZmqPublisher second(again);
    FAIL() << "second bind to " << first.endpoint() << " succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(first.endpoint()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("in use"), std::string::npos) << e.what();
  }
}

TEST(ZmqPublisher, BadOptionsAreRejected) {
  auto bad = loopback_options();
  bad.endpoint = "carrier-pigeon://127.0.0.1:1";
  EXPECT_THROW(ZmqPublisher{bad}, std::invalid_argument);
  bad.endpoint = "tcp://127.0.0.1:notaport";
  EXPECT_THROW(ZmqPublisher{bad}, std::invalid_argument);
  bad.endpoint = "";
  EXPECT_THROW(ZmqPublisher{bad}, std::invalid_argument);
  EXPECT_THROW(ZmqPublisher{loopback_options("a/b")}, std::invalid_argument);
  EXPECT_THROW(ZmqPublisher{loopback_options("")}, std::invalid_argument);
  EXPECT_THROW(ZmqPublisher{loopback_options("two words")}, std::invalid_argument);
  auto no_hwm = loopback_options();
  no_hwm.send_hwm = 0;
  EXPECT_THROW(ZmqPublisher{no_hwm}, std::invalid_argument);
}

TEST(ZmqSubscriber, MalformedEndpointIsRejectedByName) {
  try {
    ZmqSubscriber sub("tcp://127.0.0.1");
    FAIL() << "connect without a port succeeded";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("tcp://127.0.0.1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ZmqSubscriber("nonsense"), std::invalid_argument);
  EXPECT_THROW(ZmqSubscriber(""), std::invalid_argument);
}

TEST(ZmqSubscriber, NobodyThereMeansATimeoutNotAHang) {
  std::string endpoint;
  {  // reserve a port, then free it
    ZmqPublisher gone(loopback_options());
    endpoint = gone.endpoint();
  }
  ZmqSubscriber sub(endpoint);
  EXPECT_FALSE(sub.receive(50ms));
}

TEST(ZmqPublisher, WithoutSubscribersPublishingSucceedsAndDropsNothing) {
  ZmqPublisher pub(loopback_options());
  for (int i = 0; i < 20000; ++i) pub.publish(test::sample_step());
  EXPECT_EQ(pub.sent(), 20000u);
  EXPECT_EQ(pub.dropped(), 0u);
}

TEST(ZmqPublisher, StalledSubscriberNeverBlocksPublishAndDropsAreCounted) {
  auto options = loopback_options();
  options.send_hwm = 16;
  ZmqPublisher pub(options);
  ZmqSubscriber stalled(pub.endpoint(), "runner-7/step", 1);
  // Connected once a step arrives; from then on this subscriber reads nothing.
  bool connected = false;
  for (int i = 0; i < 500 && !connected; ++i) {
    pub.publish(test::sample_step());
    connected = stalled.receive(10ms).has_value();
  }
  ASSERT_TRUE(connected);

  // Kernel socket buffers absorb a few MB before ZeroMQ's queue fills; keep
  // going until it does. If publish() blocked, this loop would never end.
  const std::uint64_t before = pub.sent() + pub.dropped();
  std::uint64_t published = 0;
  while (pub.dropped() < 1000 && published < 3'000'000) {
    pub.publish(test::sample_step());
    ++published;
  }
  EXPECT_GE(pub.dropped(), 1000u) << "queue never filled after " << published << " events";
  EXPECT_EQ(pub.sent() + pub.dropped(), before + published);

  // Once the queue has room again, later events get through, and the
  // subscriber, reading again, sees the loss as a gap in the step sequence.
  std::this_thread::sleep_for(100ms);
  for (int i = 0; i < 5; ++i) pub.publish(test::sample_step());
  std::optional<std::uint64_t> previous;
  bool gap = false;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!gap && std::chrono::steady_clock::now() < deadline) {
    auto msg = stalled.receive(1s);
    if (!msg) {
      ADD_FAILURE() << "nothing more arrived; previous " << (previous ? *previous : 0) << " published " << published;
      break;
    }
    const auto seq = decode_event(msg->payload).envelope.sequence;
    if (previous) {
      EXPECT_GT(seq, *previous);
      gap = seq != *previous + 1;
    }
    previous = seq;
  }
  EXPECT_TRUE(gap) << "no sequence gap seen although " << pub.dropped() << " events were dropped";
}

TEST(ZmqSubscriber, AMessageThatIsNotTopicAndPayloadIsReportedAndSkipped) {
  zmq::context_t context;
  zmq::socket_t raw(context, zmq::socket_type::pub);
  raw.set(zmq::sockopt::linger, 0);
  raw.bind(any_port);
  const std::string endpoint = raw.get(zmq::sockopt::last_endpoint);
  ZmqSubscriber sub(endpoint, "x");

  const auto good = encode_event(test::sample_session_end(), "x", 0);
  for (int i = 0; i < 500; ++i) {  // until the subscription has arrived
    raw.send(zmq::buffer(std::string("x/probe")), zmq::send_flags::none);
    std::optional<ReceivedMessage> msg;
    try {
      msg = sub.receive(10ms);
    } catch (const EventDecodeError&) {
      break;  // a one-part probe got through: connected
    }
    ASSERT_FALSE(msg) << "a one-part message was accepted";
  }
  while (true) {  // drain the remaining probes
    try {
      if (!sub.receive(50ms)) break;
    } catch (const EventDecodeError&) {
    }
  }
  raw.send(zmq::buffer(std::string("x/a")), zmq::send_flags::sndmore);
  raw.send(zmq::buffer(good), zmq::send_flags::sndmore);
  raw.send(zmq::buffer(std::string("extra")), zmq::send_flags::none);
  raw.send(zmq::buffer(std::string("x/session_end")), zmq::send_flags::sndmore);
  raw.send(zmq::buffer(good), zmq::send_flags::none);
  try {
    (void)sub.receive(2s);
    FAIL() << "three-part message accepted";
  } catch (const EventDecodeError& e) {
    EXPECT_NE(std::string(e.what()).find("3 parts"), std::string::npos) << e.what();
  }
  auto next = sub.receive(2s);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->topic, "x/session_end");
  EXPECT_EQ(std::get<SessionEndEvent>(decode_event(next->payload).event).steps, 5321u);
}

}  // namespace
}  // namespace stridefuse
