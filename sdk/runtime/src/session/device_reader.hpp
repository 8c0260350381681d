#pragma once
// One device's reader: transport bytes -> driver frames -> per-stream clock
// sync -> samples on a bounded queue for the fusion thread. Live, it runs on
// its own thread; a replay calls begin() and step() itself.
//
// Each read's outcome is committed in one piece (stats, error bounds, the
// samples queued, a step counter) under one lock, so a snapshot taken by the
// fusion thread is always "after step k" for some k, and every sample the
// fusion thread has popped belongs to a step at or before it: a replay
// reproduces the snapshot by running the reader to step k.

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "session/fusion_trace.hpp"
#include "session/stream_clock_report.hpp"
#include "stridefuse/core/bridged_clock.hpp"
#include "stridefuse/core/device_clock.hpp"
#include "stridefuse/runtime/session.hpp"
#include "stridefuse/core/spsc_queue.hpp"

namespace stridefuse {
class StampedTransport;
}

namespace stridefuse::detail {

class DeviceReader {
 public:
  enum class StepResult {
    idle,          ///< nothing arrived in time
    progressed,    ///< a state change was committed
    retry_later,   ///< the device went away and may come back: wait a little, step again
    ended,         ///< the device is gone for good
  };

  /// `first_stream` is the session-wide index of this device's first stream.
  DeviceReader(std::unique_ptr<Transport> transport, std::unique_ptr<Driver> driver, std::uint16_t first_stream,
               const SessionClock& clock, std::size_t queue_capacity);
  ~DeviceReader();

  const std::vector<StreamDescriptor>& streams() const { return streams_; }

  /// Live: starts the reader thread.
  void start();
  void request_stop() { stop_.store(true); }
  void join();

  /// Starts the device (driver start); false when that failed (committed as a step).
  bool begin();
  /// One read and what follows from it, or restarting a device that went
  /// away. Commits at most one state change.
  StepResult step();
  /// Whether the next step() restarts a device that went away rather than
  /// reading: that step needs no traffic (replay of a cut recording relies on it).
  bool restart_pending() const { return restart_; }

  /// Consumer side, fusion thread only.
  bool pop(Sample& sample) { return queue_.try_pop(sample); }

  DeviceStats stats() const;
  ReaderSnapshot snapshot() const;

  /// Latest clock error bound of one of this device's streams (local index), seconds.
  double clock_error_bound_s(std::size_t local_stream) const;

  Transport& transport() { return *transport_; }

 private:
  void run();
  void commit_disconnect(std::string error);

  std::unique_ptr<Transport> transport_;
  std::unique_ptr<Driver> driver_;
  StampedTransport* stamped_ = nullptr;  // transport_ when it stamps arrivals itself
  std::vector<StreamDescriptor> streams_;
  std::uint16_t first_stream_;
  const SessionClock& clock_;
  // One per stream: each sensor counts on its own crystal. Streams of a
  // driver behind a bridge (Driver::bridge_clock()) go sensor -> bridge -> host.
  std::vector<std::variant<DeviceClock, BridgedClock>> clocks_;
  std::vector<StreamClockReport> clock_reports_;  // per stream, beside clocks_
  SpscQueue<Sample> queue_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  bool restart_ = false;             // the device went away; start it again once it is back
  std::array<std::uint8_t, 4096> buffer_{};
  std::vector<Sample> decoded_;      // samples of the read being processed
  std::uint64_t bad_stream_frames_ = 0;  // unknown stream, or a bridged stream's frame without its bridge tick

  mutable std::mutex state_mutex_;  // guards stats_, error_bounds_s_, clock_status_, steps_ (written by the reader, read by anyone)
  DeviceStats stats_;
  std::vector<double> error_bounds_s_;
  std::vector<StreamClockStatus> clock_status_;
  std::uint64_t steps_ = 0;
};

}  // namespace stridefuse::detail
