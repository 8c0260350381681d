#include "session/fusion_core.hpp"

namespace stridefuse::detail {

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
      late_samples_(streams.size(), 0) {}

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

void FusionCore::status_events(double now_s, const std::vector<ReaderSnapshot>& readers, bool final) {
  std::size_t session_stream = 0;
  for (std::size_t d = 0; d < readers.size(); ++d) {
    const auto& stats = readers[d].stats;
    for (std::size_t i = 0; i < device_stream_ids_[d].size(); ++i) {
      DeviceStatusEvent e;
      e.t_s = now_s;
      e.stream_id = device_stream_ids_[d][i];
      e.frames = stats.decode.frames;
      e.frames_dropped =
          stats.decode.malformed + stats.decode.sequence_gaps + stats.queue_overflows + stats.clock_rejected;
      e.clock_error_bound_s = readers[d].error_bounds_s[i];
      e.late_samples = late_samples_[session_stream++];
      if (stats.disconnected) {
        e.state = DeviceState::disconnected;
        e.message = stats.error;
      } else if (final) {
        e.state = DeviceState::disconnected;
        e.message = "session ended";
      } else if (stats.samples == 0) {
        e.state = DeviceState::connected;
      } else if (e.frames_dropped > 0) {
        e.state = DeviceState::degraded;
        e.message = std::to_string(e.frames_dropped) + " frames lost or malformed";
      } else {
        e.state = DeviceState::streaming;
      }
      publisher_.publish(e);
    }
  }
}

}  // namespace stridefuse::detail
