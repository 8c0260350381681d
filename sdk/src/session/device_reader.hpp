#pragma once
// One device's reader thread: transport bytes -> driver frames -> per-stream
// clock sync -> samples on a bounded queue for the fusion thread.

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "stridefuse/device_clock.hpp"
#include "stridefuse/session.hpp"
#include "stridefuse/spsc_queue.hpp"

namespace stridefuse::detail {

class DeviceReader {
 public:
  /// `first_stream` is the session-wide index of this device's first stream.
  DeviceReader(std::unique_ptr<Transport> transport, std::unique_ptr<Driver> driver, std::uint16_t first_stream,
               const SessionClock& clock, std::size_t queue_capacity);
  ~DeviceReader();

  const std::vector<StreamDescriptor>& streams() const { return streams_; }

  void start();
  void request_stop() { stop_.store(true); }
  void join();

  /// Consumer side, fusion thread only.
  bool pop(Sample& sample) { return queue_.try_pop(sample); }

  DeviceStats stats() const;

  /// Latest clock error bound of one of this device's streams (local index), seconds.
  double clock_error_bound_s(std::size_t local_stream) const;

 private:
  void run();
  void on_frame(const Frame& frame, double arrival_s);

  std::unique_ptr<Transport> transport_;
  std::unique_ptr<Driver> driver_;
  std::vector<StreamDescriptor> streams_;
  std::uint16_t first_stream_;
  const SessionClock& clock_;
  std::vector<DeviceClock> clocks_;  // one per stream: each sensor counts on its own crystal
  SpscQueue<Sample> queue_;
  std::atomic<bool> stop_{false};
  std::thread thread_;

  mutable std::mutex stats_mutex_;  // guards stats_ and error_bounds_s_ (written by the reader, read by anyone)
  DeviceStats stats_;
  std::vector<double> error_bounds_s_;
};

}  // namespace stridefuse::detail
