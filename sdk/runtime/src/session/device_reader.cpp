#include "device_reader.hpp"

#include "session/short_slices.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace stridefuse::detail {
namespace {
// Short enough that stop() is prompt, long enough not to spin.
constexpr std::chrono::milliseconds read_timeout{20};
// The longest wait between attempts to reopen a transport that went away: a
// replugged bridge is back within this of reappearing.
constexpr std::chrono::milliseconds max_retry_wait{1000};
}  // namespace

DeviceReader::DeviceReader(std::unique_ptr<Transport> transport, std::unique_ptr<Driver> driver,
                           std::uint16_t first_stream, const SessionClock& clock, std::size_t queue_capacity)
    : transport_(std::move(transport)),
      driver_(std::move(driver)),
      stamped_(dynamic_cast<StampedTransport*>(transport_.get())),
      streams_(driver_->streams()),
      bridge_(driver_->bridge_clock()),
      first_stream_(first_stream),
      clock_(clock),
      queue_capacity_(queue_capacity),
      ready_(queue_capacity),
      recycled_(queue_capacity) {
  if (queue_capacity == 0) throw std::invalid_argument("a device reader needs a queue capacity of at least 1 sample");
  stats_.driver = driver_->name();
  stats_.transport = transport_->describe();
  stats_.links = driver_->stream_links();
  stats_.streams.resize(streams_.size());
  stream_decode_.resize(streams_.size());
}

DeviceReader::~DeviceReader() {
  request_stop();
  join();
}

void DeviceReader::start() { thread_ = std::thread([this] { run(); }); }

void DeviceReader::join() {
  if (thread_.joinable()) thread_.join();
}

void DeviceReader::run() {
  prefer_short_slices();
  if (!begin()) return;
  // The device is told to stop however the loop ends; stop() must not throw.
  struct StopOnExit {
    DeviceReader& reader;
    ~StopOnExit() { reader.end(); }
  } stop_on_exit{*this};
  while (!stop_.load()) {
    const auto result = step();
    if (result == StepResult::ended) return;
    if (result == StepResult::retry_later) {
      // Bounded backoff while the transport is away; slept in read-sized
      // slices so that stop() stays prompt.
      const auto until = std::chrono::steady_clock::now() + retry_wait_;
      while (!stop_.load() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(read_timeout);
      retry_wait_ = std::min(retry_wait_ * 2, max_retry_wait);
    }
  }
}

bool DeviceReader::begin() {
  try {
    driver_->start(*transport_);
    return true;
  } catch (const std::exception& e) {
    commit_disconnect(std::string("could not start the device: ") + e.what());
    return false;
  }
}

void DeviceReader::end() noexcept { driver_->stop(*transport_); }

void DeviceReader::commit_disconnect(std::string error, bool reconnecting) {
  std::lock_guard lock(state_mutex_);
  stats_.disconnected = true;
  stats_.reconnecting = reconnecting;
  stats_.error = std::move(error);
  ++steps_;
}

ReadBatch* DeviceReader::fresh_batch() {
  ReadBatch* batch = std::exchange(spare_, nullptr);
  if (!batch && !recycled_.try_pop(batch)) batch = pool_.emplace_back(std::make_unique<ReadBatch>()).get();
  batch->samples.clear();
  return batch;
}

// Gives the samples the session's stream numbers and drops those clock sync
// could not place: an unknown stream, or a bridged stream's sample without its
// bridge tick (no time base to sync against). Returns how many were dropped.
std::size_t DeviceReader::keep_known_streams(SampleBatch& samples) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    Sample& s = samples[i];
    if (s.stream >= streams_.size() || (bridge_ && !s.has_bridge_tick)) continue;
    s.stream = static_cast<std::uint16_t>(first_stream_ + s.stream);
    if (kept != i) samples[kept] = s;
    ++kept;
  }
  const std::size_t dropped = samples.size() - kept;
  samples.truncate(kept);
  return dropped;
}

DeviceReader::StepResult DeviceReader::step() {
  std::size_t n = 0;
  try {
    if (restart_) {
      // The restart is a step of its own: a snapshot may fall between it and the next read's.
      driver_->start(*transport_);
      restart_ = false;
      retry_wait_ = read_timeout;
      std::lock_guard lock(state_mutex_);
      stats_.disconnected = false;
      stats_.reconnecting = false;
      ++stats_.reconnects;
      stats_.error.clear();
      stats_.links = driver_->stream_links();
      ++steps_;
      return StepResult::progressed;
    }
    n = transport_->read(buffer_, read_timeout);
    if (n == 0) {
      // Nothing arrived, but time passed: a retry or a reconnection may be due.
      // A change of the links is a step of its own, like a read's outcome.
      const double now_s = stamped_ ? stamped_->last_arrival_s() : clock_.now_s();
      const bool changed = driver_->tend(*transport_, now_s);
      if (!changed) return StepResult::idle;
      std::lock_guard lock(state_mutex_);
      stats_.links = driver_->stream_links();
      ++steps_;
      return StepResult::progressed;
    }
  } catch (const TransportError& e) {
    commit_disconnect(e.what(), transport_->reconnects());
    if (!transport_->reconnects()) return StepResult::ended;
    restart_ = true;
    return StepResult::retry_later;
  }

  ReadBatch* batch = fresh_batch();
  batch->arrival_s = stamped_ ? stamped_->last_arrival_s() : clock_.now_s();
  driver_->decode({buffer_.data(), n}, batch->samples);
  bool links_changed = false;
  try {
    links_changed = driver_->tend(*transport_, batch->arrival_s);  // answers what the read brought (a link lost, a reply)
  } catch (const TransportError&) {
    // The transport failed as the driver wrote: the next read reports it
    // (the driver keeps a change of its links for the next tend()).
  }
  bad_stream_samples_ += keep_known_streams(batch->samples);
  // The fusion thread has fallen behind by a whole queue: what does not fit is lost (counted).
  const std::size_t room = queue_capacity_ - std::min(queue_capacity_, queued_samples_.load());
  const std::size_t overflow = batch->samples.size() - std::min(room, batch->samples.size());
  if (overflow > 0) {
    std::lock_guard lock(state_mutex_);
    for (std::size_t i = batch->samples.size() - overflow; i < batch->samples.size(); ++i)
      ++stats_.streams[batch->samples[i].stream - first_stream_].queue_overflows;
  }
  batch->samples.truncate(batch->samples.size() - overflow);
  driver_->stream_counters(stream_decode_);

  bool queued = false;
  {
    // The batch becomes visible to the fusion thread under the lock that also
    // publishes this step: a snapshot taken after a take() covers the take's step.
    std::lock_guard lock(state_mutex_);
    batch->step = steps_ + 1;
    if (batch->samples.empty()) {
      spare_ = batch;  // nothing to hand over: the next read reuses it
    } else {
      queued_samples_ += batch->samples.size();
      ready_.try_push(batch);  // cannot be full: every queued batch holds a sample, and samples are bounded
      stats_.samples += batch->samples.size();
      queued = true;
    }
    stats_.queue_overflows += overflow;
    stats_.decode = driver_->counters();
    stats_.decode.malformed += bad_stream_samples_;
    if (links_changed) stats_.links = driver_->stream_links();
    for (std::size_t i = 0; i < stream_decode_.size(); ++i) stats_.streams[i].decode = stream_decode_[i];
    ++steps_;
  }
  if (queued && wake_) wake_->notify();
  return StepResult::progressed;
}

ReadBatch* DeviceReader::take() {
  ReadBatch* batch = nullptr;
  return ready_.try_pop(batch) ? batch : nullptr;
}

std::optional<std::uint64_t> DeviceReader::next_step() const {
  const ReadBatch* const* next = ready_.peek();
  if (!next) return std::nullopt;
  return (*next)->step;
}

void DeviceReader::recycle(ReadBatch* batch) {
  queued_samples_ -= batch->samples.size();
  recycled_.try_push(batch);
}

DeviceStats DeviceReader::stats() const {
  std::lock_guard lock(state_mutex_);
  return stats_;
}

ReaderState DeviceReader::snapshot() const {
  std::lock_guard lock(state_mutex_);
  return {stats_, steps_};
}

}  // namespace stridefuse::detail
