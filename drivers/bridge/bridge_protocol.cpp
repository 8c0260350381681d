#include "bridge_protocol.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "stridefuse/core/byte_codec.hpp"

namespace stridefuse::bridge {
namespace {

using wire::ByteReader;
using wire::ByteWriter;

constexpr std::size_t header_bytes = 6;  // sync 2, length 2, type 1, sequence 1

void put_address(ByteWriter& w, const std::string& address) {
  const auto bytes = parse_address(address);
  if (!bytes) throw std::invalid_argument("bridge protocol: malformed BLE address '" + address + "'");
  w.bytes(*bytes);
}

std::string get_address(ByteReader& r) {
  const auto b = r.bytes(6);
  if (b.size() != 6) return {};
  return format_address(std::span<const std::uint8_t, 6>(b.data(), 6));
}

template <class T>
std::optional<T> finish(ByteReader& r, T value) {
  if (!r.done()) return std::nullopt;
  return value;
}

}  // namespace

bool is_known_type(std::uint8_t t) {
  switch (static_cast<MessageType>(t)) {
    case MessageType::hello: case MessageType::scan: case MessageType::connect: case MessageType::disconnect:
    case MessageType::subscribe: case MessageType::write: case MessageType::ack: case MessageType::hello_reply:
    case MessageType::scan_result: case MessageType::connected: case MessageType::disconnected:
    case MessageType::notification: case MessageType::sensor_status: case MessageType::scan_done:
    case MessageType::error:
      return true;
  }
  return false;
}

void append_frame(const BridgeFrame& frame, std::vector<std::uint8_t>& out) {
  if (frame.body.size() > max_body_bytes)
    throw std::invalid_argument("bridge frame body of " + std::to_string(frame.body.size()) + " bytes exceeds " +
                                std::to_string(max_body_bytes));
  const std::size_t start = out.size();
  ByteWriter w(out);
  w.u8(sync_0);
  w.u8(sync_1);
  w.u16(static_cast<std::uint16_t>(frame.body.size() + 2));
  w.u8(static_cast<std::uint8_t>(frame.type));
  w.u8(frame.sequence);
  w.bytes(frame.body);
  w.u16(crc16(std::span(out).subspan(start + 2)));
}

bool FrameDecoder::next(BridgeFrame& frame) {
  while (true) {
    const std::size_t available = buffer_.size() - read_;
    if (available < header_bytes) return false;
    const std::uint8_t* p = buffer_.data() + read_;
    if (p[0] != sync_0 || p[1] != sync_1) {
      ++read_;
      ++counters_.bytes_skipped;
      continue;
    }
    ByteReader header({p + 2, 2});
    const std::size_t length = header.u16();
    if (length < 2 || length > max_body_bytes + 2) {
      ++counters_.bad_length;
      ++damaged_since_frame_;
      ++read_;
      ++counters_.bytes_skipped;
      continue;
    }
    const std::size_t total = 4 + length + 2;
    if (available < total) return false;
    ByteReader trailer({p + 4 + length, 2});
    if (crc16({p + 2, 2 + length}) != trailer.u16()) {
      ++counters_.bad_crc;
      ++damaged_since_frame_;
      ++read_;
      ++counters_.bytes_skipped;
      continue;
    }
    frame.type = static_cast<MessageType>(p[4]);
    frame.sequence = p[5];
    frame.body.assign(p + 6, p + 4 + length);
    read_ += total;
    if (expected_sequence_ >= 0) {
      // A damaged frame and the gap it leaves are one loss, not two. Damage
      // that is no missing frame (noise between frames) is only skipped bytes.
      const std::uint64_t missing = static_cast<std::uint8_t>(frame.sequence - expected_sequence_);
      const std::uint64_t corrupt = std::min(missing, damaged_since_frame_);
      counters_.corrupt_frames += corrupt;
      counters_.sequence_gaps += missing - corrupt;
    }
    damaged_since_frame_ = 0;
    expected_sequence_ = static_cast<std::uint8_t>(frame.sequence + 1);
    ++counters_.frames;
    return true;
  }
}

void FrameDecoder::compact() {
  if (read_ == 0) return;
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(read_));
  read_ = 0;
}

std::uint8_t FrameWriter::append(MessageType type, const std::vector<std::uint8_t>& body,
                                 std::vector<std::uint8_t>& out) {
  const std::uint8_t sequence = next_++;
  append_frame(BridgeFrame{type, sequence, body}, out);
  return sequence;
}

std::vector<std::uint8_t> Hello::encode() const { return {major, minor}; }
std::optional<Hello> Hello::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  Hello h;
  h.major = r.u8();
  h.minor = r.u8();
  return finish(r, h);
}

std::vector<std::uint8_t> HelloReply::encode() const {
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  w.u8(request_sequence);
  w.u8(major);
  w.u8(minor);
  w.u32(tick_rate_hz);
  w.u8(tick_bits);
  w.u8(max_connections);
  w.text(firmware.substr(0, 64));
  return out;
}
std::optional<HelloReply> HelloReply::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  HelloReply h;
  h.request_sequence = r.u8();
  h.major = r.u8();
  h.minor = r.u8();
  h.tick_rate_hz = r.u32();
  h.tick_bits = r.u8();
  h.max_connections = r.u8();
  const auto fw = r.rest();
  h.firmware.assign(fw.begin(), fw.end());
  if (!r.ok() || h.tick_rate_hz == 0 || h.tick_bits < 8 || h.tick_bits > 32 || h.firmware.size() > 64)
    return std::nullopt;
  return h;
}

std::vector<std::uint8_t> Scan::encode() const {
  std::vector<std::uint8_t> out;
  ByteWriter(out).u16(duration_ms);
  return out;
}
std::optional<Scan> Scan::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  Scan s;
  s.duration_ms = r.u16();
  return finish(r, s);
}

std::vector<std::uint8_t> ScanResult::encode() const {
  if (advert.name.size() > 29) throw std::invalid_argument("BLE advertised name longer than 29 bytes");
  if (advert.service_uuids.size() > 14) throw std::invalid_argument("more than 14 advertised services");
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  put_address(w, advert.address);
  w.i8(static_cast<std::int8_t>(advert.rssi_dbm));
  w.u8(static_cast<std::uint8_t>(advert.name.size()));
  w.text(advert.name);
  w.u8(static_cast<std::uint8_t>(advert.service_uuids.size()));
  for (auto u : advert.service_uuids) w.u16(u);
  return out;
}
std::optional<ScanResult> ScanResult::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  ScanResult s;
  s.advert.address = get_address(r);
  s.advert.rssi_dbm = r.i8();
  const auto name = r.bytes(r.u8());
  s.advert.name.assign(name.begin(), name.end());
  const std::size_t n = r.u8();
  for (std::size_t i = 0; i < n && r.ok(); ++i) s.advert.service_uuids.push_back(r.u16());
  if (s.advert.name.size() > 29) return std::nullopt;
  return finish(r, s);
}

std::vector<std::uint8_t> Connect::encode() const {
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  put_address(w, address);
  return out;
}
std::optional<Connect> Connect::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  Connect c;
  c.address = get_address(r);
  return finish(r, c);
}

std::vector<std::uint8_t> Connected::encode() const {
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  w.u8(request_sequence);
  w.u8(handle);
  put_address(w, address);
  return out;
}
std::optional<Connected> Connected::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  Connected c;
  c.request_sequence = r.u8();
  c.handle = r.u8();
  c.address = get_address(r);
  return finish(r, c);
}

std::vector<std::uint8_t> Disconnect::encode() const { return {handle}; }
std::optional<Disconnect> Disconnect::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  Disconnect d;
  d.handle = r.u8();
  return finish(r, d);
}

std::vector<std::uint8_t> Disconnected::encode() const { return {handle, static_cast<std::uint8_t>(reason)}; }
std::optional<Disconnected> Disconnected::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  Disconnected d;
  d.handle = r.u8();
  const auto reason = r.u8();
  if (reason > 2) return std::nullopt;
  d.reason = static_cast<DisconnectReason>(reason);
  return finish(r, d);
}

std::vector<std::uint8_t> Subscribe::encode() const {
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  w.u8(handle);
  w.u16(characteristic);
  w.u8(enable ? 1 : 0);
  return out;
}
std::optional<Subscribe> Subscribe::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  Subscribe s;
  s.handle = r.u8();
  s.characteristic = r.u16();
  const auto e = r.u8();
  if (e > 1) return std::nullopt;
  s.enable = e == 1;
  return finish(r, s);
}

std::vector<std::uint8_t> Write::encode() const {
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  w.u8(handle);
  w.u16(characteristic);
  w.bytes(value);
  return out;
}
std::optional<Write> Write::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  Write w;
  w.handle = r.u8();
  w.characteristic = r.u16();
  const auto v = r.rest();
  w.value.assign(v.begin(), v.end());
  if (!r.ok()) return std::nullopt;
  return w;
}

std::vector<std::uint8_t> Ack::encode() const { return {request_sequence, static_cast<std::uint8_t>(request_type)}; }
std::optional<Ack> Ack::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  Ack a;
  a.request_sequence = r.u8();
  a.request_type = static_cast<MessageType>(r.u8());
  return finish(r, a);
}

std::vector<std::uint8_t> Notification::encode() const {
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  w.u8(handle);
  w.u16(characteristic);
  w.u32(bridge_tick);
  w.bytes(value);
  return out;
}
bool Notification::parse(std::span<const std::uint8_t> body, std::uint8_t& handle, std::uint16_t& characteristic,
                         std::uint32_t& bridge_tick, std::span<const std::uint8_t>& value) {
  ByteReader r(body);
  handle = r.u8();
  characteristic = r.u16();
  bridge_tick = r.u32();
  value = r.rest();
  return r.ok();
}

std::vector<std::uint8_t> ScanDone::encode() const { return {request_sequence, advertisers}; }
std::optional<ScanDone> ScanDone::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  ScanDone d;
  d.request_sequence = r.u8();
  d.advertisers = r.u8();
  return finish(r, d);
}

std::vector<std::uint8_t> SensorStatus::encode() const {
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  w.u8(handle);
  w.i8(rssi_dbm);
  w.u8(battery_pct);
  return out;
}
std::optional<SensorStatus> SensorStatus::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  SensorStatus s;
  s.handle = r.u8();
  s.rssi_dbm = r.i8();
  s.battery_pct = r.u8();
  if (s.battery_pct > 100 && s.battery_pct != 0xFF) return std::nullopt;
  return finish(r, s);
}

std::vector<std::uint8_t> Error::encode() const {
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  w.u8(request_sequence);
  w.u8(static_cast<std::uint8_t>(request_type));
  w.u8(static_cast<std::uint8_t>(code));
  w.text(message.substr(0, 200));
  return out;
}
std::optional<Error> Error::parse(std::span<const std::uint8_t> body) {
  ByteReader r(body);
  Error e;
  e.request_sequence = r.u8();
  e.request_type = static_cast<MessageType>(r.u8());
  e.code = static_cast<ErrorCode>(r.u8());
  const auto text = r.rest();
  e.message.assign(text.begin(), text.end());
  if (!r.ok()) return std::nullopt;
  return e;
}

std::optional<std::array<std::uint8_t, 6>> parse_address(const std::string& text) {
  if (text.size() != 17) return std::nullopt;
  std::array<std::uint8_t, 6> out{};
  for (std::size_t i = 0; i < 6; ++i) {
    if (i > 0 && text[i * 3 - 1] != ':') return std::nullopt;
    unsigned v = 0;
    for (std::size_t k = 0; k < 2; ++k) {
      const char c = text[i * 3 + k];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else return std::nullopt;
    }
    out[i] = static_cast<std::uint8_t>(v);
  }
  return out;
}

std::string format_address(std::span<const std::uint8_t, 6> bytes) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02X:%02X:%02X:%02X:%02X:%02X", bytes[0], bytes[1], bytes[2], bytes[3], bytes[4],
                bytes[5]);
  return buf;
}

const char* to_string(MessageType type) {
  switch (type) {
    case MessageType::hello: return "HELLO";
    case MessageType::scan: return "SCAN";
    case MessageType::connect: return "CONNECT";
    case MessageType::disconnect: return "DISCONNECT";
    case MessageType::subscribe: return "SUBSCRIBE";
    case MessageType::write: return "WRITE";
    case MessageType::ack: return "ACK";
    case MessageType::hello_reply: return "HELLO_REPLY";
    case MessageType::scan_result: return "SCAN_RESULT";
    case MessageType::connected: return "CONNECTED";
    case MessageType::disconnected: return "DISCONNECTED";
    case MessageType::notification: return "NOTIFICATION";
    case MessageType::sensor_status: return "SENSOR_STATUS";
    case MessageType::scan_done: return "SCAN_DONE";
    case MessageType::error: return "ERROR";
  }
  return "UNKNOWN";
}

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::unsupported_version: return "unsupported version";
    case ErrorCode::unknown_type: return "unknown message type";
    case ErrorCode::bad_body: return "malformed message body";
    case ErrorCode::unknown_address: return "no such sensor in range";
    case ErrorCode::unknown_handle: return "no such connection";
    case ErrorCode::too_many_connections: return "too many connections";
    case ErrorCode::not_ready: return "HELLO first";
    case ErrorCode::gatt_failed: return "GATT operation failed";
    case ErrorCode::out_of_range: return "sensor out of range";
  }
  return "unknown error";
}

}  // namespace stridefuse::bridge
