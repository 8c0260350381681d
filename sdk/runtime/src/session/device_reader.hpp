#pragma once
// One device's reader: transport bytes -> driver -> a batch of samples handed
// to the fusion thread with the read's arrival time. Live, it runs on its own
// thread; a replay calls begin() and step() itself. Clock sync does not
// happen here: the fusion thread maps every sample's time (DeviceTimeline).
//
// Each read's outcome is committed in one piece (stats, the batch queued, a
// step counter) under one lock, so a snapshot taken by the fusion thread is
// always "after step k" for some k, and every batch queued by then belongs to
// a step at or before it: a replay reproduces the snapshot by running the
// reader to step k.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "session/fusion_wake.hpp"
#include "session/read_batch.hpp"
#include "stridefuse/core/driver.hpp"
#include "stridefuse/core/spsc_queue.hpp"
#include "stridefuse/runtime/session.hpp"
#include "stridefuse/runtime/session_clock.hpp"

namespace stridefuse::detail {

/// The reader's side of a status snapshot.
struct ReaderState {
  DeviceStats stats;              ///< samples: queued to the fusion thread (before clock sync's rejections)
  std::uint64_t steps = 0;        ///< state changes committed so far (see step())
};

class DeviceReader {
 public:
  enum class StepResult {
    idle,          ///< nothing arrived in time
    progressed,    ///< a state change was committed
    retry_later,   ///< the device went away and may come back: wait a little, step again
    ended,         ///< the device is gone for good
  };

  /// `first_stream` is the session-wide index of this device's first stream;
  /// `queue_capacity` bounds the samples queued and not yet taken.
  DeviceReader(std::unique_ptr<Transport> transport, std::unique_ptr<Driver> driver, std::uint16_t first_stream,
               const SessionClock& clock, std::size_t queue_capacity);
  ~DeviceReader();

  const std::vector<StreamDescriptor>& streams() const { return streams_; }
  std::uint16_t first_stream() const { return first_stream_; }
  std::optional<BridgeClockInfo> bridge_clock() const { return bridge_; }

  /// Live: whom to wake whenever a read queued samples; set before start().
  void wake_on_samples(FusionWake* wake) { wake_ = wake; }
  /// Live: starts the reader thread.
  void start();
  void request_stop() { stop_.store(true); }
  void join();

  /// Starts the device (driver start); false when that failed (committed as a step).
  bool begin();
  /// Tells the device to stop streaming (driver stop), as a reader thread does when it ends.
  void end() noexcept;
  /// One read and what follows from it, or restarting a device that went
  /// away. Commits at most one state change.
  StepResult step();
  /// Whether the next step() restarts a device that went away rather than
  /// reading: that step needs no traffic (replay of a cut recording relies on it).
  bool restart_pending() const { return restart_; }

  /// Consumer side, fusion thread only: the oldest queued batch (null when
  /// none waits), owned by the caller until it gives it back with recycle().
  ReadBatch* take();
  void recycle(ReadBatch* batch);
  /// The step of the batch take() would return next; empty when none waits.
  std::optional<std::uint64_t> next_step() const;

  DeviceStats stats() const;
  ReaderState snapshot() const;

  Transport& transport() { return *transport_; }

 private:
  void run();
  void commit_disconnect(std::string error, bool reconnecting = false);
  ReadBatch* fresh_batch();
  std::size_t keep_known_streams(SampleBatch& samples);

  std::unique_ptr<Transport> transport_;
  std::unique_ptr<Driver> driver_;
  StampedTransport* stamped_ = nullptr;  // transport_ when it stamps arrivals itself
  std::vector<StreamDescriptor> streams_;
  std::optional<BridgeClockInfo> bridge_;
  std::uint16_t first_stream_;
  const SessionClock& clock_;
  std::size_t queue_capacity_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  FusionWake* wake_ = nullptr;
  bool restart_ = false;             // the device went away; start it again once it is back
  std::chrono::milliseconds retry_wait_{20};  // live: wait before the next restart attempt (doubles, bounded)
  std::vector<std::uint8_t> buffer_ = std::vector<std::uint8_t>(4096);

  // The batches: allocated by the reader as it needs them, queued to the
  // fusion thread, given back for reuse. queued_samples_ counts those queued
  // and not yet given back, against queue_capacity_.
  std::vector<std::unique_ptr<ReadBatch>> pool_;
  ReadBatch* spare_ = nullptr;     // a batch the reader kept (its read decoded nothing)
  SpscQueue<ReadBatch*> ready_;
  SpscQueue<ReadBatch*> recycled_;
  std::atomic<std::size_t> queued_samples_{0};
  std::uint64_t bad_stream_samples_ = 0;  // unknown stream, or a bridged stream's sample without its bridge tick

  mutable std::mutex state_mutex_;  // guards stats_ and steps_ (written by the reader, read by anyone)
  DeviceStats stats_;
  std::vector<DecodeCounters> stream_decode_;  // the driver's per-stream counts, taken outside the lock
  std::uint64_t steps_ = 0;
};

}  // namespace stridefuse::detail
