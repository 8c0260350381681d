#pragma once
// The fusion thread's work, apart from where its inputs come from: session
// time (SampleTimebase), merge, engine, status and session events. The live
// session drives it from device readers on their threads and the host clock; a
// replay drives it from a recording, stepping the readers itself. Both must
// call it in the same order with the same values to publish the same events.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "session/fusion_trace.hpp"
#include "session/provenance_tracker.hpp"
#include "session/sample_timebase.hpp"
#include "stridefuse/core/sample_merger.hpp"
#include "stridefuse/fusion/engine.hpp"

namespace stridefuse::detail {

class FusionCore {
 public:
  /// `readers`: the session's devices in order; their streams make the session's stream table.
  /// `session_zero`: the session clock's zero on the host clock when the
  /// session runs on it (live), so publishers can stamp when they publish;
  /// empty for replays and device-time sessions. Every event is published with
  /// its provenance (EventPublisher::publish_traced).
  FusionCore(const SessionConfig& config, std::vector<DeviceReader*> readers, EventPublisher& publisher,
             std::atomic<std::uint32_t>& steps,
             std::optional<std::chrono::steady_clock::time_point> session_zero = std::nullopt);

  /// Publishes SessionStartEvent.
  void start(std::uint64_t host_start_unix_ns);

  /// Takes every sample device `d` has queued: onto the session clock and into
  /// the merge. Returns how many (what a recording keeps as the turn's `popped`).
  std::uint32_t take_waiting(std::size_t d);
  /// Takes exactly `count` samples of device `d`, calling `produce` whenever the
  /// device has none queued (a replay steps its reader there).
  void take(std::size_t d, std::uint32_t count, const std::function<void()>& produce);

  /// Each device's state after its reader's latest step: the reader's stats and
  /// its clocks' state having mapped every batch of that step and before.
  std::vector<ReaderSnapshot> snapshots();

  /// Whether release(now_s) would feed the engine anything.
  bool release_due(double now_s) const;
  /// The earliest session time at which a turn has work without new samples
  /// (the merge's next timed release or the next status): a live session
  /// sleeps until then unless a device reader wakes it.
  double next_due_s() const;
  /// Feeds the engine what the merge releases at now_s (late samples are counted, not fed).
  void release(double now_s);

  /// One turn of a session that takes whatever its readers queued: takes it
  /// (counts into `popped`, one per device), then asks `now_s` for the turn's
  /// session time (every sample taken arrived before it), releases what is
  /// due then into the engine and publishes status when due; records the turn
  /// in `trace` (may be null) before the events it causes, unless it changed
  /// nothing. Returns whether any sample was taken.
  bool turn(const std::function<double()>& now_s, std::vector<std::uint32_t>& popped, FusionTrace* trace);

  bool status_due(double now_s) const { return now_s >= next_status_s_; }
  /// Publishes one DeviceStatusEvent per stream and schedules the next.
  void publish_status(double now_s, const std::vector<ReaderSnapshot>& readers);
  /// Flushes the merge, finishes the engine, publishes the final status and SessionEndEvent.
  void finish(double end_s, const std::vector<ReaderSnapshot>& readers);

  /// Device `d`'s stats so far (any thread): its reader's and its clocks' rejections.
  DeviceStats device_stats(std::size_t d) const;

 private:
  void feed(const Sample& sample, bool late);
  void status_events(double now_s, const std::vector<ReaderSnapshot>& readers, bool final);
  /// The reader's clock state of one session stream with the latency calibration's fields filled in.
  StreamClockStatus clock_status(std::size_t session_stream, const StreamClockStatus& reader_side) const;

  const SessionConfig& config_;
  EventPublisher& publisher_;
  std::atomic<std::uint32_t>& steps_;
  std::vector<DeviceReader*> readers_;
  std::vector<StreamDescriptor> streams_;  // the session's stream table
  SampleTimebase timebase_;
  ProvenanceTracker provenance_;
  fusion::Engine engine_;
  SampleMerger merger_;
  std::vector<std::uint64_t> late_samples_;  // per session stream
  std::vector<bool> insole_;                 // per session stream: an insole the latency calibration may correct
  std::vector<StreamClockStatus> reported_clock_;  // per session stream, as in the previous status event
  double next_status_s_ = 0.0;
};

}  // namespace stridefuse::detail
