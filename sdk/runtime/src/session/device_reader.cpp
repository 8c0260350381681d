#include "device_reader.hpp"

#include <stdexcept>

#include "stridefuse/runtime/session_recording.hpp"

namespace stridefuse::detail {
namespace {
// Short enough that stop() is prompt, long enough not to spin.
constexpr std::chrono::milliseconds read_timeout{20};

// A counter at `tick_rate_hz` reached over a link whose known minimum latency
// is `min_delay_s`: one-way sync cannot see that latency (it looks like an
// offset), so it is subtracted from every arrival.
DeviceClockConfig counter_config(double tick_rate_hz, unsigned tick_bits, double min_delay_s) {
  DeviceClockConfig c;
  c.tick_rate_hz = tick_rate_hz;
  c.tick_bits = tick_bits;
  c.min_delay_s = min_delay_s;
  return c;
}

DeviceClockConfig clock_config_for(const StreamDescriptor& s, const Transport& transport) {
  return counter_config(s.tick_rate_hz, s.tick_bits, transport.min_delay_s());
}

// Behind a bridge the transport's latency is the bridge -> host link's; the
// sensor -> bridge link (BLE) states none, so its floor is taken as zero.
DeviceClockConfig sensor_link_config(const StreamDescriptor& s) {
  return counter_config(s.tick_rate_hz, s.tick_bits, 0.0);
}

DeviceClockConfig bridge_link_config(const BridgeClockInfo& bridge, const Transport& transport) {
  return counter_config(bridge.tick_rate_hz, bridge.tick_bits, transport.min_delay_s());
}
}  // namespace

DeviceReader::DeviceReader(std::unique_ptr<Transport> transport, std::unique_ptr<Driver> driver,
                           std::uint16_t first_stream, const SessionClock& clock, std::size_t queue_capacity)
    : transport_(std::move(transport)),
      driver_(std::move(driver)),
      stamped_(dynamic_cast<StampedTransport*>(transport_.get())),
      streams_(driver_->streams()),
      first_stream_(first_stream),
      clock_(clock),
      queue_(queue_capacity) {
  const auto bridge = driver_->bridge_clock();
  for (const auto& s : streams_) {
    if (bridge)
      clocks_.emplace_back(std::in_place_type<BridgedClock>, sensor_link_config(s),
                           bridge_link_config(*bridge, *transport_));
    else
      clocks_.emplace_back(std::in_place_type<DeviceClock>, clock_config_for(s, *transport_));
    clock_reports_.emplace_back(s.tick_rate_hz);
  }
  stats_.driver = driver_->name();
  stats_.transport = transport_->describe();
  error_bounds_s_.assign(streams_.size(), 0.0);
  clock_status_.assign(streams_.size(), StreamClockStatus{});
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
  if (!begin()) return;
  // The device is told to stop however the loop ends; stop() must not throw.
  struct StopOnExit {
    Driver& driver;
    Transport& transport;
    ~StopOnExit() { driver.stop(transport); }
  } stop_on_exit{*driver_, *transport_};
  while (!stop_.load()) {
    const auto result = step();
    if (result == StepResult::ended) return;
    if (result == StepResult::retry_later) std::this_thread::sleep_for(read_timeout);
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

void DeviceReader::commit_disconnect(std::string error) {
  std::lock_guard lock(state_mutex_);
  stats_.disconnected = true;
  stats_.error = std::move(error);
  ++steps_;
}

DeviceReader::StepResult DeviceReader::step() {
  std::size_t n = 0;
  try {
    if (restart_) {
      // The restart is a step of its own: a snapshot may fall between it and the next read's.
      driver_->start(*transport_);
      restart_ = false;
      std::lock_guard lock(state_mutex_);
      stats_.disconnected = false;
      stats_.error.clear();
      ++steps_;
      return StepResult::progressed;
    }
    n = transport_->read(buffer_, read_timeout);
  } catch (const TransportError& e) {
    commit_disconnect(e.what());
    if (!transport_->reconnects()) return StepResult::ended;
    restart_ = true;
    return StepResult::retry_later;
  }
  if (n == 0) return StepResult::idle;
  const double arrival_s = stamped_ ? stamped_->last_arrival_s() : clock_.now_s();

  decoded_.clear();
  std::uint64_t rejected = 0;
  std::vector<std::pair<std::size_t, double>> bounds;  // local stream, error bound
  driver_->decode({buffer_.data(), n}, [&](const Frame& frame) {
    if (frame.stream >= streams_.size()) {
      ++bad_stream_frames_;
      return;
    }
    ClockMapping mapping;
    if (auto* bridged = std::get_if<BridgedClock>(&clocks_[frame.stream])) {
      if (!frame.bridge_tick) {
        ++bad_stream_frames_;  // a bridge driver that lost the stamp: no time base to sync against
        return;
      }
      mapping = bridged->observe(frame.raw_tick, *frame.bridge_tick, arrival_s);
    } else {
      mapping = std::get<DeviceClock>(clocks_[frame.stream]).observe(frame.raw_tick, arrival_s);
    }
    clock_reports_[frame.stream].observe(mapping);
    if (mapping.status == ClockMapping::Status::duplicate || mapping.status == ClockMapping::Status::rejected) {
      // A repeated or impossible tick carries no new measurement; the clock counted it.
      ++rejected;
      return;
    }
    Sample s;
    s.stream = static_cast<std::uint16_t>(first_stream_ + frame.stream);
    s.device_tick = mapping.unwrapped_tick;
    s.t_s = mapping.t_s;
    s.t_error_s = mapping.error_bound_s;
    s.channel_count = frame.channel_count;
    s.values = frame.values;
    decoded_.push_back(s);
    bounds.emplace_back(frame.stream, mapping.error_bound_s);
  });

  std::vector<StreamClockStatus> clock_status;
  clock_status.reserve(streams_.size());
  for (std::size_t i = 0; i < streams_.size(); ++i) clock_status.push_back(clock_reports_[i].status(clocks_[i]));

  // Samples become visible to the fusion thread under the lock that also
  // publishes this step: a snapshot taken after a pop covers the pop's step.
  std::lock_guard lock(state_mutex_);
  clock_status_ = std::move(clock_status);
  for (const auto& s : decoded_) {
    if (queue_.try_push(s))
      ++stats_.samples;
    else
      ++stats_.queue_overflows;
  }
  for (const auto& [stream, bound] : bounds) error_bounds_s_[stream] = bound;
  stats_.clock_rejected += rejected;
  stats_.decode = driver_->counters();
  stats_.decode.malformed += bad_stream_frames_;
  ++steps_;
  return StepResult::progressed;
}

DeviceStats DeviceReader::stats() const {
  std::lock_guard lock(state_mutex_);
  return stats_;
}

ReaderSnapshot DeviceReader::snapshot() const {
  std::lock_guard lock(state_mutex_);
  return {stats_, error_bounds_s_, clock_status_, steps_};
}

double DeviceReader::clock_error_bound_s(std::size_t local_stream) const {
  std::lock_guard lock(state_mutex_);
  return error_bounds_s_.at(local_stream);
}

}  // namespace stridefuse::detail
