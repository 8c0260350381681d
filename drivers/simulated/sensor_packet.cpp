#include "sensor_packet.hpp"

#include <boost/crc.hpp>
#include <cstring>
#include <stdexcept>

namespace stridefuse::simulated {
namespace {

std::uint16_t crc16(std::span<const std::uint8_t> bytes) {
  boost::crc_ccitt_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return static_cast<std::uint16_t>(crc.checksum());
}

void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint16_t get_u16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }

std::uint32_t get_u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

// float32 travels as its IEEE-754 bit pattern, little-endian like the integers.
void put_f32(std::vector<std::uint8_t>& out, float v) {
  std::uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  put_u32(out, bits);
}

float get_f32(const std::uint8_t* p) {
  const std::uint32_t bits = get_u32(p);
  float v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

}  // namespace

void append_frame(const SensorPacket& packet, std::vector<std::uint8_t>& out) {
  const std::size_t n = packet.ticks.size();
  if (n == 0 || n > 255) throw std::invalid_argument("sensor packet needs 1 to 255 samples");
  if (packet.channel_count == 0 || packet.channel_count > Sample::max_channels)
    throw std::invalid_argument("sensor packet channel count out of range");
  if (packet.values.size() != n * packet.channel_count)
    throw std::invalid_argument("sensor packet values do not match samples x channels");
  const std::size_t payload_size = payload_header_bytes + n * (4 + 4 * packet.channel_count);
  if (payload_size > max_payload_bytes) throw std::invalid_argument("sensor packet payload too large");

  std::vector<std::uint8_t> payload;
  payload.reserve(payload_size);
  payload.push_back(packet.stream);
  put_u16(payload, packet.sequence);
  payload.push_back(static_cast<std::uint8_t>(n));
  payload.push_back(packet.channel_count);
  for (std::size_t i = 0; i < n; ++i) {
    put_u32(payload, packet.ticks[i]);
    for (std::size_t c = 0; c < packet.channel_count; ++c) put_f32(payload, packet.values[i * packet.channel_count + c]);
  }

  out.push_back(sync_byte_0);
  out.push_back(sync_byte_1);
  put_u16(out, static_cast<std::uint16_t>(payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
  put_u16(out, crc16(payload));
}

bool SensorPacketDecoder::next(SensorPacket& packet) {
  while (true) {
    const std::size_t available = buffer_.size() - read_;
    if (available < frame_header_bytes) return false;
    const std::uint8_t* p = buffer_.data() + read_;
    if (p[0] != sync_byte_0 || p[1] != sync_byte_1) {
      ++read_;
      ++bytes_skipped_;
      continue;
    }
    const std::size_t length = get_u16(p + 2);
    if (length < payload_header_bytes || length > max_payload_bytes) {
      ++malformed_;
      ++read_;
      ++bytes_skipped_;
      continue;
    }
    if (available < frame_header_bytes + length + frame_trailer_bytes) return false;
    const std::uint8_t* payload = p + frame_header_bytes;
    const bool crc_ok = crc16({payload, length}) == get_u16(payload + length);
    const std::size_t count = payload[3];
    const std::size_t channels = payload[4];
    const bool shape_ok = count > 0 && channels > 0 && channels <= Sample::max_channels &&
                          length == payload_header_bytes + count * (4 + 4 * channels);
    if (!crc_ok || !shape_ok) {
      // Skip only the sync word: the real next frame may start inside this one.
      ++malformed_;
      read_ += 2;
      bytes_skipped_ += 2;
      continue;
    }
    packet.stream = payload[0];
    packet.sequence = get_u16(payload + 1);
    packet.channel_count = static_cast<std::uint8_t>(channels);
    packet.ticks.resize(count);
    packet.values.resize(count * channels);
    const std::uint8_t* s = payload + payload_header_bytes;
    for (std::size_t i = 0; i < count; ++i) {
      packet.ticks[i] = get_u32(s);
      s += 4;
      for (std::size_t c = 0; c < channels; ++c, s += 4) packet.values[i * channels + c] = get_f32(s);
    }
    read_ += frame_header_bytes + length + frame_trailer_bytes;
    return true;
  }
}

void SensorPacketDecoder::compact() {
  if (read_ == 0) return;
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(read_));
  read_ = 0;
}

}  // namespace stridefuse::simulated
