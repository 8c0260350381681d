#include "reference_imu_payload.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "bridge/byte_codec.hpp"

namespace stridefuse::reference_imu {
namespace {

constexpr std::size_t header_bytes = 3;
constexpr std::uint8_t flag_magnetometer = 0x01;

std::size_t sample_bytes(bool mag) { return 4 + 12 + (mag ? 6 : 0); }

std::int16_t to_i16(double v, double lsb) {
  return static_cast<std::int16_t>(std::clamp(std::lround(v / lsb), -32768L, 32767L));
}

double lsb_of(std::size_t channel) { return channel < 3 ? accel_lsb_mps2 : channel < 6 ? gyro_lsb_radps : mag_lsb_ut; }

}  // namespace

std::size_t max_samples(bool has_magnetometer) {
  return (max_payload_bytes - header_bytes) / sample_bytes(has_magnetometer);
}

std::vector<std::uint8_t> encode(const MeasurementPacket& packet) {
  if (packet.samples.empty() || packet.samples.size() > max_samples(packet.has_magnetometer))
    throw std::invalid_argument("reference IMU packet needs 1 to " + std::to_string(max_samples(packet.has_magnetometer)) +
                                " samples, not " + std::to_string(packet.samples.size()));
  std::vector<std::uint8_t> out;
  wire::ByteWriter w(out);
  w.u8(format_version);
  w.u8(packet.has_magnetometer ? flag_magnetometer : 0);
  w.u8(static_cast<std::uint8_t>(packet.samples.size()));
  const std::size_t channels = packet.has_magnetometer ? 9 : 6;
  for (const auto& s : packet.samples) {
    w.u32(s.tick);
    for (std::size_t c = 0; c < channels; ++c) w.i16(to_i16(s.values[c], lsb_of(c)));
  }
  return out;
}

std::optional<MeasurementPacket> decode(std::span<const std::uint8_t> payload) {
  wire::ByteReader r(payload);
  const auto version = r.u8();
  const auto flags = r.u8();
  const std::size_t count = r.u8();
  if (!r.ok() || version != format_version || (flags & ~flag_magnetometer) != 0) return std::nullopt;
  MeasurementPacket packet;
  packet.has_magnetometer = (flags & flag_magnetometer) != 0;
  if (count == 0 || r.remaining() != count * sample_bytes(packet.has_magnetometer)) return std::nullopt;
  const std::size_t channels = packet.has_magnetometer ? 9 : 6;
  packet.samples.resize(count);
  for (auto& s : packet.samples) {
    s.tick = r.u32();
    for (std::size_t c = 0; c < channels; ++c) s.values[c] = r.i16() * lsb_of(c);
  }
  return packet;
}

StreamDescriptor stream(bool with_magnetometer) {
  StreamDescriptor d;
  d.id = "pelvis_imu";
  d.kind = StreamKind::imu;
  d.location = BodyLocation::pelvis;
  d.nominal_rate_hz = sample_rate_hz;
  d.channels = imu_channels(with_magnetometer);
  d.tick_rate_hz = tick_rate_hz;
  d.tick_bits = tick_bits;
  return d;
}

}  // namespace stridefuse::reference_imu
