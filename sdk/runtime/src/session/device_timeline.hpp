#pragma once
// One device's clocks, on the fusion thread: maps each sample of the batches
// its reader queued from device ticks to session time, in place. Each stream
// counts on its own crystal (DeviceClock); the streams of a driver behind a
// bridge (Driver::bridge_clock) go sensor -> bridge -> host (BridgedClock).
// Mapping is a function of the device's batch sequence alone, so it gives the
// same times whenever it runs; the session maps a device's batches ahead of
// taking their samples when a status snapshot needs the clock state of a
// reader step (map_through).
//
// Fusion thread only, except rejected(), which any thread may read.

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include "session/device_reader.hpp"
#include "session/stream_clock_report.hpp"
#include "stridefuse/core/bridged_clock.hpp"
#include "stridefuse/core/device_clock.hpp"
#include "stridefuse/core/events.hpp"

namespace stridefuse::detail {

class DeviceTimeline {
 public:
  /// `min_delay_s`: the transport's least delay (Transport::min_delay_s), which
  /// one-way sync cannot see and subtracts from every arrival. Throws
  /// std::invalid_argument as DeviceClock for a stream's bad tick rate or width.
  DeviceTimeline(DeviceReader& reader, double min_delay_s);

  /// Maps the reader's queued batches committed at or before reader step
  /// `step` (every queued batch when empty), keeping their samples pending.
  void map_through(std::optional<std::uint64_t> step);

  /// The next pending sample its clock accepted, now on the session clock (its
  /// t_s, t_error_s and unwrapped device_tick set), mapping the next queued
  /// batch when none is pending; null when the reader has queued nothing more.
  /// Valid until the next call.
  Sample* next();

  /// Per local stream: the latest error bound, and the clock's counters and drift.
  const std::vector<double>& error_bounds_s() const { return error_bounds_s_; }
  std::vector<StreamClockStatus> clock_status() const;
  /// Samples mapped so far whose tick was a duplicate or impossible (dropped).
  std::uint64_t rejected() const { return rejected_.load(std::memory_order_relaxed); }
  /// Those of one local stream.
  std::uint64_t rejected(std::size_t local_stream) const {
    return rejected_per_stream_[local_stream].load(std::memory_order_relaxed);
  }

 private:
  bool map_one();
  void map(ReadBatch& batch);

  DeviceReader& reader_;
  std::vector<std::variant<DeviceClock, BridgedClock>> clocks_;  // per local stream
  std::vector<StreamClockReport> clock_reports_;                 // beside clocks_
  std::vector<double> error_bounds_s_;
  std::deque<ReadBatch*> mapped_;  // taken from the reader, mapped, samples not all taken
  std::size_t cursor_ = 0;         // next sample of mapped_.front()
  std::atomic<std::uint64_t> rejected_{0};
  std::unique_ptr<std::atomic<std::uint64_t>[]> rejected_per_stream_;  // beside clocks_
};

}  // namespace stridefuse::detail
