#pragma once
// The framing of a session recording: a magic, then frames of
//   type u8 | length u32 LE | crc32 u32 LE (of type, length and payload) | payload
// appended by one writer and read back up to the last complete frame.
// Payloads are Cap'n Proto messages of sdk/runtime/schema/recording.capnp.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace stridefuse::record {

inline constexpr char recording_magic[8] = {'S', 'F', 'R', 'E', 'C', '0', '1', '\n'};
inline constexpr std::size_t frame_header_bytes = 9;
inline constexpr std::uint32_t max_frame_payload_bytes = 16u << 20;

enum class FrameType : std::uint8_t {
  device_setup = 1,
  transport_read = 2,
  session_setup = 3,
  session_start = 4,
  fusion_turn = 5,
  session_end = 6,
  published_event = 7,
};
inline constexpr std::uint8_t last_frame_type = 7;

/// Appends frames to a file; any thread. The file is flushed to the OS every
/// `flush_interval` (checked at each append) and when the writer is closed,
/// so a killed process loses at most that much.
class FrameWriter {
 public:
  /// Creates (truncates) `path` and writes the magic. Throws std::runtime_error naming the path.
  FrameWriter(const std::string& path, std::chrono::milliseconds flush_interval);
  ~FrameWriter();
  FrameWriter(const FrameWriter&) = delete;
  FrameWriter& operator=(const FrameWriter&) = delete;

  /// Throws std::runtime_error naming the path when the file cannot be written,
  /// std::invalid_argument for a payload over max_frame_payload_bytes.
  void append(FrameType type, std::span<const std::uint8_t> payload);
  void flush();
  const std::string& path() const { return path_; }

 private:
  void flush_locked();
  std::string path_;
  std::chrono::milliseconds flush_interval_;
  std::mutex mutex_;
  std::FILE* file_ = nullptr;
  std::chrono::steady_clock::time_point last_flush_;
};

struct RawFrame {
  FrameType type;
  std::uint64_t offset;  ///< byte offset of the frame's header in the file
  std::span<const std::uint8_t> payload;
};

struct ScannedFrames {
  std::vector<RawFrame> frames;            ///< payloads point into the scanned bytes
  std::optional<std::uint64_t> cut_at;     ///< offset of the incomplete frame the file ends in, if any
};

/// Splits a whole file's bytes into frames. An incomplete last frame is a cut
/// (reported, not an error). Throws std::runtime_error naming `name` and the
/// byte offset for a wrong magic, a checksum mismatch, an oversized length,
/// an unknown frame type, or a length running past the end of the file with
/// intact frames after it (a damaged length, not a cut: the error says how
/// many intact frames follow and where).
ScannedFrames scan_frames(std::span<const std::uint8_t> bytes, const std::string& name);

}  // namespace stridefuse::record
