#pragma once
// Recorded raw traffic of one device, and its replay as a transport.
//
// File format (all integers little-endian):
//   magic   "SFRAW1\n" (7 bytes)
//   records until end of file:
//     t_us       u64  microseconds since the recording started (host monotonic clock)
//     direction  u8   0 = device to host, 1 = host to device
//     length     u32  bytes that follow (at most 16 MiB)
//     bytes

#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "stridefuse/transport.hpp"

namespace stridefuse {

/// A transport that records everything passing through another one.
class RecordingTransport final : public Transport {
 public:
  /// Throws std::runtime_error when the file cannot be created, std::invalid_argument for a null transport.
  RecordingTransport(std::unique_ptr<Transport> inner, const std::string& path);

  std::string describe() const override { return inner_->describe(); }
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  void write(std::span<const std::uint8_t> bytes) override;

 private:
  void record(std::uint8_t direction, std::span<const std::uint8_t> bytes);
  std::unique_ptr<Transport> inner_;
  std::ofstream out_;
  std::string path_;
  std::chrono::steady_clock::time_point start_;
};

/// Plays back the device-to-host side of a recording. Host writes are accepted
/// and discarded (the device's answers are in the recording already).
class ReplayTransport final : public Transport {
 public:
  /// `speed`: 1 replays at recorded pace, 2 twice as fast, 0 as fast as read()
  /// is called. Throws std::runtime_error for a missing file or a bad magic,
  /// std::invalid_argument for a negative speed.
  explicit ReplayTransport(const std::string& path, double speed = 1.0);

  std::string describe() const override { return "replay:" + path_; }
  /// Throws TransportError at the end of the recording (the device is "gone")
  /// and for a truncated or corrupt record.
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  void write(std::span<const std::uint8_t>) override {}

 private:
  bool next_record();
  std::string path_;
  double speed_;
  std::ifstream in_;
  std::chrono::steady_clock::time_point start_;
  bool started_ = false;
  std::uint64_t due_us_ = 0;
  std::vector<std::uint8_t> chunk_;
  std::size_t chunk_read_ = 0;
  bool have_chunk_ = false;
};

}  // namespace stridefuse
