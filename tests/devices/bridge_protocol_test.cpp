// The open bridge protocol codec: framing, CRC, resynchronisation, sequence
// gaps, and every message's body round trip and rejection of malformed bodies.

#include <gtest/gtest.h>

#include "bridge/bridge_protocol.hpp"

namespace {

using namespace stridefuse::bridge;

std::vector<BridgeFrame> decode_all(std::span<const std::uint8_t> bytes, FrameDecoder& d, std::size_t piece = 0) {
  std::vector<BridgeFrame> out;
  if (piece == 0) piece = bytes.size();
  for (std::size_t i = 0; i < bytes.size(); i += piece)
    d.feed(bytes.subspan(i, std::min(piece, bytes.size() - i)), [&](const BridgeFrame& f) { out.push_back(f); });
  return out;
}

TEST(BridgeProtocol, CrcIsCcittFalse) {
  // The standard check value of CRC-16/CCITT-FALSE over "123456789".
  const std::string check = "123456789";
  EXPECT_EQ(crc16({reinterpret_cast<const std::uint8_t*>(check.data()), check.size()}), 0x29B1);
}

TEST(BridgeProtocol, FrameLayoutMatchesTheSpecification) {
  std::vector<std::uint8_t> out;
  append_frame(BridgeFrame{MessageType::hello, 7, {1, 0}}, out);
  // 'S' 'F', length 4 (type, sequence, 2 body bytes), type, sequence, body, crc.
  ASSERT_EQ(out.size(), 10u);
  EXPECT_EQ(out[0], 0x53);
  EXPECT_EQ(out[1], 0x46);
  EXPECT_EQ(out[2], 4);
  EXPECT_EQ(out[3], 0);
  EXPECT_EQ(out[4], 0x01);
  EXPECT_EQ(out[5], 7);
  const std::uint16_t crc = crc16(std::span(out).subspan(2, 6));
  EXPECT_EQ(out[8], crc & 0xFF);
  EXPECT_EQ(out[9], crc >> 8);
}

TEST(BridgeProtocol, FramesSurviveAnySplitting) {
  std::vector<std::uint8_t> bytes;
  FrameWriter w;
  for (int i = 0; i < 20; ++i)
    w.append(MessageType::notification, Notification{1, 0xFF11, static_cast<std::uint32_t>(i), {1, 2, 3}}.encode(),
             bytes);
  for (std::size_t piece : {1u, 3u, 7u, 64u, 0u}) {
    FrameDecoder d;
    const auto frames = decode_all(bytes, d, piece);
    ASSERT_EQ(frames.size(), 20u) << piece;
    EXPECT_EQ(d.counters().bytes_skipped, 0u);
    EXPECT_EQ(frames[19].sequence, 19);
  }
}

TEST(BridgeProtocol, CorruptFramesAreCountedAndTheNextOneIsFound) {
  std::vector<std::uint8_t> bytes;
  FrameWriter w;
  for (int i = 0; i < 3; ++i) w.append(MessageType::ack, Ack{0, MessageType::scan}.encode(), bytes);
  bytes[7] ^= 0xFF;  // body of the first frame
  std::vector<std::uint8_t> with_garbage = {0x53, 0x00, 0xFF, 0x53, 0x46, 0xFF, 0xFF};  // bad sync, bad length
  with_garbage.insert(with_garbage.end(), bytes.begin(), bytes.end());
  FrameDecoder d;
  const auto frames = decode_all(with_garbage, d);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(d.counters().bad_crc, 1u);
  EXPECT_EQ(d.counters().bad_length, 1u);
  EXPECT_GT(d.counters().bytes_skipped, 0u);
  EXPECT_EQ(d.counters().sequence_gaps, 0u) << "first good frame starts the count";
}

TEST(BridgeProtocol, SequenceGapsCountLostFramesAcrossWrap) {
  std::vector<std::uint8_t> bytes;
  for (int seq : {254, 255, 2, 3})
    append_frame(BridgeFrame{MessageType::ack, static_cast<std::uint8_t>(seq), Ack{}.encode()}, bytes);
  FrameDecoder d;
  EXPECT_EQ(decode_all(bytes, d).size(), 4u);
  EXPECT_EQ(d.counters().sequence_gaps, 2u);  // 0 and 1 never arrived
}

TEST(BridgeProtocol, ACorruptFrameIsCountedOnceNotAlsoAsLost) {
  std::vector<std::uint8_t> bytes;
  FrameWriter w;
  std::vector<std::size_t> starts;
  for (int i = 0; i < 10; ++i) {
    starts.push_back(bytes.size());
    w.append(MessageType::notification, Notification{1, 0xFF11, static_cast<std::uint32_t>(i), {1, 2, 3}}.encode(),
             bytes);
  }
  bytes[starts[2] + 8] ^= 0x40;  // frame 2's body
  bytes[starts[5] + 2] ^= 0x01;  // frame 5's length
  bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(starts[7]),
              bytes.begin() + static_cast<std::ptrdiff_t>(starts[8]));  // frame 7 never arrives
  FrameDecoder d;
  EXPECT_EQ(decode_all(bytes, d).size(), 7u);
  EXPECT_EQ(d.counters().corrupt_frames, 2u);
  EXPECT_EQ(d.counters().sequence_gaps, 1u) << "only the frame that never came is lost";
  EXPECT_EQ(d.counters().frames + d.counters().corrupt_frames + d.counters().sequence_gaps, 10u);
}

TEST(BridgeProtocol, NoiseBetweenFramesIsNoFrame) {
  std::vector<std::uint8_t> bytes;
  FrameWriter w;
  w.append(MessageType::ack, Ack{0, MessageType::scan}.encode(), bytes);
  // A sync word with a length that does not fit, then one whose CRC fails: no frame is missing.
  const std::vector<std::uint8_t> noise{0x53, 0x46, 0xFF, 0xFF, 0x53, 0x46, 0x02, 0x00, 0x80, 0x00, 0x00, 0x00};
  bytes.insert(bytes.end(), noise.begin(), noise.end());
  w.append(MessageType::ack, Ack{0, MessageType::scan}.encode(), bytes);
  FrameDecoder d;
  EXPECT_EQ(decode_all(bytes, d).size(), 2u);
  EXPECT_EQ(d.counters().corrupt_frames, 0u);
  EXPECT_EQ(d.counters().sequence_gaps, 0u);
  EXPECT_EQ(d.counters().bytes_skipped, noise.size());
}

TEST(BridgeProtocol, OversizedBodiesAreRefused) {
  std::vector<std::uint8_t> out;
  EXPECT_THROW(append_frame(BridgeFrame{MessageType::write, 0, std::vector<std::uint8_t>(max_body_bytes + 1)}, out),
               std::invalid_argument);
}

TEST(BridgeProtocol, MessagesRoundTrip) {
  HelloReply hr{9, 1, 0, 32768, 32, 8, "fw 1.2"};
  const auto hr2 = HelloReply::parse(hr.encode());
  ASSERT_TRUE(hr2);
  EXPECT_EQ(hr2->request_sequence, 9);
  EXPECT_EQ(hr2->tick_rate_hz, 32768u);
  EXPECT_EQ(hr2->firmware, "fw 1.2");

  ScanResult sr;
  sr.advert = {"C0:5F:00:00:00:01", "SFI-L-265", -66, {0xFF10, 0x180F}};
  const auto sr2 = ScanResult::parse(sr.encode());
  ASSERT_TRUE(sr2);
  EXPECT_EQ(sr2->advert.address, "C0:5F:00:00:00:01");
  EXPECT_EQ(sr2->advert.name, "SFI-L-265");
  EXPECT_EQ(sr2->advert.rssi_dbm, -66);
  EXPECT_EQ(sr2->advert.service_uuids, (std::vector<std::uint16_t>{0xFF10, 0x180F}));

  const auto c = Connected::parse(Connected{3, 4, "AA:BB:CC:DD:EE:FF"}.encode());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->handle, 4);
  EXPECT_EQ(c->address, "AA:BB:CC:DD:EE:FF");

  const auto s = Subscribe::parse(Subscribe{2, 0x2A53, false}.encode());
  ASSERT_TRUE(s);
  EXPECT_EQ(s->characteristic, 0x2A53);
  EXPECT_FALSE(s->enable);

  std::uint8_t handle = 0;
  std::uint16_t characteristic = 0;
  std::uint32_t tick = 0;
  std::span<const std::uint8_t> value;
  const auto body = Notification{5, 0xFF21, 0xDEADBEEF, {9, 8, 7}}.encode();
  ASSERT_TRUE(Notification::parse(body, handle, characteristic, tick, value));
  EXPECT_EQ(handle, 5);
  EXPECT_EQ(characteristic, 0xFF21);
  EXPECT_EQ(tick, 0xDEADBEEFu);
  EXPECT_EQ(std::vector<std::uint8_t>(value.begin(), value.end()), (std::vector<std::uint8_t>{9, 8, 7}));

  const auto e = Error::parse(Error{1, MessageType::connect, ErrorCode::unknown_address, "gone"}.encode());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, ErrorCode::unknown_address);
  EXPECT_EQ(e->message, "gone");

  const auto st = SensorStatus::parse(SensorStatus{2, -70, 55}.encode());
  ASSERT_TRUE(st);
  EXPECT_EQ(st->rssi_dbm, -70);
  EXPECT_EQ(st->battery_pct, 55);
}

TEST(BridgeProtocol, MalformedBodiesAreRejected) {
  EXPECT_FALSE(Hello::parse(std::vector<std::uint8_t>{1}));
  EXPECT_FALSE(Hello::parse(std::vector<std::uint8_t>{1, 0, 0}));
  EXPECT_FALSE(HelloReply::parse(HelloReply{0, 1, 0, 0, 32, 1, ""}.encode())) << "zero tick rate";
  EXPECT_FALSE(Connect::parse(std::vector<std::uint8_t>{1, 2, 3}));
  EXPECT_FALSE(Disconnected::parse(std::vector<std::uint8_t>{1, 9})) << "unknown reason";
  EXPECT_FALSE(Subscribe::parse(std::vector<std::uint8_t>{1, 0x11, 0xFF, 2})) << "enable must be 0 or 1";
  EXPECT_FALSE(SensorStatus::parse(std::vector<std::uint8_t>{1, 0, 101})) << "battery above 100";
  auto sr = ScanResult{{"C0:5F:00:00:00:01", "abc", -1, {}}}.encode();
  sr[7] = 200;  // name length beyond the body
  EXPECT_FALSE(ScanResult::parse(sr));
  std::uint8_t h;
  std::uint16_t c;
  std::uint32_t t;
  std::span<const std::uint8_t> v;
  EXPECT_FALSE(Notification::parse(std::vector<std::uint8_t>{1, 2, 3}, h, c, t, v));
}

TEST(BridgeProtocol, AddressesParseStrictly) {
  EXPECT_TRUE(parse_address("aa:bb:cc:dd:ee:ff"));
  EXPECT_FALSE(parse_address("AA:BB:CC:DD:EE"));
  EXPECT_FALSE(parse_address("AA-BB-CC-DD-EE-FF"));
  EXPECT_FALSE(parse_address("GG:BB:CC:DD:EE:FF"));
  EXPECT_THROW(Connect{"nonsense"}.encode(), std::invalid_argument);
}

}  // namespace
