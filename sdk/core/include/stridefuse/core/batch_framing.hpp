#pragma once
// The batch framing the open reference sensors share (PAYLOAD.md in
// drivers/reference_imu and drivers/reference_insole): one notification holds
//   [format version u8][flags u8][sample count u8]
// and then `count` samples of one size, which the flags decide. Keeping the
// framing in one place keeps the sensors' codecs to their sample layouts.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "stridefuse/core/byte_codec.hpp"

namespace stridefuse::wire {

inline constexpr std::size_t batch_header_bytes = 3;

/// Samples of `sample_bytes` each that fit a payload of `max_payload_bytes`.
inline std::size_t max_batch_samples(std::size_t max_payload_bytes, std::size_t sample_bytes) {
  return (max_payload_bytes - batch_header_bytes) / sample_bytes;
}

/// Writes the header. Throws std::invalid_argument, naming `what` (e.g.
/// "reference IMU packet"), unless 1 <= count <= max_count.
inline void write_batch_header(ByteWriter& w, const char* what, std::uint8_t version, std::uint8_t flags,
                               std::size_t count, std::size_t max_count) {
  if (count == 0 || count > max_count)
    throw std::invalid_argument(std::string(what) + " needs 1 to " + std::to_string(max_count) + " samples, not " +
                                std::to_string(count));
  w.u8(version);
  w.u8(flags);
  w.u8(static_cast<std::uint8_t>(count));
}

struct BatchHeader {
  std::uint8_t flags = 0;
  std::size_t count = 0;
};

/// Reads the header and checks that exactly `count` samples of
/// sample_bytes(flags) bytes follow. Nothing for another version, flags
/// outside `known_flags`, no samples or a length that does not match.
template <class SampleBytes>
std::optional<BatchHeader> read_batch_header(ByteReader& r, std::uint8_t version, std::uint8_t known_flags,
                                             SampleBytes sample_bytes) {
  BatchHeader h;
  const auto v = r.u8();
  h.flags = r.u8();
  h.count = r.u8();
  if (!r.ok() || v != version || (h.flags & ~known_flags) != 0 || h.count == 0 ||
      r.remaining() != h.count * sample_bytes(h.flags))
    return std::nullopt;
  return h;
}

/// A physical value as a signed 16-bit count of `lsb`, rounded and clamped to the range.
inline std::int16_t quantize_i16(double value, double lsb) {
  return static_cast<std::int16_t>(std::clamp(std::lround(value / lsb), -32768L, 32767L));
}

/// A physical value as an unsigned 16-bit count of `lsb`, rounded and clamped to the range.
inline std::uint16_t quantize_u16(double value, double lsb) {
  return static_cast<std::uint16_t>(std::clamp(std::lround(value / lsb), 0L, 65535L));
}

}  // namespace stridefuse::wire
