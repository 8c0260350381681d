#include "session/fusion_core.hpp"

#include "session/clock_trouble.hpp"
#include "stridefuse/fusion/metric_support.hpp"

#include <algorithm>
#include <optional>

namespace stridefuse::detail {
namespace {

std::vector<bool> insole_streams(const std::vector<StreamDescriptor>& streams) {
  std::vector<bool> out;
  for (const auto& s : streams) out.push_back(s.kind == StreamKind::insole_pressure && s.insole.has_value());
  return out;
}

}  // namespace

namespace {

std::vector<StreamDescriptor> stream_table(const std::vector<DeviceReader*>& readers) {
  std::vector<StreamDescriptor> out;
  for (const auto* r : readers) out.insert(out.end(), r->streams().begin(), r->streams().end());
  return out;
}

}  // namespace

FusionCore::FusionCore(const SessionConfig& config, std::vector<DeviceReader*> readers, EventPublisher& publisher,
                       std::atomic<std::uint32_t>& steps,
                       std::optional<std::chrono::steady_clock::time_point> session_zero)
    : config_(config),
      publisher_(publisher),
      steps_(steps),
      readers_(std::move(readers)),
      streams_(stream_table(readers_)),
      timebase_(readers_, streams_),
      provenance_(streams_, session_zero),
      engine_(streams_, config.engine,
              [this](const Event& e) {
                if (std::holds_alternative<StepEvent>(e)) ++steps_;
                publisher_.publish_traced(e, provenance_.of_engine_event(e));
              }),
      merger_(SampleMergerConfig{streams_.size(), config.merge_max_wait_s, LateSamplePolicy::release_flagged,
                                 SampleMergerConfig{}.max_buffered}),
      late_samples_(streams_.size(), 0),
      insole_(insole_streams(streams_)),
      reported_clock_(streams_.size()) {}

void FusionCore::start(std::uint64_t host_start_unix_ns) {
  // Produced at session time zero, its own time: the same in a replay.
  publisher_.publish_traced(
      SessionStartEvent{0.0, config_.athlete, host_start_unix_ns, fusion::metric_support(streams_, config_.engine)},
      provenance_.of_session_event(0.0));
}

std::uint32_t FusionCore::take_waiting(std::size_t d) {
  std::uint32_t n = 0;
  while (const Sample* s = timebase_.admit(d)) {
    merger_.push(*s);
    ++n;
  }
  return n;
}

void FusionCore::take(std::size_t d, std::uint32_t count, const std::function<void()>& produce) {
  for (std::uint32_t got = 0; got < count;) {
    if (const Sample* s = timebase_.admit(d)) {
      merger_.push(*s);
      ++got;
    } else {
      produce();
    }
  }
}

std::vector<ReaderSnapshot> FusionCore::snapshots() {
  std::vector<ReaderSnapshot> out;
  out.reserve(readers_.size());
  for (std::size_t d = 0; d < readers_.size(); ++d) {
    const auto reader = readers_[d]->snapshot();
    auto& timeline = timebase_.device(d);
    timeline.map_through(reader.steps);
    ReaderSnapshot s{reader.stats, timeline.error_bounds_s(), timeline.clock_status(), reader.steps};
    // Samples the reader queued that the clock refused never reach the fusion thread's merge.
    s.stats.clock_rejected = timeline.rejected();
    s.stats.samples -= s.stats.clock_rejected;
    for (std::size_t i = 0; i < s.stats.streams.size(); ++i) s.stats.streams[i].clock_rejected = timeline.rejected(i);
    out.push_back(std::move(s));
  }
  return out;
}

DeviceStats FusionCore::device_stats(std::size_t d) const {
  DeviceStats s = readers_[d]->stats();
  s.clock_rejected = timebase_.device(d).rejected();
  s.samples -= std::min(s.samples, s.clock_rejected);
  for (std::size_t i = 0; i < s.streams.size(); ++i) s.streams[i].clock_rejected = timebase_.device(d).rejected(i);
  return s;
}

bool FusionCore::turn(const std::function<double()>& now, std::vector<std::uint32_t>& popped, FusionTrace* trace) {
  bool any = false;
  popped.resize(readers_.size());
  for (std::size_t d = 0; d < readers_.size(); ++d) {
    popped[d] = take_waiting(d);
    any = any || popped[d] > 0;
  }
  const double now_s = now();
  const bool releasing = release_due(now_s);
  std::optional<std::vector<ReaderSnapshot>> status;
  if (status_due(now_s)) status = snapshots();
  // A turn that took nothing, released nothing and published nothing changed nothing: not recorded.
  if (trace && (any || releasing || status)) trace->turn(now_s, popped, status ? &*status : nullptr);
  release(now_s);
  if (status) publish_status(now_s, *status);
  return any;
}

bool FusionCore::release_due(double now_s) const { return merger_.release_due(now_s); }

double FusionCore::next_due_s() const { return std::min(merger_.next_due_s(), next_status_s_); }

void FusionCore::feed(const Sample& sample, bool late) {
  // A late sample cannot be put in order any more: it is counted against its
  // stream and kept from the engine, which needs time order.
  if (late) {
    ++late_samples_[sample.stream];
  } else {
    provenance_.fed(sample);
    engine_.push(sample);
  }
}

void FusionCore::release(double now_s) {
  provenance_.turn(now_s);
  merger_.release(now_s, [this](const Sample& s, bool late) { feed(s, late); });
}

void FusionCore::publish_status(double now_s, const std::vector<ReaderSnapshot>& readers) {
  status_events(now_s, readers, false);
  next_status_s_ = now_s + config_.status_interval_s;
}

void FusionCore::finish(double end_s, const std::vector<ReaderSnapshot>& readers) {
  provenance_.turn(end_s);
  merger_.flush([this](const Sample& s, bool late) { feed(s, late); });
  engine_.finish();
  status_events(end_s, readers, true);
  publisher_.publish_traced(SessionEndEvent{end_s, steps_.load()}, provenance_.of_session_event(end_s));
}

StreamClockStatus FusionCore::clock_status(std::size_t session_stream, const StreamClockStatus& reader_side) const {
  StreamClockStatus c = reader_side;
  if (!insole_[session_stream]) {
    c.latency_correction_s = c.latency_residual_s = Metric::absent(AbsentReason::no_insole);
  } else if (!timebase_.latency_calibration()) {
    // An insole and no active calibration: the session has no pelvis IMU to calibrate against.
    c.latency_correction_s = c.latency_residual_s = Metric::absent(AbsentReason::no_pelvis_sensor);
  } else {
    const auto status = timebase_.latency_calibration()->status(static_cast<std::uint16_t>(session_stream));
    // Applied from the moment the estimate is confident (InsoleLatencyCalibration::correction_s).
    if (status && status->estimate && status->estimate->confident) {
      c.latency_correction_s = Metric::of(status->applied_s);
      c.latency_residual_s = Metric::of(status->estimate->residual_s);
    } else {
      c.latency_correction_s = c.latency_residual_s = Metric::absent(AbsentReason::not_calibrated);
    }
  }
  return c;
}

void FusionCore::status_events(double now_s, const std::vector<ReaderSnapshot>& readers, bool final) {
  std::size_t session_stream = 0;
  for (std::size_t d = 0; d < readers.size(); ++d) {
    const auto& stats = readers[d].stats;
    for (std::size_t i = 0; i < readers_[d]->streams().size(); ++i, ++session_stream) {
      DeviceStatusEvent e;
      e.t_s = now_s;
      e.stream_id = readers_[d]->streams()[i].id;
      // The stream's own counts: a device of several streams (a bridge) tells
      // each stream's samples and losses apart (Driver::stream_counters).
      const StreamStats& own = stats.streams[i];
      e.frames = own.decode.frames;
      e.frames_dropped = own.decode.malformed + own.decode.sequence_gaps + own.queue_overflows + own.clock_rejected;
      e.clock_error_bound_s = readers[d].error_bounds_s[i];
      e.late_samples = late_samples_[session_stream];
      e.clock = clock_status(session_stream, readers[d].clocks[i]);
      // Clock trouble is flagged in the status that first sees it, then counted on quietly.
      const std::string trouble = clock_trouble(reported_clock_[session_stream], *e.clock);
      reported_clock_[session_stream] = *e.clock;
      const StreamLink* link = i < stats.links.size() ? &stats.links[i] : nullptr;
      if (link) {
        e.link_reason = link->reason;
        e.reconnects = link->reconnects;
      }
      if (stats.disconnected) {
        // The whole device's transport is away; one that reconnects is being reopened.
        e.state = stats.reconnecting && !final ? DeviceState::reconnecting : DeviceState::disconnected;
        e.message = stats.error;
        e.link_reason = LinkReason::transport_lost;
        if (!link) e.reconnects = stats.reconnects;
      } else if (link && link->state != LinkState::up) {
        // A sensor behind the device lost its link while the others go on.
        e.state = link->state == LinkState::reconnecting && !final ? DeviceState::reconnecting
                                                                   : DeviceState::disconnected;
        e.message = link->message;
      } else if (final) {
        e.state = DeviceState::disconnected;
        e.message = "session ended";
      } else if (stats.samples == 0) {
        e.state = DeviceState::connected;
      } else if (e.frames_dropped > 0 || !trouble.empty()) {
        e.state = DeviceState::degraded;
        if (e.frames_dropped > 0) e.message = std::to_string(e.frames_dropped) + " frames lost or malformed";
      } else {
        e.state = DeviceState::streaming;
      }
      if (stats.reconnects > 0 && !stats.disconnected && !link) {
        // The transport came back: say so on every stream of the device. (A
        // driver with links of its own counts its streams' comebacks itself.)
        e.reconnects = stats.reconnects;
        e.link_reason = LinkReason::transport_lost;
      }
      if (!trouble.empty()) e.message += (e.message.empty() ? "" : "; ") + trouble;
      publisher_.publish_traced(e, provenance_.of_status(now_s, session_stream, e.clock_error_bound_s));
    }
  }
}

}  // namespace stridefuse::detail
