#include "reference_imu_payload.hpp"

#include "stridefuse/core/batch_framing.hpp"

namespace stridefuse::reference_imu {
namespace {

constexpr std::uint8_t flag_magnetometer = 0x01;

std::size_t sample_bytes(bool mag) { return 4 + 12 + (mag ? 6 : 0); }

double lsb_of(std::size_t channel) { return channel < 3 ? accel_lsb_mps2 : channel < 6 ? gyro_lsb_radps : mag_lsb_ut; }

}  // namespace

std::size_t max_samples(bool has_magnetometer) {
  return wire::max_batch_samples(max_payload_bytes, sample_bytes(has_magnetometer));
}

std::vector<std::uint8_t> encode(const MeasurementPacket& packet) {
  std::vector<std::uint8_t> out;
  wire::ByteWriter w(out);
  wire::write_batch_header(w, "reference IMU packet", format_version, packet.has_magnetometer ? flag_magnetometer : 0,
                           packet.samples.size(), max_samples(packet.has_magnetometer));
  const std::size_t channels = packet.has_magnetometer ? 9 : 6;
  for (const auto& s : packet.samples) {
    w.u32(s.tick);
    for (std::size_t c = 0; c < channels; ++c) w.i16(wire::quantize_i16(s.values[c], lsb_of(c)));
  }
  return out;
}

std::optional<MeasurementPacket> decode(std::span<const std::uint8_t> payload) {
  wire::ByteReader r(payload);
  const auto header = wire::read_batch_header(r, format_version, flag_magnetometer, [](std::uint8_t flags) {
    return sample_bytes((flags & flag_magnetometer) != 0);
  });
  if (!header) return std::nullopt;
  MeasurementPacket packet;
  packet.has_magnetometer = (header->flags & flag_magnetometer) != 0;
  const std::size_t channels = packet.has_magnetometer ? 9 : 6;
  packet.samples.resize(header->count);
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
