#include "record/recording_frames.hpp"

#include <algorithm>
#include <array>
#include <zlib.h>
#include <boost/endian/conversion.hpp>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace stridefuse::record {
namespace {

std::array<std::uint8_t, 5> type_and_length(FrameType type, std::uint32_t length) {
  std::array<std::uint8_t, 5> head{};
  head[0] = static_cast<std::uint8_t>(type);
  boost::endian::store_little_u32(head.data() + 1, length);
  return head;
}

// CRC-32 of IEEE 802.3 (reflected 0x04C11DB7, as boost::crc_32_type): zlib's,
// which takes several bytes a step where a byte table takes one; a replay
// reads every recorded byte through it.
std::uint32_t frame_crc(std::span<const std::uint8_t> type_and_length, std::span<const std::uint8_t> payload) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, type_and_length.data(), static_cast<uInt>(type_and_length.size()));
  crc = crc32(crc, payload.data(), static_cast<uInt>(payload.size()));
  return static_cast<std::uint32_t>(crc);
}

// A frame with a known type, a length that fits and a good checksum starting at `at`: its size, else 0.
std::size_t intact_frame_at(std::span<const std::uint8_t> bytes, std::size_t at) {
  if (bytes.size() - at < frame_header_bytes) return 0;
  const std::uint8_t type = bytes[at];
  if (type == 0 || type > last_frame_type) return 0;
  const std::uint32_t length = boost::endian::load_little_u32(bytes.data() + at + 1);
  if (length > max_frame_payload_bytes || bytes.size() - at - frame_header_bytes < length) return 0;
  const std::uint32_t stored_crc = boost::endian::load_little_u32(bytes.data() + at + 5);
  if (frame_crc(bytes.subspan(at, 5), bytes.subspan(at + frame_header_bytes, length)) != stored_crc) return 0;
  return frame_header_bytes + length;
}

struct IntactRun {
  std::size_t first = 0;   // offset of its first frame
  std::size_t frames = 0;  // frames in a row from there
};

// Intact frames after the frame header at `at` whose length runs past the end
// of the file. A file cut there has none: the bytes after are that frame's
// payload, cut short. Any intact frame (a checksum over its own bytes, one
// chance in 2^32 by accident) means the length field was damaged instead.
std::optional<IntactRun> intact_frames_after(std::span<const std::uint8_t> bytes, std::size_t at) {
  for (std::size_t p = at + 1; p + frame_header_bytes <= bytes.size(); ++p) {
    if (!intact_frame_at(bytes, p)) continue;
    IntactRun run{p, 0};
    for (std::size_t q = p; q < bytes.size();) {
      const std::size_t size = intact_frame_at(bytes, q);
      if (!size) break;
      ++run.frames;
      q += size;
    }
    return run;
  }
  return std::nullopt;
}

}  // namespace

FrameWriter::FrameWriter(const std::string& path, std::chrono::milliseconds flush_interval)
    : path_(path), flush_interval_(flush_interval), last_flush_(std::chrono::steady_clock::now()) {
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) throw std::runtime_error("cannot create recording " + path + ": " + std::strerror(errno));
  if (std::fwrite(recording_magic, 1, sizeof recording_magic, file_) != sizeof recording_magic ||
      std::fflush(file_) != 0) {
    std::fclose(file_);
    throw std::runtime_error("cannot write recording " + path);
  }
}

FrameWriter::~FrameWriter() {
  std::fflush(file_);
  std::fclose(file_);
}

void FrameWriter::append(FrameType type, std::span<const std::uint8_t> payload) {
  if (payload.size() > max_frame_payload_bytes)
    throw std::invalid_argument("recording frame of " + std::to_string(payload.size()) + " bytes is over the " +
                                std::to_string(max_frame_payload_bytes) + "-byte limit");
  const auto head = type_and_length(type, static_cast<std::uint32_t>(payload.size()));
  std::array<std::uint8_t, 4> crc{};
  boost::endian::store_little_u32(crc.data(), frame_crc(head, payload));
  std::lock_guard lock(mutex_);
  const bool ok = std::fwrite(head.data(), 1, head.size(), file_) == head.size() &&
                  std::fwrite(crc.data(), 1, crc.size(), file_) == crc.size() &&
                  std::fwrite(payload.data(), 1, payload.size(), file_) == payload.size();
  if (!ok) throw std::runtime_error("cannot write recording " + path_ + ": " + std::strerror(errno));
  if (std::chrono::steady_clock::now() - last_flush_ >= flush_interval_) flush_locked();
}

void FrameWriter::flush() {
  std::lock_guard lock(mutex_);
  flush_locked();
}

void FrameWriter::flush_locked() {
  if (std::fflush(file_) != 0) throw std::runtime_error("cannot write recording " + path_ + ": " + std::strerror(errno));
  last_flush_ = std::chrono::steady_clock::now();
}

ScannedFrames scan_frames(std::span<const std::uint8_t> bytes, const std::string& name) {
  ScannedFrames out;
  if (bytes.size() < sizeof recording_magic) {
    if (!std::equal(bytes.begin(), bytes.end(), recording_magic))
      throw std::runtime_error(name + " is not a stridefuse recording (wrong magic at byte 0)");
    out.cut_at = 0;  // cut inside the magic: nothing to replay
    return out;
  }
  if (!std::equal(recording_magic, recording_magic + sizeof recording_magic, bytes.begin()))
    throw std::runtime_error(name + " is not a stridefuse recording (wrong magic at byte 0)");
  std::size_t at = sizeof recording_magic;
  while (at < bytes.size()) {
    if (bytes.size() - at < frame_header_bytes) {
      out.cut_at = at;
      break;
    }
    const std::uint8_t type = bytes[at];
    const std::uint32_t length = boost::endian::load_little_u32(bytes.data() + at + 1);
    const std::uint32_t stored_crc = boost::endian::load_little_u32(bytes.data() + at + 5);
    if (length > max_frame_payload_bytes)
      throw std::runtime_error(name + ": corrupt frame at byte " + std::to_string(at) + " (length " +
                               std::to_string(length) + " over the limit)");
    if (bytes.size() - at - frame_header_bytes < length) {
      if (const auto run = intact_frames_after(bytes, at))
        throw std::runtime_error(name + ": corrupt frame at byte " + std::to_string(at) + ": its length (" +
                                 std::to_string(length) + " bytes) runs past the end of the file at byte " +
                                 std::to_string(bytes.size()) + ", but " + std::to_string(run->frames) +
                                 " intact frame" + (run->frames == 1 ? "" : "s") + " follow from byte " +
                                 std::to_string(run->first) + ": the length is damaged, the file was not cut");
      out.cut_at = at;
      break;
    }
    const auto payload = bytes.subspan(at + frame_header_bytes, length);
    if (frame_crc(bytes.subspan(at, 5), payload) != stored_crc)
      throw std::runtime_error(name + ": corrupt frame at byte " + std::to_string(at) + " (checksum mismatch)");
    if (type == 0 || type > last_frame_type)
      throw std::runtime_error(name + ": unknown frame type " + std::to_string(type) + " at byte " +
                               std::to_string(at));
    out.frames.push_back({static_cast<FrameType>(type), at, payload});
    at += frame_header_bytes + length;
  }
  return out;
}

}  // namespace stridefuse::record
