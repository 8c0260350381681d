// The reference bridge emulator speaking the protocol, seen from a host:
// version negotiation, scanning, connecting, errors, several sensors at once.

#include <gtest/gtest.h>

#include "emulated_bridge_host.hpp"

namespace {

using namespace stridefuse;
using namespace stridefuse::bridge;

using Host = EmulatedBridgeHost;

TEST(BridgeEmulator, RequestsBeforeHelloAreRefused) {
  Host h;
  h.request(MessageType::scan, Scan{100}.encode());
  const auto errors = h.take(MessageType::error);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(Error::parse(errors[0].body)->code, ErrorCode::not_ready);
}

TEST(BridgeEmulator, NegotiatesTheVersionAndRefusesAnotherMajor) {
  Host h;
  const auto seq = h.request(MessageType::hello, Hello{1, 7}.encode());
  const auto replies = h.take(MessageType::hello_reply);
  ASSERT_EQ(replies.size(), 1u);
  const auto r = HelloReply::parse(replies[0].body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->request_sequence, seq);
  EXPECT_EQ(r->major, 1);
  EXPECT_EQ(r->minor, protocol_minor) << "the lower of both minors (the emulator speaks 1.0 .. 1.1)";
  EXPECT_EQ(r->tick_rate_hz, 32768u);

  Host other;
  other.request(MessageType::hello, Hello{2, 0}.encode());
  const auto errors = other.take(MessageType::error);
  ASSERT_EQ(errors.size(), 1u);
  const auto e = Error::parse(errors[0].body);
  EXPECT_EQ(e->code, ErrorCode::unsupported_version);
  EXPECT_NE(e->message.find("1.0"), std::string::npos) << e->message;
}

TEST(BridgeEmulator, ScanConnectSubscribeAndNotificationsFromSeveralSensors) {
  Host h;
  h.request(MessageType::hello, Hello{}.encode());
  h.request(MessageType::scan, Scan{500}.encode());
  const auto results = h.take(MessageType::scan_result);
  ASSERT_EQ(results.size(), 3u) << "pelvis IMU and two insoles (treadmill runner: no footpod)";
  EXPECT_EQ(h.take(MessageType::ack).size(), 1u) << "the scan's";
  std::vector<std::uint8_t> handles;
  for (const auto& f : results) {
    const auto a = ScanResult::parse(f.body)->advert;
    h.request(MessageType::connect, Connect{a.address}.encode());
    const auto c = h.take(MessageType::connected);
    ASSERT_EQ(c.size(), 1u);
    const auto handle = Connected::parse(c[0].body)->handle;
    handles.push_back(handle);
    const std::uint16_t characteristic = a.name == "SFP-IMU" ? 0xFF21 : 0xFF11;
    h.request(MessageType::subscribe, Subscribe{handle, characteristic, true}.encode());
    h.request(MessageType::write, Write{handle, static_cast<std::uint16_t>(characteristic + 1), {1}}.encode());
    EXPECT_EQ(h.take(MessageType::ack).size(), 2u);
  }
  for (double t = 0.0; t <= 1.0; t += 0.01) {
    h.emulator.advance(t);
    h.pump();
  }
  std::map<std::uint8_t, int> per_handle;
  std::uint32_t last_tick = 0;
  for (const auto& f : h.take(MessageType::notification)) {
    std::uint8_t handle;
    std::uint16_t c;
    std::uint32_t tick;
    std::span<const std::uint8_t> v;
    ASSERT_TRUE(Notification::parse(f.body, handle, c, tick, v));
    EXPECT_GE(tick, last_tick) << "bridge ticks never go back";
    last_tick = tick;
    ++per_handle[handle];
  }
  EXPECT_EQ(per_handle.size(), 3u) << "all three sensors notify in the same second";
  EXPECT_NEAR(last_tick / 32768.0, 1.0, 0.05);
  EXPECT_GE(h.take(MessageType::sensor_status).size(), 3u);
  EXPECT_EQ(h.emulator.counters().errors_sent, 0u);
}

TEST(BridgeEmulator, ErrorsNameTheProblem) {
  Host h;
  h.request(MessageType::hello, Hello{}.encode());
  h.request(MessageType::connect, Connect{"11:22:33:44:55:66"}.encode());
  h.request(MessageType::subscribe, Subscribe{77, 0xFF11, true}.encode());
  h.request(MessageType::connect, std::vector<std::uint8_t>{1, 2});
  h.request(static_cast<MessageType>(0x42), {});
  const auto errors = h.take(MessageType::error);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(Error::parse(errors[0].body)->code, ErrorCode::unknown_address);
  EXPECT_EQ(Error::parse(errors[1].body)->code, ErrorCode::unknown_handle);
  EXPECT_EQ(Error::parse(errors[2].body)->code, ErrorCode::bad_body);
  EXPECT_EQ(Error::parse(errors[3].body)->code, ErrorCode::unknown_type);
}

TEST(BridgeEmulator, DropLinkReportsDisconnection) {
  Host h;
  h.request(MessageType::hello, Hello{}.encode());
  h.request(MessageType::scan, Scan{100}.encode());
  const auto a = ScanResult::parse(h.take(MessageType::scan_result).at(0).body)->advert;
  h.request(MessageType::connect, Connect{a.address}.encode());
  const auto handle = Connected::parse(h.take(MessageType::connected).at(0).body)->handle;
  h.emulator.drop_link(handle);
  h.pump();
  const auto d = h.take(MessageType::disconnected);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(Disconnected::parse(d[0].body)->reason, DisconnectReason::link_lost);
  EXPECT_TRUE(h.emulator.connections().empty());
}

}  // namespace
