// Protocol 1.1 (drivers/bridge/PROTOCOL.md) as the reference emulator speaks
// it and the host's request tracker uses it: SCAN_DONE, CONNECT that is
// idempotent and says out_of_range, the negotiated minor (a 1.0 bridge gets
// none of 1.1), and requests retried when their answer is lost.

#include <gtest/gtest.h>

#include "emulated_bridge_host.hpp"
#include "bridge/pending_requests.hpp"
#include "stridefuse/runtime/devices.hpp"

namespace {

using namespace stridefuse;
using namespace stridefuse::bridge;

// The emulator speaking 1.1, or a 1.0 bridge (minor 0).
struct NegotiatingHost : EmulatedBridgeHost {
  explicit NegotiatingHost(std::uint8_t bridge_minor = protocol_minor) : EmulatedBridgeHost(config(bridge_minor)) {}
  static BridgeEmulatorConfig config(std::uint8_t minor) {
    BridgeEmulatorConfig c;
    c.minor = minor;
    return c;
  }
  std::string first_address() {
    request(MessageType::scan, Scan{100}.encode());
    return ScanResult::parse(take(MessageType::scan_result).at(0).body)->advert.address;
  }
};

TEST(BridgeProtocol11, HelloNegotiatesTheLowerMinor) {
  NegotiatingHost h11;
  h11.request(MessageType::hello, Hello{1, 1}.encode());
  EXPECT_EQ(HelloReply::parse(h11.take(MessageType::hello_reply).at(0).body)->minor, 1);
  NegotiatingHost h10(0);
  h10.request(MessageType::hello, Hello{1, 1}.encode());
  EXPECT_EQ(HelloReply::parse(h10.take(MessageType::hello_reply).at(0).body)->minor, 0);
  NegotiatingHost host10_to_11;
  host10_to_11.request(MessageType::hello, Hello{1, 0}.encode());
  EXPECT_EQ(HelloReply::parse(host10_to_11.take(MessageType::hello_reply).at(0).body)->minor, 0);
}

TEST(BridgeProtocol11, AScanEndsWithScanDoneIn11AndSilentlyIn10) {
  NegotiatingHost h;
  h.request(MessageType::hello, Hello{}.encode());
  const auto seq = h.request(MessageType::scan, Scan{200}.encode());
  h.emulator.advance(0.1);
  h.pump();
  EXPECT_TRUE(h.take(MessageType::scan_done).empty()) << "not before the duration";
  h.emulator.advance(0.25);
  h.pump();
  const auto done = h.take(MessageType::scan_done);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(ScanDone::parse(done[0].body)->request_sequence, seq);
  EXPECT_EQ(ScanDone::parse(done[0].body)->advertisers, 3);

  NegotiatingHost old(0);
  old.request(MessageType::hello, Hello{}.encode());
  old.request(MessageType::scan, Scan{200}.encode());
  old.emulator.advance(0.5);
  old.pump();
  EXPECT_TRUE(old.take(MessageType::scan_done).empty()) << "a 1.0 host must not get a type it did not negotiate";
}

TEST(BridgeProtocol11, ConnectingAConnectedAddressGivesTheSameHandle) {
  NegotiatingHost h;
  h.request(MessageType::hello, Hello{}.encode());
  const auto address = h.first_address();
  h.request(MessageType::connect, Connect{address}.encode());
  h.request(MessageType::connect, Connect{address}.encode());
  const auto answers = h.take(MessageType::connected);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(Connected::parse(answers[0].body)->handle, Connected::parse(answers[1].body)->handle);
  EXPECT_EQ(h.emulator.connections().size(), 1u);
}

TEST(BridgeProtocol11, ANewConnectionsFirstStatusFollowsItsConnected) {
  // So that a host whose CONNECTED was lost hears of the handle at once (3.1), not a second later.
  NegotiatingHost h;
  h.request(MessageType::hello, Hello{}.encode());
  const auto address = h.first_address();
  h.request(MessageType::connect, Connect{address}.encode());
  h.emulator.advance(0.01);
  h.pump();
  const auto connected = h.take(MessageType::connected);
  ASSERT_EQ(connected.size(), 1u);
  const auto statuses = h.take(MessageType::sensor_status);
  ASSERT_EQ(statuses.size(), 1u) << "within 10 ms of the CONNECTED, not at the one-second tick";
  EXPECT_EQ(SensorStatus::parse(statuses[0].body)->handle, Connected::parse(connected[0].body)->handle);
}

TEST(BridgeProtocol11, ASensorOutOfRangeIsRefusedUntilItIsBack) {
  NegotiatingHost h;
  h.request(MessageType::hello, Hello{}.encode());
  const auto address = h.first_address();
  h.request(MessageType::connect, Connect{address}.encode());
  const auto handle = Connected::parse(h.take(MessageType::connected).at(0).body)->handle;
  h.emulator.drop_link(handle, 2.0);
  h.pump();
  EXPECT_EQ(Disconnected::parse(h.take(MessageType::disconnected).at(0).body)->reason, DisconnectReason::link_lost);
  h.request(MessageType::connect, Connect{address}.encode());
  const auto refused = h.take(MessageType::error);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(Error::parse(refused[0].body)->code, ErrorCode::out_of_range);
  h.emulator.advance(2.5);
  h.request(MessageType::connect, Connect{address}.encode());
  const auto back = h.take(MessageType::connected);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_NE(Connected::parse(back[0].body)->handle, handle) << "handles do not survive a lost link";
}

TEST(BridgeProtocol11, A10BridgeRefusesAnOutOfRangeSensorAsUnknown) {
  NegotiatingHost h(0);
  h.request(MessageType::hello, Hello{}.encode());
  const auto address = h.first_address();
  h.request(MessageType::connect, Connect{address}.encode());
  const auto handle = Connected::parse(h.take(MessageType::connected).at(0).body)->handle;
  h.emulator.drop_link(handle, 2.0);
  h.request(MessageType::connect, Connect{address}.encode());
  EXPECT_EQ(Error::parse(h.take(MessageType::error).at(0).body)->code, ErrorCode::unknown_address);
}

TEST(BridgeProtocol11, ALostReplyLeavesAGapInTheBridgeSequence) {
  NegotiatingHost h;
  h.request(MessageType::hello, Hello{}.encode());
  EXPECT_EQ(h.take(MessageType::hello_reply).size(), 1u);
  h.emulator.lose_next(MessageType::hello_reply);
  h.request(MessageType::hello, Hello{}.encode());
  EXPECT_TRUE(h.take(MessageType::hello_reply).empty());
  h.request(MessageType::hello, Hello{}.encode());
  EXPECT_EQ(h.take(MessageType::hello_reply).size(), 1u);
  EXPECT_EQ(h.decoder.counters().sequence_gaps, 1u);
}

TEST(BridgeProtocol11, ATcpBridgeWithoutAPortIsOnTheDefaultPort) {
  try {
    const auto t = open_transport("tcp:127.0.0.1");
    EXPECT_EQ(t->describe(), "tcp:127.0.0.1:5557");  // something listens there: it is the port tried
  } catch (const TransportError& e) {
    EXPECT_NE(std::string(e.what()).find("tcp:127.0.0.1:5557"), std::string::npos) << e.what();
  }
}

TEST(PendingRequests, AnOverdueRequestIsSentAgainThenGivenUp) {
  PendingRequests pending(RetryPolicy{0.5, 2.0, 3, 2});
  FrameWriter writer;
  std::vector<std::uint8_t> out;
  pending.add(MessageType::subscribe, Subscribe{1, 0x2A37, true}.encode(), 7);
  EXPECT_TRUE(pending.send_due(writer, out, 0.0).empty());
  const auto first = out.size();
  EXPECT_GT(first, 0u);
  EXPECT_TRUE(pending.send_due(writer, out, 0.4).empty());
  EXPECT_EQ(out.size(), first) << "not overdue yet";
  EXPECT_TRUE(pending.send_due(writer, out, 0.6).empty());
  EXPECT_EQ(out.size(), 2 * first) << "the retry: the same body in a new frame";
  EXPECT_TRUE(pending.send_due(writer, out, 1.2).empty());
  const auto given_up = pending.send_due(writer, out, 1.8);
  ASSERT_EQ(given_up.size(), 1u);
  EXPECT_EQ(given_up[0].owner, 7u);
  EXPECT_EQ(given_up[0].attempts, 3u);
  EXPECT_TRUE(pending.empty());
}

TEST(PendingRequests, AnAnswerToAnyAttemptAnswersTheRequest) {
  PendingRequests pending;
  FrameWriter writer;
  std::vector<std::uint8_t> out;
  pending.add(MessageType::connect, Connect{"C0:FF:EE:00:00:0B"}.encode(), 2);
  pending.send_due(writer, out, 0.0);  // sequence 0
  pending.send_due(writer, out, 2.5);  // overdue: sequence 1
  EXPECT_FALSE(pending.take_answered(5));
  const auto answered = pending.take_answered(0);  // the first attempt's answer, late
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->type, MessageType::connect);
  EXPECT_EQ(answered->sequences, (std::vector<std::uint8_t>{0, 1}));
  EXPECT_TRUE(pending.empty());
}

TEST(PendingRequests, AHurriedRequestIsSentAgainAtOnceWithoutUsingAnAttempt) {
  // connect_attempts 2: two attempts on timeouts, and two sends hurried on evidence.
  PendingRequests pending(RetryPolicy{0.5, 2.0, 4, 2});
  FrameWriter writer;
  std::vector<std::uint8_t> out;
  pending.add(MessageType::connect, Connect{"C0:FF:EE:00:00:0B"}.encode(), 1);
  pending.hurry(MessageType::connect);
  EXPECT_EQ(pending.outstanding(MessageType::connect), 0u) << "queued, not sent: nothing to hurry yet";
  pending.send_due(writer, out, 0.0);
  const auto connect_frame = out.size();
  pending.add(MessageType::subscribe, Subscribe{1, 0x2A37, true}.encode(), 2);
  pending.send_due(writer, out, 0.0);
  const auto both_sent = out.size();
  EXPECT_EQ(pending.outstanding(MessageType::connect), 1u);
  EXPECT_EQ(pending.outstanding(MessageType::subscribe), 1u);
  pending.hurry(MessageType::connect);
  EXPECT_TRUE(pending.send_due(writer, out, 0.1).empty());
  EXPECT_EQ(out.size(), both_sent + connect_frame) << "the CONNECT again, 1.9 s before its deadline; the SUBSCRIBE waits";
  ASSERT_TRUE(pending.take_answered(1)) << "the SUBSCRIBE's answer (sequence 1): only the CONNECT is left";
  EXPECT_TRUE(pending.send_due(writer, out, 2.0).empty()) << "its deadline started again at 0.1 s";
  EXPECT_TRUE(pending.send_due(writer, out, 2.2).empty());
  EXPECT_EQ(out.size(), both_sent + 2 * connect_frame) << "the second attempt: the hurried send was not one";
  pending.hurry(MessageType::connect);  // its last attempt is out: a hurried send still goes
  EXPECT_TRUE(pending.send_due(writer, out, 2.3).empty());
  EXPECT_EQ(out.size(), both_sent + 3 * connect_frame);
  pending.hurry(MessageType::connect);  // hurried as often as it has attempts (2): no more
  EXPECT_TRUE(pending.send_due(writer, out, 2.4).empty());
  EXPECT_EQ(out.size(), both_sent + 3 * connect_frame);
  const auto given_up = pending.send_due(writer, out, 4.4);
  ASSERT_EQ(given_up.size(), 1u) << "unanswered 2 s after its last send: given up after its 2 attempts";
  EXPECT_EQ(given_up[0].attempts, 2u);
  EXPECT_EQ(given_up[0].sequences.size(), 4u);
}

}  // namespace
