#pragma once
// Recorded raw traffic of one device, and its replay as a transport
// (`--device replay:FILE`). The file is a session recording
// (session_recording.hpp, format in sdk/runtime/src/record/README.md) holding one
// device; ReplayTransport plays device 0 of any session recording, so a file
// written by `stridefuse record --device ...` replays as a device too.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "stridefuse/runtime/session_recording.hpp"
#include "stridefuse/core/transport.hpp"

namespace stridefuse {

/// A transport that records everything the device sends through another one.
/// Arrival times count from the construction of this transport.
class RecordingTransport final : public Transport {
 public:
  /// Throws std::runtime_error when the file cannot be created, std::invalid_argument for a null transport.
  RecordingTransport(std::unique_ptr<Transport> inner, const std::string& path);

  std::string describe() const override { return recorded_->describe(); }
  /// Throws what the inner transport throws, and TransportError when the file cannot be written.
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  void write(std::span<const std::uint8_t> bytes) override { recorded_->write(bytes); }
  bool reconnects() const override { return recorded_->reconnects(); }

 private:
  std::shared_ptr<SessionRecorder> recorder_;
  std::unique_ptr<Transport> recorded_;
};

/// Plays back what device 0 of a recording sent. Host writes are accepted
/// and discarded (the device's answers are in the recording already).
class ReplayTransport final : public Transport {
 public:
  /// `speed`: 1 replays at recorded pace, 2 twice as fast, 0 as fast as read()
  /// is called. Throws std::runtime_error for a missing file, a bad magic, a
  /// corrupt frame or a recording without a device, std::invalid_argument for
  /// a negative speed. A file cut inside a frame plays up to the cut.
  explicit ReplayTransport(const std::string& path, double speed = 1.0);

  std::string describe() const override { return "replay:" + path_; }
  /// Throws TransportError at the end of the recording (the device is "gone")
  /// and where the device's transport failed when it was recorded.
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  void write(std::span<const std::uint8_t>) override {}

 private:
  std::string path_;
  double speed_;
  SessionRecording recording_;
  std::size_t next_ = 0;        // next recorded read of device 0
  std::size_t chunk_read_ = 0;  // bytes of that read already handed out
  std::chrono::steady_clock::time_point start_;
  bool started_ = false;
};

}  // namespace stridefuse
