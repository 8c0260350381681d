#include "reference_imu_payload.hpp"

#include <algorithm>

#include "stridefuse/core/batch_framing.hpp"
#include "stridefuse/core/sample_batch.hpp"

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

namespace {

// The header, and the flag it carries; nothing for a malformed value.
std::optional<bool> read_header(wire::ByteReader& r) {
  const auto header = wire::read_batch_header(r, format_version, flag_magnetometer, [](std::uint8_t flags) {
    return sample_bytes((flags & flag_magnetometer) != 0);
  });
  if (!header) return std::nullopt;
  return (header->flags & flag_magnetometer) != 0;
}

}  // namespace

bool decode_into(std::span<const std::uint8_t> payload, bool with_magnetometer,
                 const std::function<Sample&(std::uint32_t tick)>& add_sample) {
  wire::ByteReader r(payload);
  const auto has_magnetometer = read_header(r);
  if (!has_magnetometer || *has_magnetometer != with_magnetometer) return false;
  const std::size_t channels = with_magnetometer ? 9 : 6;
  while (r.remaining() > 0) {
    Sample& s = add_sample(r.u32());
    for (std::size_t c = 0; c < channels; ++c) s.values[c] = r.i16() * lsb_of(c);
  }
  return true;
}

std::optional<MeasurementPacket> decode(std::span<const std::uint8_t> payload) {
  wire::ByteReader peek(payload);
  const auto has_magnetometer = read_header(peek);
  if (!has_magnetometer) return std::nullopt;
  const std::size_t channels = *has_magnetometer ? 9 : 6;
  SampleBatch batch;
  decode_into(payload, *has_magnetometer, [&](std::uint32_t tick) -> Sample& { return batch.add(0, tick, channels); });
  MeasurementPacket packet{*has_magnetometer, {}};
  for (const auto& s : batch) {
    ImuSample& out = packet.samples.emplace_back();
    out.tick = static_cast<std::uint32_t>(s.device_tick);
    std::copy_n(s.values.begin(), channels, out.values.begin());
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
  // The largest i16 reading (32767 counts; -32768 is beyond it): the payload's full scale.
  declare_imu_full_scale(d.channels, 0, 32767 * accel_lsb_mps2, 32767 * gyro_lsb_radps);
  if (with_magnetometer)
    for (std::size_t c = 6; c < 9; ++c) d.channels[c].full_scale = 32767 * mag_lsb_ut;
  d.tick_rate_hz = tick_rate_hz;
  d.tick_bits = tick_bits;
  return d;
}

}  // namespace stridefuse::reference_imu
