#include "session/fusion_core.hpp"

#include "session/clock_trouble.hpp"

namespace stridefuse::detail {
namespace {

std::vector<bool> insole_streams(const std::vector<StreamDescriptor>& streams) {
  std::vector<bool> out;
  for (const auto& s : streams) out.push_back(s.kind == StreamKind::insole_pressure && s.insole.has_value());
  return out;
}

}  // namespace

FusionCore::FusionCore(const SessionConfig& config, std::vector<StreamDescriptor> streams,
                       std::vector<std::vector<std::string>> device_stream_ids, EventPublisher& publisher,
                       std::atomic<std::uint32_t>& steps, InsoleLatencyCalibration* latency_calibration)
    : config_(config),
      publisher_(publisher),
      steps_(steps),
      latency_calibration_(latency_calibration && latency_calibration->active() ? latency_calibration : nullptr),
      device_stream_ids_(std::move(device_stream_ids)),
      engine_(streams, config.engine,
              [this](const Event& e) {
                if (std::holds_alternative<StepEvent>(e)) ++steps_;
                publisher_.publish(e);
              }),
      merger_(SampleMergerConfig{streams.size(), config.merge_max_wait_s, LateSamplePolicy::release_flagged,
                                 SampleMergerConfig{}.max_buffered}),
      late_samples_(streams.size(), 0),
      insole_(insole_streams(streams)),
      reported_clock_(streams.size()) {}

void FusionCore::start(std::uint64_t host_start_unix_ns) {
  publisher_.publish(SessionStartEvent{0.0, config_.athlete, host_start_unix_ns});
}

void FusionCore::push(const Sample& sample) {
  if (!latency_calibration_) {
    merger_.push(sample);
    return;
  }
  Sample corrected = sample;
  corrected.t_s += latency_calibration_->correction_s(sample);
  merger_.push(corrected);
}

void FusionCore::collect(double now_s, Released& out) {
  merger_.release(now_s, [&](const Sample& s, bool late) { out.emplace_back(s, late); });
}

void FusionCore::feed(const Released& released) {
  // A late sample cannot be put in order any more: it is counted against its
  // stream and kept from the engine, which needs time order.
  for (const auto& [sample, late] : released) {
    if (late)
      ++late_samples_[sample.stream];
    else
      engine_.push(sample);
  }
}

void FusionCore::publish_status(double now_s, const std::vector<ReaderSnapshot>& readers) {
  status_events(now_s, readers, false);
  next_status_s_ = now_s + config_.status_interval_s;
}

void FusionCore::finish(double end_s, const std::vector<ReaderSnapshot>& readers) {
  Released rest;
  merger_.flush([&](const Sample& s, bool late) { rest.emplace_back(s, late); });
  feed(rest);
  engine_.finish();
  status_events(end_s, readers, true);
  publisher_.publish(SessionEndEvent{end_s, steps_.load()});
}

StreamClockStatus FusionCore::clock_status(std::size_t session_stream, const StreamClockStatus& reader_side) const {
  StreamClockStatus c = reader_side;
  if (!insole_[session_stream]) {
    c.latency_correction_s = c.latency_residual_s = Metric::absent(AbsentReason::no_insole);
  } else if (!latency_calibration_) {
    // An insole and no active calibration: the session has no pelvis IMU to calibrate against.
    c.latency_correction_s = c.latency_residual_s = Metric::absent(AbsentReason::no_pelvis_sensor);
  } else {
    const auto status = latency_calibration_->status(static_cast<std::uint16_t>(session_stream));
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
    for (std::size_t i = 0; i < device_stream_ids_[d].size(); ++i, ++session_stream) {
      DeviceStatusEvent e;
      e.t_s = now_s;
      e.stream_id = device_stream_ids_[d][i];
      e.frames = stats.decode.frames;
      e.frames_dropped =
          stats.decode.malformed + stats.decode.sequence_gaps + stats.queue_overflows + stats.clock_rejected;
      e.clock_error_bound_s = readers[d].error_bounds_s[i];
      e.late_samples = late_samples_[session_stream];
      e.clock = clock_status(session_stream, readers[d].clocks[i]);
      // Clock trouble is flagged in the status that first sees it, then counted on quietly.
      const std::string trouble = clock_trouble(reported_clock_[session_stream], *e.clock);
      reported_clock_[session_stream] = *e.clock;
      if (stats.disconnected) {
        e.state = DeviceState::disconnected;
        e.message = stats.error;
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
      if (!trouble.empty()) e.message += (e.message.empty() ? "" : "; ") + trouble;
      publisher_.publish(e);
    }
  }
}

}  // namespace stridefuse::detail
