#pragma once
// The fusion thread's work, apart from where its inputs come from: merge,
// engine, status and session events. The live session drives it from device
// queues and the host clock; a replay drives it from a recording. Both must
// call it in the same order with the same values to publish the same events.

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "session/fusion_trace.hpp"
#include "stridefuse/fusion/engine.hpp"
#include "stridefuse/fusion/insole_latency_calibration.hpp"
#include "stridefuse/core/sample_merger.hpp"

namespace stridefuse::detail {

class FusionCore {
 public:
  using Released = std::vector<std::pair<Sample, bool>>;  // sample, late

  /// `device_stream_ids`: per device, its streams' ids in order; `streams`: all of them.
  /// `latency_calibration` (may be null) corrects every sample's time as it is pushed.
  FusionCore(const SessionConfig& config, std::vector<StreamDescriptor> streams,
             std::vector<std::vector<std::string>> device_stream_ids, EventPublisher& publisher,
             std::atomic<std::uint32_t>& steps, InsoleLatencyCalibration* latency_calibration);

  /// Publishes SessionStartEvent.
  void start(std::uint64_t host_start_unix_ns);
  /// Takes a sample popped from a device reader.
  void push(const Sample& sample);
  /// Takes from the merger what is due at now_s (not yet fed to the engine).
  void collect(double now_s, Released& out);
  /// Feeds collected samples to the engine (late ones are counted, not fed).
  void feed(const Released& released);
  bool status_due(double now_s) const { return now_s >= next_status_s_; }
  /// Publishes one DeviceStatusEvent per stream and schedules the next.
  void publish_status(double now_s, const std::vector<ReaderSnapshot>& readers);
  /// Flushes the merger, finishes the engine, publishes the final status and SessionEndEvent.
  void finish(double end_s, const std::vector<ReaderSnapshot>& readers);

 private:
  void status_events(double now_s, const std::vector<ReaderSnapshot>& readers, bool final);
  /// The reader's clock state of one session stream with the latency calibration's fields filled in.
  StreamClockStatus clock_status(std::size_t session_stream, const StreamClockStatus& reader_side) const;

  const SessionConfig& config_;
  EventPublisher& publisher_;
  std::atomic<std::uint32_t>& steps_;
  InsoleLatencyCalibration* latency_calibration_;
  std::vector<std::vector<std::string>> device_stream_ids_;
  fusion::Engine engine_;
  SampleMerger merger_;
  std::vector<std::uint64_t> late_samples_;  // per session stream
  std::vector<bool> insole_;                 // per session stream: an insole the latency calibration may correct
  std::vector<StreamClockStatus> reported_clock_;  // per session stream, as in the previous status event
  double next_status_s_ = 0.0;
};

}  // namespace stridefuse::detail
