#pragma once
// Wire format of the simulated sensors: the BLE-style payloads the simulated
// runner's devices send, framed for a byte stream. Documented in README.md.
//
//   frame   = 0xA5 0x5A | length (u16 LE, payload bytes) | payload | crc16 (u16 LE)
//   payload = stream (u8) | sequence (u16 LE) | sample_count (u8) | channel_count (u8)
//             | sample_count x ( tick (u32 LE) | channel_count x value (float32 LE) )
//   crc16   = CRC-16/CCITT-FALSE over the payload

#include <cstdint>
#include <span>
#include <vector>

#include "stridefuse/core/driver.hpp"

namespace stridefuse::simulated {

inline constexpr std::uint8_t sync_byte_0 = 0xA5;
inline constexpr std::uint8_t sync_byte_1 = 0x5A;
inline constexpr std::size_t frame_header_bytes = 4;  ///< sync + length
inline constexpr std::size_t frame_trailer_bytes = 2; ///< crc16
inline constexpr std::size_t payload_header_bytes = 5;
inline constexpr std::size_t max_payload_bytes = 2048;

/// One packet of one stream: several consecutive samples, as a BLE notification carries them.
struct SensorPacket {
  std::uint8_t stream = 0;
  std::uint16_t sequence = 0;
  std::uint8_t channel_count = 0;
  std::vector<std::uint32_t> ticks;   ///< one per sample
  std::vector<float> values;          ///< ticks.size() x channel_count, sample-major
};

/// Appends the framed packet to `out`. Throws std::invalid_argument when it
/// does not fit the format (too many samples/channels, values/ticks mismatch).
void append_frame(const SensorPacket& packet, std::vector<std::uint8_t>& out);

/// One complete frame whose checksum and shape are right, as it lies in the
/// decoder's buffer (valid during the callback only): the samples are read
/// from it straight into where they go.
struct SensorPacketView {
  std::uint8_t stream = 0;
  std::uint16_t sequence = 0;
  std::uint8_t sample_count = 0;
  std::uint8_t channel_count = 0;
  std::span<const std::uint8_t> samples;  ///< sample_count x (tick u32 LE, channel_count x float32 LE)

  std::uint32_t tick(std::size_t sample) const;
  /// The channels of one sample, as doubles, into `out` (channel_count of them).
  void values(std::size_t sample, double* out) const;
  /// The whole packet as values (tests and tools).
  SensorPacket packet() const;
};

/// Incremental decoder: feed bytes in any pieces; complete, valid frames come
/// out as packet views. Corrupt frames are counted and skipped by
/// resynchronising on the next sync word.
class SensorPacketDecoder {
 public:
  template <class F>
  void feed(std::span<const std::uint8_t> bytes, F&& on_packet) {
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
    SensorPacketView packet;
    while (next(packet)) on_packet(static_cast<const SensorPacketView&>(packet));
    compact();
  }

  std::uint64_t malformed() const { return malformed_; }
  std::uint64_t bytes_skipped() const { return bytes_skipped_; }

 private:
  bool next(SensorPacketView& packet);
  void compact();

  std::vector<std::uint8_t> buffer_;
  std::size_t read_ = 0;
  std::uint64_t malformed_ = 0;
  std::uint64_t bytes_skipped_ = 0;
};

}  // namespace stridefuse::simulated
