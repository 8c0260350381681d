#include "stridefuse/raw_traffic.hpp"

#include <algorithm>
#include <boost/endian/conversion.hpp>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace stridefuse {
namespace {

constexpr char magic[] = "SFRAW1\n";
constexpr std::size_t magic_bytes = 7;
constexpr std::uint32_t max_record_bytes = 16u << 20;

template <class T>
void put(std::ofstream& out, T v) {
  v = boost::endian::native_to_little(v);
  out.write(reinterpret_cast<const char*>(&v), sizeof v);
}

template <class T>
bool get(std::ifstream& in, T& v) {
  if (!in.read(reinterpret_cast<char*>(&v), sizeof v)) return false;
  v = boost::endian::little_to_native(v);
  return true;
}

}  // namespace

RecordingTransport::RecordingTransport(std::unique_ptr<Transport> inner, const std::string& path)
    : inner_(std::move(inner)), out_(path, std::ios::binary | std::ios::trunc), path_(path),
      start_(std::chrono::steady_clock::now()) {
  if (!inner_) throw std::invalid_argument("RecordingTransport needs a transport");
  if (!out_) throw std::runtime_error("cannot create raw traffic file " + path);
  out_.write(magic, magic_bytes);
}

void RecordingTransport::record(std::uint8_t direction, std::span<const std::uint8_t> bytes) {
  const auto t_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_);
  put<std::uint64_t>(out_, static_cast<std::uint64_t>(t_us.count()));
  put<std::uint8_t>(out_, direction);
  put<std::uint32_t>(out_, static_cast<std::uint32_t>(bytes.size()));
  out_.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out_.flush();
  if (!out_) throw TransportError("cannot write raw traffic file " + path_);
}

std::size_t RecordingTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  const std::size_t n = inner_->read(buffer, timeout);
  if (n > 0) record(0, buffer.first(n));
  return n;
}

void RecordingTransport::write(std::span<const std::uint8_t> bytes) {
  record(1, bytes);
  inner_->write(bytes);
}

ReplayTransport::ReplayTransport(const std::string& path, double speed)
    : path_(path), speed_(speed), in_(path, std::ios::binary) {
  if (!(speed >= 0.0)) throw std::invalid_argument("replay speed must not be negative");
  if (!in_) throw std::runtime_error("cannot open raw traffic file " + path);
  char head[magic_bytes] = {};
  if (!in_.read(head, magic_bytes) || std::memcmp(head, magic, magic_bytes) != 0)
    throw std::runtime_error(path + " is not a raw traffic recording (no SFRAW1 header)");
}

bool ReplayTransport::next_record() {
  while (true) {
    std::uint64_t t_us = 0;
    std::uint8_t direction = 0;
    std::uint32_t length = 0;
    if (!get(in_, t_us)) {
      if (in_.eof() && in_.gcount() == 0) return false;
      throw TransportError("raw traffic file " + path_ + " is truncated");
    }
    if (!get(in_, direction) || !get(in_, length) || direction > 1 || length > max_record_bytes)
      throw TransportError("raw traffic file " + path_ + " has a corrupt record");
    chunk_.resize(length);
    if (!in_.read(reinterpret_cast<char*>(chunk_.data()), length))
      throw TransportError("raw traffic file " + path_ + " is truncated");
    if (direction != 0) continue;
    due_us_ = t_us;
    chunk_read_ = 0;
    return true;
  }
}

std::size_t ReplayTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  if (!started_) {
    started_ = true;
    start_ = std::chrono::steady_clock::now();
  }
  if (!have_chunk_ || chunk_read_ == chunk_.size()) {
    have_chunk_ = next_record();
    if (!have_chunk_) throw TransportError("replay of " + path_ + " finished");
  }
  if (speed_ > 0.0) {
    const auto due = start_ + std::chrono::microseconds(static_cast<std::int64_t>(due_us_ / speed_));
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (due > deadline) {
      std::this_thread::sleep_until(deadline);
      return 0;
    }
    std::this_thread::sleep_until(due);
  }
  const std::size_t n = std::min(buffer.size(), chunk_.size() - chunk_read_);
  std::copy_n(chunk_.begin() + static_cast<std::ptrdiff_t>(chunk_read_), n, buffer.begin());
  chunk_read_ += n;
  return n;
}

}  // namespace stridefuse
