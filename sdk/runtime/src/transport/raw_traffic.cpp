#include "stridefuse/runtime/raw_traffic.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "record/recorded_frames.hpp"

namespace stridefuse {

RecordingTransport::RecordingTransport(std::unique_ptr<Transport> inner, const std::string& path) {
  if (!inner) throw std::invalid_argument("RecordingTransport needs a transport");
  recorder_ = std::make_shared<SessionRecorder>(path);
  const std::string source = inner->describe();
  recorded_ = recorder_->record_device(std::move(inner), {source, "", {}});
}

std::size_t RecordingTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  const std::size_t n = recorded_->read(buffer, timeout);
  try {
    recorder_->flush();  // one device, no session: keep the file current at every read
  } catch (const std::runtime_error& e) {
    throw TransportError(e.what());  // a session treats it as the device failing, not as a crash
  }
  return n;
}

ReplayTransport::ReplayTransport(const std::string& path, double speed)
    : path_(path), speed_(speed) {
  if (!(speed >= 0.0)) throw std::invalid_argument("replay speed must not be negative");
  recording_ = read_session_recording(path);
  if (recording_.devices.empty()) throw std::runtime_error(path + " holds no device traffic");
}

std::size_t ReplayTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  using Read = SessionRecording::Frames::Read;
  const auto& reads = recording_.frames->reads.front();
  if (!started_) {
    started_ = true;
    start_ = std::chrono::steady_clock::now();
  }
  // Silences are in the timing already; errors are replayed where they happened.
  while (next_ < reads.size() && reads[next_].outcome == Read::Outcome::timeout) ++next_;
  if (next_ == reads.size())
    throw TransportError("replay of " + path_ + " finished" +
                         (recording_.cut_at_byte ? " (cut at byte " + std::to_string(*recording_.cut_at_byte) + ")" : ""));
  const auto& r = reads[next_];
  if (speed_ > 0.0) {
    const auto due = start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double>(std::max(0.0, r.arrival_s) / speed_));
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (due > deadline) {
      std::this_thread::sleep_until(deadline);
      return 0;
    }
    std::this_thread::sleep_until(due);
  }
  if (r.outcome == Read::Outcome::error) {
    ++next_;
    throw TransportError(r.error);
  }
  const std::size_t n = std::min(buffer.size(), r.bytes.size() - chunk_read_);
  std::copy_n(r.bytes.begin() + static_cast<std::ptrdiff_t>(chunk_read_), n, buffer.begin());
  chunk_read_ += n;
  if (chunk_read_ == r.bytes.size()) {
    ++next_;
    chunk_read_ = 0;
  }
  return n;
}

}  // namespace stridefuse
