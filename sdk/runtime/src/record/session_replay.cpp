// Replay: the same DeviceReader and FusionCore as the live session, driven
// from the recording instead of threads and the host clock.

#include <algorithm>
#include <iterator>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "record/recorded_frames.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "record/wire_event_log.hpp"
#include "session/device_reader.hpp"
#include "session/fusion_core.hpp"

namespace stridefuse {
namespace {

using Frames = SessionRecording::Frames;

/// Hands out one device's recorded reads, in order, with their arrival stamps.
class RecordedTrafficTransport final : public StampedTransport {
 public:
  RecordedTrafficTransport(const std::vector<Frames::Read>& reads, const RecordedDevice& device)
      : reads_(reads), device_(device) {}

  std::string describe() const override { return device_.describe; }
  bool reconnects() const override { return device_.reconnects; }
  double min_delay_s() const override { return device_.min_delay_s; }  // clock sync subtracts it as it did live
  void write(std::span<const std::uint8_t>) override {}  // the device's answers are in the recording
  double last_arrival_s() const override { return last_arrival_s_; }

  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds) override {
    if (next_ == reads_.size()) {
      exhausted_ = true;
      throw TransportError("the recording of " + device_.describe + " ends here");
    }
    const auto& r = reads_[next_++];
    last_arrival_s_ = r.arrival_s;
    switch (r.outcome) {
      case Frames::Read::Outcome::timeout: return 0;
      case Frames::Read::Outcome::error: throw TransportError(r.error);
      case Frames::Read::Outcome::bytes: break;
    }
    if (r.bytes.size() > buffer.size()) {
      mismatch_ = true;
      throw TransportError("a recorded read of " + std::to_string(r.bytes.size()) + " bytes does not fit in " +
                           std::to_string(buffer.size()));
    }
    std::copy(r.bytes.begin(), r.bytes.end(), buffer.begin());
    return r.bytes.size();
  }

  bool has_more() const { return next_ < reads_.size(); }
  bool exhausted() const { return exhausted_; }
  bool mismatch() const { return mismatch_; }

 private:
  const std::vector<Frames::Read>& reads_;
  const RecordedDevice& device_;
  std::size_t next_ = 0;
  double last_arrival_s_ = 0.0;
  bool exhausted_ = false;
  bool mismatch_ = false;
};

/// The recording ends (it was cut) before what the next turn needs.
struct RecordingEnds {};

class Replayer {
 public:
  Replayer(const SessionRecording& recording, const RecordedDriverOpener& open_driver, EventPublisher& publisher)
      : recording_(recording), frames_(*recording.frames), config_(*recording.config) {
    std::uint16_t streams = 0;
    for (std::size_t d = 0; d < recording.devices.size(); ++d) {
      auto transport = std::make_unique<RecordedTrafficTransport>(frames_.reads[d], recording.devices[d]);
      transports_.push_back(transport.get());
      auto driver = open_driver(recording.devices[d], *transport);
      if (!driver)
        throw std::runtime_error("no driver for recorded device " + std::to_string(d) + " (" +
                                 recording.devices[d].driver + ")");
      try {
        check(d);
      } catch (const RecordingEnds&) {
        throw std::runtime_error(recording.path + " ends before device " + std::to_string(d) + " was opened");
      }
      auto reader = std::make_unique<detail::DeviceReader>(std::move(transport), std::move(driver), streams, clock_,
                                                           config_.queue_capacity);
      streams = static_cast<std::uint16_t>(streams + reader->streams().size());
      readers_.push_back(std::move(reader));
    }
    ended_.assign(readers_.size(), false);
    std::vector<detail::DeviceReader*> readers;
    for (auto& r : readers_) readers.push_back(r.get());
    core_.emplace(config_, std::move(readers), publisher, steps_);
  }

  /// Returns whether the session end was reached.
  bool run(double speed, std::uint64_t& turns_done, double& session_s, std::uint64_t& samples) {
    if (!frames_.host_start_unix_ns) return false;
    try {
      for (std::size_t d = 0; d < readers_.size(); ++d) {
        ended_[d] = !readers_[d]->begin();
        check(d);
      }
      core_->start(*frames_.host_start_unix_ns);
      const auto t0 = std::chrono::steady_clock::now();
      auto pace = [&](double t_s) {
        if (speed > 0.0) std::this_thread::sleep_until(t0 + std::chrono::duration<double>(t_s / speed));
      };
      for (const auto& turn : frames_.turns) {
        pace(turn.now_s);
        for (std::size_t d = 0; d < readers_.size(); ++d) {
          core_->take(d, turn.popped[d], [&] { step(d); });
          samples += turn.popped[d];
        }
        std::optional<std::vector<detail::ReaderSnapshot>> status;
        if (turn.reader_steps) status = snapshots_at(*turn.reader_steps);
        core_->release(turn.now_s);
        if (status) {
          if (!core_->status_due(turn.now_s)) inconsistent("status recorded at " + std::to_string(turn.now_s) + " s when none was due");
          core_->publish_status(turn.now_s, *status);
        } else if (core_->status_due(turn.now_s)) {
          inconsistent("no status recorded at " + std::to_string(turn.now_s) + " s where one was due");
        }
        ++turns_done;
        session_s = turn.now_s;
      }
      if (!frames_.end) return false;
      pace(frames_.end->end_s);
      const auto final_status = snapshots_at(frames_.end->reader_steps);
      core_->finish(frames_.end->end_s, final_status);
      session_s = frames_.end->end_s;
      return true;
    } catch (const RecordingEnds&) {
      return false;
    }
  }

 private:
  [[noreturn]] void inconsistent(const std::string& what) const {
    throw std::runtime_error(recording_.path + " contradicts itself: " + what);
  }

  void check(std::size_t d) const {
    if (transports_[d]->mismatch())
      inconsistent("device " + std::to_string(d) + " reads differently than when recorded");
    if (transports_[d]->exhausted()) {
      if (recording_.cut_at_byte || !recording_.ended) throw RecordingEnds{};
      inconsistent("device " + std::to_string(d) + " needs more traffic than was recorded");
    }
  }

  void step(std::size_t d) {
    if (ended_[d]) inconsistent("device " + std::to_string(d) + " is needed after it ended");
    if (!readers_[d]->restart_pending() && !transports_[d]->has_more()) {
      if (recording_.cut_at_byte || !recording_.ended) throw RecordingEnds{};
      inconsistent("device " + std::to_string(d) + " needs more traffic than was recorded");
    }
    ended_[d] = readers_[d]->step() == detail::DeviceReader::StepResult::ended;
    check(d);
  }

  std::vector<detail::ReaderSnapshot> snapshots_at(const std::vector<std::uint64_t>& steps) {
    for (std::size_t d = 0; d < readers_.size(); ++d) {
      while (readers_[d]->snapshot().steps < steps[d]) step(d);
      if (readers_[d]->snapshot().steps != steps[d])
        inconsistent("device " + std::to_string(d) + " is at step " + std::to_string(readers_[d]->snapshot().steps) +
                     " where the recording says " + std::to_string(steps[d]));
    }
    return core_->snapshots();
  }

  const SessionRecording& recording_;
  const Frames& frames_;
  const SessionConfig& config_;
  SessionClock clock_;  // never read: the recorded transports stamp every arrival
  std::vector<RecordedTrafficTransport*> transports_;
  std::vector<std::unique_ptr<detail::DeviceReader>> readers_;
  std::vector<bool> ended_;
  std::atomic<std::uint32_t> steps_{0};
  std::optional<detail::FusionCore> core_;
};

std::uint16_t recorded_schema_minor(const std::vector<WireEvent>& recorded) {
  if (recorded.empty()) return event_schema_minor;
  try {
    return decode_event(recorded.front().message).envelope.schema_minor;
  } catch (const EventDecodeError&) {
    return event_schema_minor;  // then only bytes can be compared
  }
}

// Byte for byte; for a recording of an older schema minor, in the fields that
// minor has: both decoded, the newer fields of the replayed one cleared, both
// encoded again by this build.
bool same_event(const WireEvent& recorded, const WireEvent& replayed, std::uint16_t recorded_minor) {
  if (recorded == replayed) return true;
  if (recorded_minor >= event_schema_minor || recorded.topic != replayed.topic) return false;
  try {
    const auto a = decode_event(recorded.message);
    auto b = decode_event(replayed.message);
    clear_fields_after_minor(b.event, recorded_minor);
    return a.envelope.athlete == b.envelope.athlete && a.envelope.sequence == b.envelope.sequence &&
           encode_event(a.event, a.envelope.athlete, a.envelope.sequence) ==
               encode_event(b.event, b.envelope.athlete, b.envelope.sequence);
  } catch (const EventDecodeError&) {
    return false;
  }
}

}  // namespace

ReplayReport replay_session(const SessionRecording& recording, const RecordedDriverOpener& open_driver,
                            std::shared_ptr<EventPublisher> publisher, ReplayOptions options) {
  if (!(options.speed >= 0.0)) throw std::invalid_argument("replay speed must not be negative");
  if (!open_driver) throw std::invalid_argument("replay_session needs a driver opener");
  if (!recording.frames) throw std::invalid_argument("replay_session: recording was not read with read_session_recording");
  if (!recording.config)
    throw std::invalid_argument(recording.path + " has no session configuration (" +
                                (recording.cut_at_byte ? "cut at byte " + std::to_string(*recording.cut_at_byte)
                                                       : std::string("never recorded")) +
                                ")");
  auto log = std::make_shared<record::WireEventLog>(recording.config->athlete);
  EventFanout fanout;
  fanout.add(log);
  if (publisher) fanout.add(publisher);

  ReplayReport report;
  Replayer replayer(recording, open_driver, fanout);
  report.complete = replayer.run(options.speed, report.fusion_turns, report.session_s, report.samples);
  report.events = std::move(log->events());

  const auto& recorded = recording.events;
  report.recorded_schema_minor = recorded_schema_minor(recorded);
  // A writer before 1.5 sent no findings (their topic kind is "finding"):
  // the replay's are left out of the comparison, not out of what it publishes.
  std::vector<WireEvent> without_findings;
  if (report.recorded_schema_minor < 5)
    std::copy_if(report.events.begin(), report.events.end(), std::back_inserter(without_findings),
                 [](const WireEvent& e) { return !e.topic.ends_with("/finding"); });
  const auto& replayed = report.recorded_schema_minor < 5 ? without_findings : report.events;
  const auto common = std::min(recorded.size(), replayed.size());
  const auto diff = std::mismatch(recorded.begin(), recorded.begin() + static_cast<std::ptrdiff_t>(common),
                                  replayed.begin(), [&](const WireEvent& a, const WireEvent& b) {
                                    return same_event(a, b, report.recorded_schema_minor);
                                  });
  if (diff.first != recorded.begin() + static_cast<std::ptrdiff_t>(common)) {
    report.first_difference = static_cast<std::size_t>(diff.first - recorded.begin());
  } else if (recorded.size() != replayed.size() && (recording.ended || recorded.size() > replayed.size())) {
    report.first_difference = common;
  }
  report.identical = !report.first_difference;
  return report;
}

}  // namespace stridefuse
