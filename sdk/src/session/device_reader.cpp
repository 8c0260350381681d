#include "device_reader.hpp"

#include <array>
#include <stdexcept>

namespace stridefuse::detail {
namespace {
// Short enough that stop() is prompt, long enough not to spin.
constexpr std::chrono::milliseconds read_timeout{20};

DeviceClockConfig clock_config_for(const StreamDescriptor& s) {
  DeviceClockConfig c;
  c.tick_rate_hz = s.tick_rate_hz;
  c.tick_bits = s.tick_bits;
  return c;
}
}  // namespace

DeviceReader::DeviceReader(std::unique_ptr<Transport> transport, std::unique_ptr<Driver> driver,
                           std::uint16_t first_stream, const SessionClock& clock, std::size_t queue_capacity)
    : transport_(std::move(transport)),
      driver_(std::move(driver)),
      streams_(driver_->streams()),
      first_stream_(first_stream),
      clock_(clock),
      queue_(queue_capacity) {
  for (const auto& s : streams_) clocks_.emplace_back(clock_config_for(s));
  stats_.driver = driver_->name();
  stats_.transport = transport_->describe();
  error_bounds_s_.assign(streams_.size(), 0.0);
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
  std::array<std::uint8_t, 4096> buffer{};
  try {
    driver_->start(*transport_);
  } catch (const std::exception& e) {
    std::lock_guard lock(stats_mutex_);
    stats_.disconnected = true;
    stats_.error = std::string("could not start the device: ") + e.what();
    return;
  }
  // The device is told to stop however the loop ends; stop() must not throw.
  struct StopOnExit {
    Driver& driver;
    Transport& transport;
    ~StopOnExit() { driver.stop(transport); }
  } stop_on_exit{*driver_, *transport_};
  bool restart = false;  // the device went away; start it again once it is back
  while (!stop_.load()) {
    std::size_t n = 0;
    try {
      if (restart) {
        driver_->start(*transport_);
        restart = false;
        std::lock_guard lock(stats_mutex_);
        stats_.disconnected = false;
        stats_.error.clear();
      }
      n = transport_->read(buffer, read_timeout);
    } catch (const TransportError& e) {
      {
        std::lock_guard lock(stats_mutex_);
        stats_.disconnected = true;
        stats_.error = e.what();
      }
      if (!transport_->reconnects()) return;
      restart = true;
      std::this_thread::sleep_for(read_timeout);
      continue;
    }
    if (n == 0) continue;
    const double arrival_s = clock_.now_s();
    driver_->decode({buffer.data(), n}, [&](const Frame& f) { on_frame(f, arrival_s); });
    std::lock_guard lock(stats_mutex_);
    stats_.decode = driver_->counters();
  }
}

void DeviceReader::on_frame(const Frame& frame, double arrival_s) {
  if (frame.stream >= streams_.size()) {
    std::lock_guard lock(stats_mutex_);
    ++stats_.decode.malformed;
    return;
  }
  const auto mapping = clocks_[frame.stream].observe(frame.raw_tick, arrival_s);
  if (mapping.status == ClockMapping::Status::duplicate || mapping.status == ClockMapping::Status::rejected) {
    // A repeated or impossible tick carries no new measurement; the clock counted it.
    std::lock_guard lock(stats_mutex_);
    ++stats_.clock_rejected;
    return;
  }
  Sample s;
  s.stream = static_cast<std::uint16_t>(first_stream_ + frame.stream);
  s.device_tick = mapping.unwrapped_tick;
  s.t_s = mapping.t_s;
  s.t_error_s = mapping.error_bound_s;
  s.channel_count = frame.channel_count;
  s.values = frame.values;
  const bool queued = queue_.try_push(s);
  std::lock_guard lock(stats_mutex_);
  error_bounds_s_[frame.stream] = mapping.error_bound_s;
  if (queued)
    ++stats_.samples;
  else
    ++stats_.queue_overflows;
}

DeviceStats DeviceReader::stats() const {
  std::lock_guard lock(stats_mutex_);
  return stats_;
}

double DeviceReader::clock_error_bound_s(std::size_t local_stream) const {
  std::lock_guard lock(stats_mutex_);
  return error_bounds_s_.at(local_stream);
}

}  // namespace stridefuse::detail
