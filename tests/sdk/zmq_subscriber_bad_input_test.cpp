// Bad input on the subscriber path: a raw sender on the port (not our
// publisher) sends truncated, garbage, empty and wrong-version payloads. Each
// is received whole and rejected by the decoder with a message naming the
// problem; the good message after them still arrives.

#include <gtest/gtest.h>

#include <zmq.hpp>

#include "event_samples.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/publisher_heartbeat.hpp"
#include "zmq_loopback.hpp"

namespace stridefuse {
namespace {

using namespace std::chrono_literals;

struct RawSender {
  zmq::context_t context;
  zmq::socket_t socket{context, zmq::socket_type::pub};
  std::string endpoint;
  RawSender() {
    socket.set(zmq::sockopt::linger, 0);
    socket.bind("tcp://127.0.0.1:*");
    endpoint = socket.get(zmq::sockopt::last_endpoint);
  }
  void send(const std::string& topic, const std::vector<std::uint8_t>& payload) {
    socket.send(zmq::buffer(topic), zmq::send_flags::sndmore);
    socket.send(zmq::buffer(payload), zmq::send_flags::none);
  }
};

/// A good message with its schemaMajor replaced. The field is the first
/// UInt16 of the root struct's data section: after the 8-byte segment table
/// and the 8-byte root pointer.
std::vector<std::uint8_t> with_schema_major(std::vector<std::uint8_t> bytes, std::uint16_t major) {
  bytes.at(16) = static_cast<std::uint8_t>(major & 0xff);
  bytes.at(17) = static_cast<std::uint8_t>(major >> 8);
  return bytes;
}

std::string rejection(const std::vector<std::uint8_t>& payload) {
  try {
    (void)decode_event(payload);
  } catch (const EventDecodeError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(ZmqSubscriberBadInput, EachBadPayloadIsRejectedByNameAndTheStreamGoesOn) {
  RawSender raw;
  ZmqSubscriber sub(raw.endpoint, "x/");
  const auto good = encode_event(test::sample_session_end(), "x", 7);
  ASSERT_TRUE(test::eventually(
      [&] {
        raw.send("x/probe", good);
        return sub.receive(5ms).has_value();
      },
      5s));
  while (sub.receive(50ms)) {
  }

  const std::vector<std::pair<std::vector<std::uint8_t>, std::string>> bad{
      {std::vector<std::uint8_t>(good.begin(), good.begin() + 24), "ends prematurely"},
      {std::vector<std::uint8_t>(good.begin(), good.end() - 3), "not a whole number of 8-byte words"},
      {std::vector<std::uint8_t>(64, 0xAB), "malformed"},
      {{}, "empty"},
      {with_schema_major(good, 2), "schema major version 2"},
  };
  for (const auto& [payload, _] : bad) raw.send("x/bad", payload);
  raw.send("x/session_end", good);

  for (const auto& [payload, what] : bad) {
    auto msg = sub.receive(2s);
    ASSERT_TRUE(msg) << "lost the message meant to be '" << what << "'";
    EXPECT_EQ(msg->payload, payload);
    const auto error = rejection(msg->payload);
    EXPECT_NE(error.find(what), std::string::npos) << "expected '" << what << "', got: " << error;
    EXPECT_THROW(decode_heartbeat(msg->payload), EventDecodeError);
  }
  auto next = sub.receive(2s);
  ASSERT_TRUE(next);
  EXPECT_EQ(std::get<SessionEndEvent>(decode_event(next->payload).event).steps, 5321u);
  EXPECT_EQ(with_schema_major(good, 1), good) << "the patched offset is not schemaMajor";
}

}  // namespace
}  // namespace stridefuse
