// The XSUB/XPUB proxy: two fusion nodes (athletes) publish into it, one
// subscriber reads both, or one athlete by prefix; late joiners behind the
// proxy still get each publisher's snapshot; stop() ends run().

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "event_samples.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/zmq_event_proxy.hpp"
#include "zmq_loopback.hpp"

namespace stridefuse {
namespace {

using namespace std::chrono_literals;

/// A proxy running in its own thread until destroyed.
struct RunningProxy {
  ZmqEventProxy proxy{"tcp://127.0.0.1:*", "tcp://127.0.0.1:*"};
  std::thread thread{[this] { proxy.run(); }};
  ~RunningProxy() {
    proxy.stop();
    thread.join();
  }
};

ZmqPublisherOptions into(const RunningProxy& p, const std::string& athlete) {
  auto o = test::loopback_publisher(athlete);
  o.endpoint = p.proxy.xsub_endpoint();
  o.connect = true;
  o.heartbeat_period = 1h;
  return o;
}

TEST(ZmqEventProxy, TwoPublishersOneSubscriber) {
  RunningProxy p;
  ZmqPublisher a(into(p, "runner-a")), b(into(p, "runner-b"));
  ZmqSubscriber all(p.proxy.xpub_endpoint(), "");
  std::set<std::string> athletes;
  for (int i = 0; i < 1000 && athletes.size() < 2; ++i) {
    a.publish(test::sample_step());
    b.publish(test::sample_step());
    while (auto msg = all.receive(5ms)) {
      const auto d = decode_event(msg->payload);
      EXPECT_EQ(msg->topic, d.envelope.athlete + "/step");
      athletes.insert(d.envelope.athlete);
    }
  }
  EXPECT_EQ(athletes, (std::set<std::string>{"runner-a", "runner-b"}));
}

TEST(ZmqEventProxy, PrefixSelectsOneAthleteAndSnapshotsPassThrough) {
  RunningProxy p;
  ZmqPublisher a(into(p, "runner-a")), b(into(p, "runner-b"));
  a.publish(test::sample_session_start());
  b.publish(test::sample_session_start());
  // Connected late, behind the proxy: the subscription travels up to both
  // publishers, and only runner-b's snapshot matches it.
  ZmqSubscriber only_b(p.proxy.xpub_endpoint(), "runner-b/");
  auto msg = test::receive_where(only_b, [](const std::string&) { return true; }, 5s);
  ASSERT_TRUE(msg) << "no snapshot through the proxy";
  EXPECT_EQ(msg->topic, "runner-b/session_start");
  for (int i = 0; i < 50; ++i) {
    a.publish(test::sample_step());
    b.publish(test::sample_step());
  }
  while (auto more = only_b.receive(100ms)) EXPECT_EQ(more->topic.rfind("runner-b/", 0), 0u) << more->topic;
}

TEST(ZmqEventProxy, StopBeforeRunReturnsAtOnceAndBadEndpointsAreNamed) {
  ZmqEventProxy proxy("tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
  proxy.stop();
  proxy.stop();
  proxy.run();  // returns: the stop is waiting for it
  EXPECT_THROW((ZmqEventProxy{"x", "y"}), std::invalid_argument);
  try {
    ZmqEventProxy clash(proxy.xsub_endpoint(), "tcp://127.0.0.1:*");
    FAIL() << "bound an endpoint in use";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(proxy.xsub_endpoint()), std::string::npos) << e.what();
  }
  EXPECT_THROW((ZmqEventProxy{"tcp://127.0.0.1:5", "tcp://127.0.0.1:5"}), std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse
