#include "rsc_measurement.hpp"

#include <cmath>
#include <stdexcept>

#include "stridefuse/core/byte_codec.hpp"

namespace stridefuse::rsc {
namespace {
constexpr std::uint8_t flag_stride = 0x01;
constexpr std::uint8_t flag_distance = 0x02;
constexpr std::uint8_t flag_running = 0x04;
}  // namespace

std::optional<RscMeasurement> decode(std::span<const std::uint8_t> value) {
  wire::ByteReader r(value);
  const auto flags = r.u8();
  RscMeasurement m;
  m.speed_mps = r.u16() / 256.0;
  m.cadence_per_min = r.u8();
  m.running = (flags & flag_running) != 0;
  if (flags & flag_stride) m.stride_length_m = r.u16() / 100.0;
  if (flags & flag_distance) m.total_distance_m = r.u32() / 10.0;
  if (!r.done()) return std::nullopt;
  return m;
}

std::vector<std::uint8_t> encode(const RscMeasurement& m) {
  const auto speed = std::lround(m.speed_mps * 256.0);
  if (!(m.speed_mps >= 0.0) || speed > 65535) throw std::invalid_argument("RSC speed outside 0..255.99 m/s");
  if (m.cadence_per_min > 255) throw std::invalid_argument("RSC cadence above 255/min");
  std::vector<std::uint8_t> out;
  wire::ByteWriter w(out);
  w.u8(static_cast<std::uint8_t>((m.stride_length_m ? flag_stride : 0) | (m.total_distance_m ? flag_distance : 0) |
                                 (m.running ? flag_running : 0)));
  w.u16(static_cast<std::uint16_t>(speed));
  w.u8(static_cast<std::uint8_t>(m.cadence_per_min));
  if (m.stride_length_m) {
    const auto v = std::lround(*m.stride_length_m * 100.0);
    if (v < 0 || v > 65535) throw std::invalid_argument("RSC stride length outside 0..655.35 m");
    w.u16(static_cast<std::uint16_t>(v));
  }
  if (m.total_distance_m) {
    const auto v = std::llround(*m.total_distance_m * 10.0);
    if (v < 0 || v > 0xFFFFFFFFLL) throw std::invalid_argument("RSC total distance out of range");
    w.u32(static_cast<std::uint32_t>(v));
  }
  return out;
}

}  // namespace stridefuse::rsc
