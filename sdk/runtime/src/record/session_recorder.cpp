// Writing a recording: device traffic from the readers' threads, fusion turns
// and events from the fusion thread, all through one FrameWriter.

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <atomic>
#include <mutex>
#include <stdexcept>

#include "record/recording_frames.hpp"
#include "record/session_recorder_access.hpp"
#include "record/wire_event_log.hpp"
#include "stridefuse/schema/recording.capnp.h"

namespace stridefuse {

namespace rs = schema::recording;
using record::FrameType;

struct detail::SessionRecorderState {
  record::FrameWriter writer;
  SessionClock clock;  // the session's, once a session records here
  std::uint16_t devices = 0;
  std::mutex error_mutex;
  std::string error;  // the first write failure; the hot paths never throw it
  std::string athlete;  // of the session recording here; set before it starts

  void fail(const std::string& what) {
    std::lock_guard lock(error_mutex);
    if (error.empty()) error = what;
  }

  SessionRecorderState(const std::string& path, SessionRecorderOptions options) : writer(path, options.flush_interval) {}

  void append(FrameType type, capnp::MessageBuilder& message) {
    const auto words = capnp::messageToFlatArray(message);
    const auto bytes = words.asBytes();
    try {
      writer.append(type, {bytes.begin(), bytes.size()});
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }
};

namespace {

void set_steps(capnp::List<std::uint64_t>::Builder list, const std::vector<detail::ReaderSnapshot>& readers) {
  for (unsigned i = 0; i < readers.size(); ++i) list.set(i, readers[i].steps);
}

/// Records every read of one device; its arrival stamp is the session clock's,
/// or the inner transport's own where it stamps its reads (a device on a clock
/// of its own).
class RecordingDeviceTransport final : public StampedTransport {
 public:
  RecordingDeviceTransport(std::unique_ptr<Transport> inner, std::shared_ptr<detail::SessionRecorderState> recorder,
                           std::uint16_t device)
      : inner_(std::move(inner)),
        stamped_(dynamic_cast<StampedTransport*>(inner_.get())),
        recorder_(std::move(recorder)),
        device_(device) {}

  std::string describe() const override { return inner_->describe(); }
  bool reconnects() const override { return inner_->reconnects(); }
  double min_delay_s() const override { return inner_->min_delay_s(); }
  bool keeps_own_time() const override { return inner_->keeps_own_time(); }
  void write(std::span<const std::uint8_t> bytes) override { inner_->write(bytes); }
  double last_arrival_s() const override { return last_arrival_s_; }

  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override {
    capnp::MallocMessageBuilder message;
    auto read = message.initRoot<rs::TransportRead>();
    read.setDevice(device_);
    std::size_t n = 0;
    try {
      n = inner_->read(buffer, timeout);
    } catch (const TransportError& e) {
      last_arrival_s_ = stamped_ ? stamped_->last_arrival_s() : recorder_->clock.now_s();
      read.setArrivalS(last_arrival_s_);
      read.setOutcome(rs::TransportRead::Outcome::ERROR);
      read.setError(e.what());
      recorder_->append(FrameType::transport_read, message);
      throw;
    }
    last_arrival_s_ = stamped_ ? stamped_->last_arrival_s() : recorder_->clock.now_s();
    read.setArrivalS(last_arrival_s_);
    if (n == 0) {
      read.setOutcome(rs::TransportRead::Outcome::TIMEOUT);
    } else {
      read.setOutcome(rs::TransportRead::Outcome::BYTES);
      read.setBytes({buffer.data(), n});
    }
    recorder_->append(FrameType::transport_read, message);
    return n;
  }

 private:
  std::unique_ptr<Transport> inner_;
  StampedTransport* stamped_;  // inner_ when it stamps its own reads
  std::shared_ptr<detail::SessionRecorderState> recorder_;
  std::uint16_t device_;
  double last_arrival_s_ = 0.0;
};

class EventRecorder final : public EventPublisher {
 public:
  explicit EventRecorder(std::shared_ptr<detail::SessionRecorderState> recorder) : recorder_(std::move(recorder)) {}

  void publish(const Event& event) override { record(event, nullptr); }
  void publish_traced(const Event& event, const EventProvenance& provenance) override { record(event, &provenance); }
  std::uint64_t dropped() const override { return 0; }

 private:
  // The message as the fusion thread hands it to the publishers: its
  // provenance's published_s is NaN (ZmqPublisher stamps it when it sends).
  void record(const Event& event, const EventProvenance* provenance) {
    if (!encoder_) {
      if (recorder_->athlete.empty()) {
        recorder_->fail("an event was published before a session recorded here (Session::record_to)");
        return;
      }
      encoder_.emplace(recorder_->athlete);  // topics are the session's athlete's
    }
    const auto wire = encoder_->encode(event, provenance);
    capnp::MallocMessageBuilder message;
    auto e = message.initRoot<rs::PublishedEvent>();
    e.setTopic(wire.topic);
    e.setMessage({wire.message.data(), wire.message.size()});
    recorder_->append(FrameType::published_event, message);
  }

  std::shared_ptr<detail::SessionRecorderState> recorder_;
  std::optional<record::WireEventEncoder> encoder_;
};

class TurnRecorder final : public detail::FusionTrace {
 public:
  explicit TurnRecorder(std::shared_ptr<detail::SessionRecorderState> recorder) : recorder_(std::move(recorder)) {}

  void session_start(std::uint64_t host_start_unix_ns) override {
    capnp::MallocMessageBuilder message;
    message.initRoot<rs::SessionStart>().setHostStartUnixNs(host_start_unix_ns);
    recorder_->append(FrameType::session_start, message);
  }

  void turn(double now_s, std::span<const std::uint32_t> popped,
            const std::vector<detail::ReaderSnapshot>* status) override {
    capnp::MallocMessageBuilder message;
    auto t = message.initRoot<rs::FusionTurn>();
    t.setNowS(now_s);
    auto list = t.initPopped(static_cast<unsigned>(popped.size()));
    for (unsigned i = 0; i < popped.size(); ++i) list.set(i, popped[i]);
    t.setStatus(status != nullptr);
    if (status) set_steps(t.initReaderSteps(static_cast<unsigned>(status->size())), *status);
    recorder_->append(FrameType::fusion_turn, message);
  }

  void session_end(double end_s, const std::vector<detail::ReaderSnapshot>& final_status) override {
    capnp::MallocMessageBuilder message;
    auto e = message.initRoot<rs::SessionEnd>();
    e.setEndS(end_s);
    set_steps(e.initReaderSteps(static_cast<unsigned>(final_status.size())), final_status);
    recorder_->append(FrameType::session_end, message);
  }

 private:
  std::shared_ptr<detail::SessionRecorderState> recorder_;
};

}  // namespace

SessionRecorder::SessionRecorder(const std::string& path, SessionRecorderOptions options)
    : impl_(std::make_shared<detail::SessionRecorderState>(path, options)) {}

SessionRecorder::~SessionRecorder() {
  try {
    impl_->writer.flush();
  } catch (const std::exception&) {
    // A destructor cannot report it; flush() before destruction does.
  }
}

std::unique_ptr<Transport> SessionRecorder::record_device(std::unique_ptr<Transport> transport, RecordedDevice device) {
  if (!transport) throw std::invalid_argument("SessionRecorder::record_device needs a transport");
  capnp::MallocMessageBuilder message;
  auto d = message.initRoot<rs::DeviceSetup>();
  d.setIndex(impl_->devices);
  d.setSource(device.source);
  d.setDriver(device.driver);
  auto params = d.initParams(static_cast<unsigned>(device.params.size()));
  unsigned i = 0;
  for (const auto& [key, value] : device.params) {
    params[i].setKey(key);
    params[i].setValue(value);
    ++i;
  }
  d.setReconnects(transport->reconnects());
  d.setDescribe(transport->describe());
  d.setMinDelayS(transport->min_delay_s());
  impl_->append(FrameType::device_setup, message);
  return std::make_unique<RecordingDeviceTransport>(std::move(transport), impl_, impl_->devices++);
}

std::shared_ptr<EventPublisher> SessionRecorder::event_recorder() { return std::make_shared<EventRecorder>(impl_); }

void SessionRecorder::flush() {
  {
    std::lock_guard lock(impl_->error_mutex);
    if (!impl_->error.empty()) throw std::runtime_error(impl_->error);
  }
  impl_->writer.flush();
}

const std::string& SessionRecorder::path() const { return impl_->writer.path(); }

namespace detail {

std::shared_ptr<FusionTrace> SessionRecorderAccess::begin_session(SessionRecorder& recorder,
                                                                  const SessionConfig& config,
                                                                  const SessionClock& clock) {
  auto& impl = *recorder.impl_;
  impl.clock = clock;
  impl.athlete = config.athlete;
  capnp::MallocMessageBuilder message;
  auto s = message.initRoot<rs::SessionSetup>();
  s.setAthlete(config.athlete);
  s.setMergeMaxWaitS(config.merge_max_wait_s);
  s.setStatusIntervalS(config.status_interval_s);
  s.setQueueCapacity(config.queue_capacity);
  const auto& engine = config.engine;
  s.setHasTreadmillSpeed(engine.treadmill_speed_mps.has_value());
  s.setTreadmillSpeedMps(engine.treadmill_speed_mps.value_or(0.0));
  s.setHasBodyMass(engine.body_mass_kg.has_value());
  s.setBodyMassKg(engine.body_mass_kg.value_or(0.0));
  s.setAlertPelvicDropDeg(engine.alerts.pelvic_drop_deg);
  s.setAlertFootStrikeDistanceM(engine.alerts.foot_strike_distance_m);
  s.setAlertTiltDeg(engine.alerts.tilt_deg);
  s.setAttitudeEventRateHz(engine.attitude_event_rate_hz);
  s.setAlertBaselineSteps(engine.alert_baseline_steps);
  s.setAlertWindowSteps(engine.alert_window_steps);
  s.setFindings(engine.findings);
  if (engine.drill) {
    s.setHasDrill(true);
    s.setDrillExercise(static_cast<std::uint8_t>(engine.drill->exercise));
    s.setDrillSide(static_cast<std::uint8_t>(engine.drill->side));
    s.setHasDrillTolerance(engine.drill->tolerance_deg.has_value());
    s.setDrillToleranceDeg(engine.drill->tolerance_deg.value_or(0.0));
    s.setDrillCalibrationHinge(engine.drill->calibration_hinge);
  }
  impl.append(record::FrameType::session_setup, message);
  return std::make_shared<TurnRecorder>(recorder.impl_);
}

}  // namespace detail
}  // namespace stridefuse
