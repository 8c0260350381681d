// CURVE with a ZAP allow-list over loopback: a subscriber whose key is listed
// gets the events; one whose key is not gets nothing and the publisher logs
// the refusal naming the key. Key files and key checks.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>

#include "event_samples.hpp"
#include "stridefuse/runtime/curve_keys.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "zmq_loopback.hpp"

namespace stridefuse {
namespace {

using namespace std::chrono_literals;

/// Log lines the publisher wrote, from its ZAP thread.
struct CapturedLog {
  std::mutex mutex;
  std::vector<std::string> lines;
  std::function<void(const std::string&)> sink() {
    return [this](const std::string& line) {
      std::lock_guard lock(mutex);
      lines.push_back(line);
    };
  }
  bool mentions(const std::string& text) {
    std::lock_guard lock(mutex);
    for (const auto& l : lines)
      if (l.find(text) != std::string::npos) return true;
    return false;
  }
};

bool is_step(const std::string& topic) { return topic == "runner-7/step"; }

/// Publishes steps until `sub` gets one or `tries` run out.
bool step_arrives(ZmqPublisher& pub, ZmqSubscriber& sub, int tries) {
  for (int i = 0; i < tries; ++i) {
    pub.publish(test::sample_step());
    if (test::receive_where(sub, is_step, 10ms)) return true;
  }
  return false;
}

class ZmqCurve : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!curve_available()) GTEST_SKIP() << "libzmq without CURVE";
    server = make_curve_keypair();
    allowed = make_curve_keypair();
    stranger = make_curve_keypair();
  }
  ZmqPublisherOptions options() {
    auto o = test::loopback_publisher();
    o.curve = CurveServerOptions{server.secret_key, {allowed.public_key}};
    o.log = log.sink();
    return o;
  }
  ZmqSubscriberOptions subscriber(const std::string& endpoint, const CurveKeyPair& client) {
    return ZmqSubscriberOptions{endpoint, "runner-7/", 1000, CurveClientOptions{server.public_key, client.secret_key}};
  }
  CurveKeyPair server, allowed, stranger;
  CapturedLog log;
};

TEST_F(ZmqCurve, AllowedSubscriberReceivesEvents) {
  ZmqPublisher pub(options());
  ZmqSubscriber sub(subscriber(pub.endpoint(), allowed));
  ASSERT_TRUE(step_arrives(pub, sub, 500)) << "the allowed subscriber got nothing";
  EXPECT_EQ(pub.refused_subscribers(), 0u);
}

/// What the subscriber is told when the publisher refuses it (receive() throws SubscriberRefused).
std::string refusal_of(ZmqPublisher& pub, ZmqSubscriber& sub) {
  try {
    if (step_arrives(pub, sub, 300)) return "an event arrived";
  } catch (const SubscriberRefused& e) {
    return e.what();
  }
  return "nothing: no event, no refusal";
}

TEST_F(ZmqCurve, SubscriberNotOnTheAllowListGetsNothingIsToldAndIsLogged) {
  ZmqPublisher pub(options());
  ZmqSubscriber refused(subscriber(pub.endpoint(), stranger));
  const auto told = refusal_of(pub, refused);
  EXPECT_NE(told.find("refused this subscriber: its CURVE public key is not on the publisher's allow-list"),
            std::string::npos)
      << told;
  EXPECT_NE(told.find(pub.endpoint()), std::string::npos) << told;
  EXPECT_TRUE(test::eventually([&] { return pub.refused_subscribers() > 0; }, 3s));
  EXPECT_TRUE(log.mentions("refused a CURVE subscriber from 127.0.0.1"));
  EXPECT_TRUE(log.mentions(stranger.public_key)) << "the log line names the refused key";
  // The allowed one still gets in next to it.
  ZmqSubscriber sub(subscriber(pub.endpoint(), allowed));
  EXPECT_TRUE(step_arrives(pub, sub, 500));
}

// The case: a plaintext subscriber's refusal was logged nowhere.
TEST_F(ZmqCurve, PlainTextSubscriberGetsNothingIsToldWhyAndTheRefusalIsLogged) {
  ZmqPublisher pub(options());
  ZmqSubscriber plain(pub.endpoint(), "runner-7/");
  const auto told = refusal_of(pub, plain);
  EXPECT_NE(told.find("uses CURVE encryption"), std::string::npos) << told;
  EXPECT_TRUE(test::eventually([&] { return pub.refused_subscribers() > 0; }, 3s));
  // The address comes from the connection's descriptor, which libzmq may have
  // closed before the socket thread reads the monitor event: then the line
  // says "an unknown address", but it is still logged, with the reason.
  // Which side notices the mismatch first is a race inside libzmq: when the
  // subscriber hangs up first the publisher only sees a connection closed
  // mid-handshake, and says so (naming a plaintext subscriber as one cause).
  EXPECT_TRUE(test::eventually([&] {
    return log.mentions("it does not use CURVE (a plaintext subscriber)") ||
           log.mentions("it closed the connection during the CURVE handshake (a subscriber without CURVE");
  }, 3s));
  EXPECT_TRUE(log.mentions("refused a subscriber from 127.0.0.1:") || log.mentions("refused a subscriber from an unknown address"));
}

TEST_F(ZmqCurve, ASubscriberWithAnotherServerKeyIsToldAndLogged) {
  ZmqPublisher pub(options());
  auto wrong = subscriber(pub.endpoint(), allowed);
  wrong.curve->server_public_key = stranger.public_key;
  ZmqSubscriber sub(wrong);
  const auto told = refusal_of(pub, sub);
  EXPECT_NE(told.find("closed the connection during the CURVE handshake"), std::string::npos) << told;
  EXPECT_TRUE(test::eventually([&] { return log.mentions("another server key"); }, 3s));
}

TEST_F(ZmqCurve, BadKeysAreRejectedUpFront) {
  auto o = options();
  o.curve->secret_key = "short";
  EXPECT_THROW(ZmqPublisher{o}, std::invalid_argument);
  o = options();
  o.curve->allowed_keys.clear();
  EXPECT_THROW(ZmqPublisher{o}, std::invalid_argument);
  o = options();
  o.curve->allowed_keys.push_back(std::string(40, '"'));  // not Z85
  EXPECT_THROW(ZmqPublisher{o}, std::invalid_argument);
  auto s = subscriber("tcp://127.0.0.1:1", allowed);
  s.curve->server_public_key = "x";
  EXPECT_THROW(ZmqSubscriber{s}, std::invalid_argument);
  EXPECT_EQ(curve_public_key(allowed.secret_key), allowed.public_key);
}

TEST_F(ZmqCurve, KeyFilesSkipCommentsAndNameTheBadLine) {
  const auto dir = std::filesystem::temp_directory_path() / ("stridefuse-curve-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "secret") << "# the publisher's secret key\n\n  " << server.secret_key << "  \n";
    std::ofstream(dir / "allow") << "# lab laptop\n" << allowed.public_key << "\n" << stranger.public_key << "\n";
    std::ofstream(dir / "bad") << allowed.public_key << "\nnot-a-key\n";
    std::ofstream(dir / "empty") << "# nobody\n";
  }
  EXPECT_EQ(read_curve_secret_file(dir / "secret"), server.secret_key);
  EXPECT_EQ(read_curve_allow_file(dir / "allow"), (std::vector<std::string>{allowed.public_key, stranger.public_key}));
  try {
    (void)read_curve_allow_file(dir / "bad");
    FAIL() << "a malformed key was read";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_curve_allow_file(dir / "empty"), std::invalid_argument);
  EXPECT_THROW(read_curve_secret_file(dir / "allow"), std::invalid_argument);  // two keys
  EXPECT_THROW(read_curve_secret_file(dir / "missing"), std::runtime_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace stridefuse
