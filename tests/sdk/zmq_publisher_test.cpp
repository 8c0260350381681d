// The ZeroMQ publisher and subscriber over tcp loopback: content, topics,
// sequences, endpoint errors, and that a stalled subscriber never blocks
// publish() and loses only its own messages.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>
#include <zmq.hpp>

#include "event_samples.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/sequence_tracker.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"
#include "stridefuse/runtime/zmq_subscriber.hpp"
#include "zmq_loopback.hpp"

namespace stridefuse {
namespace {

using namespace std::chrono_literals;

constexpr const char* any_port = "tcp://127.0.0.1:*";

ZmqPublisherOptions loopback_options(const std::string& athlete = "runner-7") {
  ZmqPublisherOptions o;
  o.endpoint = any_port;
  o.athlete = athlete;
  o.linger = 0ms;
  o.heartbeat_period = 1h;  // heartbeats have their own tests (zmq_heartbeat_test.cpp)
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
  // The subscription may have brought a snapshot (a probe again): probes are skipped below.

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
  pub.flush();
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
  pub.flush();  // publish() hands over to the socket thread; flush() waits until it has sent
  EXPECT_EQ(pub.sent(), 20000u);
  EXPECT_EQ(pub.dropped(), 0u);
}

/// Receives and checks sequences in its own thread until told to stop.
class DrainingSubscriber {
 public:
  explicit DrainingSubscriber(const std::string& endpoint)
      : sub_(endpoint, "runner-7/step", 100000), thread_([this] { loop(); }) {}
  ~DrainingSubscriber() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::uint64_t received() const { return received_.load(); }
  std::uint64_t lost() const { return lost_.load(); }
  std::uint64_t last_sequence() const { return last_sequence_.load(); }

 private:
  void loop() {
    SequenceTracker tracker;
    while (!stop_) {
      const auto msg = sub_.receive(5ms);
      if (!msg) continue;
      const auto sequence = decode_event(msg->payload).envelope.sequence;
      if (tracker.observe(msg->topic, sequence).repeat) continue;
      last_sequence_ = sequence;
      ++received_;
      lost_ = tracker.lost();
    }
  }
  ZmqSubscriber sub_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> received_{0}, lost_{0}, last_sequence_{0};
  std::thread thread_;
};

/// A subscriber that stops reading; small socket buffers so that its queue
/// fills after a short run rather than after megabytes of kernel buffering.
struct StalledSubscriber {
  zmq::context_t context;
  zmq::socket_t socket{context, zmq::socket_type::sub};
  explicit StalledSubscriber(const std::string& endpoint) {
    socket.set(zmq::sockopt::rcvhwm, 1);
    socket.set(zmq::sockopt::rcvbuf, 4096);
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::subscribe, "runner-7/step");
    socket.connect(endpoint);
  }
  /// The next step's sequence number, if one comes within `timeout`.
  std::optional<std::uint64_t> next_sequence(std::chrono::milliseconds timeout) {
    zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, timeout) == 0) return std::nullopt;
    zmq::message_t topic, payload;
    (void)socket.recv(topic);
    (void)socket.recv(payload);
    return decode_event(std::span(payload.data<std::uint8_t>(), payload.size())).envelope.sequence;
  }
};

TEST(ZmqPublisher, StalledSubscriberLosesOnlyItsOwnMessagesAndNeverBlocksPublish) {
  auto options = loopback_options();
  options.send_hwm = 10000;  // deep enough for the healthy reader on a loaded machine
  ZmqPublisher pub(options);
  StalledSubscriber stalled(pub.endpoint());
  DrainingSubscriber healthy(pub.endpoint());
  // Both connected once each has a step; from then on `stalled` reads nothing.
  bool connected = false;
  for (int i = 0; i < 500 && !connected; ++i) {
    pub.publish(test::sample_step());
    connected = stalled.next_sequence(10ms).has_value() && healthy.received() > 0;
  }
  ASSERT_TRUE(connected);
  pub.flush();
  const std::uint64_t published_before = pub.sent();

  // Enough to fill the stalled subscriber's buffers and queue many times
  // over; bursts leave the healthy reader time to keep up. If publish()
  // blocked on the stalled subscriber, this loop would not end.
  constexpr std::uint64_t bursts = 1500, burst = 100;
  for (std::uint64_t b = 0; b < bursts; ++b) {
    for (std::uint64_t i = 0; i < burst; ++i) pub.publish(test::sample_step());
    std::this_thread::sleep_for(1ms);
  }
  const std::uint64_t published = bursts * burst;
  pub.flush();
  EXPECT_EQ(pub.sent(), published_before + published);
  EXPECT_EQ(pub.dropped(), 0u) << "ZeroMQ took every event: the losses are the stalled subscriber's alone";

  // The healthy subscriber got everything published after it connected: no gap, nothing missing at the end.
  const auto last_sequence = published_before + published - 1;  // steps are the only kind published
  EXPECT_TRUE(test::eventually([&] { return healthy.last_sequence() == last_sequence; }, 20s))
      << "healthy subscriber's last step " << healthy.last_sequence() << ", published up to " << last_sequence;
  healthy.stop();
  EXPECT_GE(healthy.received(), published);
  EXPECT_EQ(healthy.lost(), 0u);

  // The stalled subscriber, reading again, gets what was queued for it; once
  // its queue has room, later steps arrive after a gap in the sequence: its own loss.
  SequenceTracker tracker;
  std::uint64_t got = 0;
  auto drain = [&] {
    while (const auto sequence = stalled.next_sequence(200ms)) {
      tracker.observe("runner-7/step", *sequence);
      ++got;
    }
  };
  drain();
  for (int i = 0; i < 5; ++i) pub.publish(test::sample_step());
  drain();
  EXPECT_GT(tracker.lost(), 0u) << "no gap although " << published << " events went to a stalled subscriber";
  EXPECT_LT(got, published);
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
