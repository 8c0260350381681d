#include "sensor_packet.hpp"

#include <stdexcept>

#include "stridefuse/core/byte_codec.hpp"

namespace stridefuse::simulated {

using wire::ByteReader;
using wire::ByteWriter;
using wire::crc16;

void append_frame(const SensorPacket& packet, std::vector<std::uint8_t>& out) {
  const std::size_t n = packet.ticks.size();
  if (n == 0 || n > 255) throw std::invalid_argument("sensor packet needs 1 to 255 samples");
  if (packet.channel_count == 0 || packet.channel_count > Sample::max_channels)
    throw std::invalid_argument("sensor packet channel count out of range");
  if (packet.values.size() != n * packet.channel_count)
    throw std::invalid_argument("sensor packet values do not match samples x channels");
  const std::size_t payload_size = payload_header_bytes + n * (4 + 4 * packet.channel_count);
  if (payload_size > max_payload_bytes) throw std::invalid_argument("sensor packet payload too large");

  ByteWriter w(out);
  w.u8(sync_byte_0);
  w.u8(sync_byte_1);
  w.u16(static_cast<std::uint16_t>(payload_size));
  const std::size_t payload_start = out.size();
  w.u8(packet.stream);
  w.u16(packet.sequence);
  w.u8(static_cast<std::uint8_t>(n));
  w.u8(packet.channel_count);
  for (std::size_t i = 0; i < n; ++i) {
    w.u32(packet.ticks[i]);
    for (std::size_t c = 0; c < packet.channel_count; ++c) w.f32(packet.values[i * packet.channel_count + c]);
  }
  w.u16(crc16(std::span(out).subspan(payload_start)));
}

bool SensorPacketDecoder::next(SensorPacketView& packet) {
  while (true) {
    const std::size_t available = buffer_.size() - read_;
    if (available < frame_header_bytes) return false;
    const std::uint8_t* p = buffer_.data() + read_;
    if (p[0] != sync_byte_0 || p[1] != sync_byte_1) {
      ++read_;
      ++bytes_skipped_;
      continue;
    }
    const std::size_t length = ByteReader({p + 2, 2}).u16();
    if (length < payload_header_bytes || length > max_payload_bytes) {
      ++malformed_;
      ++read_;
      ++bytes_skipped_;
      continue;
    }
    if (available < frame_header_bytes + length + frame_trailer_bytes) return false;
    const std::uint8_t* payload = p + frame_header_bytes;
    const bool crc_ok = crc16({payload, length}) == ByteReader({payload + length, 2}).u16();
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
    ByteReader r({payload, length});
    packet.stream = r.u8();
    packet.sequence = r.u16();
    packet.sample_count = static_cast<std::uint8_t>(count);
    packet.channel_count = static_cast<std::uint8_t>(channels);
    packet.samples = {payload + payload_header_bytes, length - payload_header_bytes};
    read_ += frame_header_bytes + length + frame_trailer_bytes;
    return true;
  }
}

std::uint32_t SensorPacketView::tick(std::size_t sample) const {
  return ByteReader(samples.subspan(sample * (4 + 4 * std::size_t{channel_count}), 4)).u32();
}

void SensorPacketView::values(std::size_t sample, double* out) const {
  ByteReader r(samples.subspan(sample * (4 + 4 * std::size_t{channel_count}) + 4, 4 * std::size_t{channel_count}));
  for (std::size_t c = 0; c < channel_count; ++c) out[c] = r.f32();
}

SensorPacket SensorPacketView::packet() const {
  SensorPacket p;
  p.stream = stream;
  p.sequence = sequence;
  p.channel_count = channel_count;
  p.ticks.resize(sample_count);
  p.values.resize(std::size_t{sample_count} * channel_count);
  std::vector<double> row(channel_count);
  for (std::size_t i = 0; i < sample_count; ++i) {
    p.ticks[i] = tick(i);
    values(i, row.data());
    for (std::size_t c = 0; c < channel_count; ++c) p.values[i * channel_count + c] = static_cast<float>(row[c]);
  }
  return p;
}

void SensorPacketDecoder::compact() {
  if (read_ == 0) return;
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(read_));
  read_ = 0;
}

}  // namespace stridefuse::simulated
