// EventMessage bytes back to events. Everything a sender can get wrong ends
// in EventDecodeError: Cap'n Proto bounds-checks every pointer and we bound
// the traversal, so garbage cannot make the reader run away.

#include <capnp/dynamic.h>
#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/exception.h>

#include <cmath>
#include <cstring>
#include <optional>
#include <string>

#include "events/schema_enums.hpp"
#include "events/step_wire_fields.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/publisher_heartbeat.hpp"

namespace stridefuse {

namespace wire = stridefuse::schema;
using namespace events_detail;

namespace {

// Our messages are a few hundred bytes. Larger payloads are not events of this
// schema and are rejected before any parsing; the traversal limit (twice the
// largest message, far below capnp's 64 MiB default) stops amplification by
// pointers that alias.
constexpr std::size_t max_message_bytes = 256 * 1024;
constexpr std::uint64_t traversal_limit_words = 2 * max_message_bytes / 8;
constexpr unsigned nesting_limit = 16;

Metric get_metric(wire::Metric::Reader in, const char* field) {
  switch (in.which()) {
    case wire::Metric::VALUE: {
      const double v = in.getValue();
      if (!std::isfinite(v))
        throw EventDecodeError(std::string("metric '") + field + "' has a non-finite value");
      return Metric{v, AbsentReason::none};
    }
    case wire::Metric::ABSENT: {
      const auto reason = from_wire<AbsentReason>(in.getAbsent(), field);
      if (reason == AbsentReason::none)
        throw EventDecodeError(std::string("metric '") + field + "' is absent with reason 'none'");
      return Metric::absent(reason);
    }
  }
  throw EventDecodeError(std::string("metric '") + field + "' has an unknown union member " +
                         std::to_string(static_cast<unsigned>(in.which())));
}

std::string get_text(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

// The step table's fields by name (step_wire_fields.hpp), as the encoder writes them.
StepEvent get_step(wire::Step::Reader typed) {
  const auto in = capnp::toDynamic(typed);
  const auto& wire_fields = step_wire_fields();
  StepEvent e;
  for (std::size_t i = 0; i < wire_fields.size(); ++i) {
    const StepField& f = step_fields[i];
    const auto value = in.get(wire_fields[i]);
    switch (f.kind) {
      case StepFieldKind::side: e.side = from_wire<Side>(value.as<wire::Side>(), f.name); break;
      case StepFieldKind::index: e.index = value.as<std::uint32_t>(); break;
      case StepFieldKind::time: e.*f.time = value.as<double>(); break;
      case StepFieldKind::metric:
        // A metric added after the writer's minor is not in its message (older_minor.cpp).
        e.*f.metric = in.has(wire_fields[i]) ? get_metric(value.as<wire::Metric>(), f.name)
                                             : Metric::absent(AbsentReason::not_detected);
        break;
      case StepFieldKind::category: {
        const int ordinal = value.as<capnp::DynamicEnum>().getRaw();
        if (ordinal >= f.category->count)
          throw EventDecodeError(std::string("unknown ") + f.name + " value " + std::to_string(ordinal));
        f.category->set(e, ordinal);
        break;
      }
    }
  }
  return e;
}

std::vector<MetricSupport> get_metrics(capnp::List<wire::MetricSupport>::Reader in) {
  std::vector<MetricSupport> out;
  out.reserve(in.size());
  for (const auto m : in)
    out.push_back(MetricSupport{get_text(m.getMetric()), from_wire<AbsentReason>(m.getLeft(), "metrics.left"),
                                from_wire<AbsentReason>(m.getRight(), "metrics.right")});
  return out;
}

StreamClockStatus get_clock(wire::StreamClock::Reader in) {
  StreamClockStatus c;
  c.resets = in.getResets();
  c.wraps = in.getWraps();
  c.out_of_order = in.getOutOfOrder();
  c.duplicates = in.getDuplicates();
  c.rejected_ticks = in.getRejectedTicks();
  c.stray_ticks = in.getStrayTicks();
  c.host_time_backwards = in.getHostTimeBackwards();
  c.absurd_rates = in.getAbsurdRates();
  c.drift_ppm = get_metric(in.getDriftPpm(), "clock.drift_ppm");
  c.latency_correction_s = get_metric(in.getLatencyCorrectionS(), "clock.latency_correction_s");
  c.latency_residual_s = get_metric(in.getLatencyResidualS(), "clock.latency_residual_s");
  return c;
}

EventProvenance get_provenance(wire::Provenance::Reader in) {
  EventProvenance p;
  p.first_sample_s = in.getFirstSampleS();
  p.last_sample_s = in.getLastSampleS();
  p.last_arrival_s = in.getLastArrivalS();
  p.produced_s = in.getProducedS();
  p.published_s = in.getPublishedS();
  const auto streams = in.getStreams();
  p.streams.reserve(streams.size());
  for (const auto s : streams) p.streams.push_back({get_text(s.getStreamId()), s.getClockErrorBoundS()});
  return p;
}

WatchedAxes get_watched(wire::WatchedAxes::Reader in) {
  return WatchedAxes{in.getTilt(), in.getObliquity(), in.getRotation()};
}

// The hold of a rep or a side summary: none, or seconds.
template <class HoldReader>
std::optional<double> get_hold(HoldReader in) {
  if (in.isNone()) return std::nullopt;
  return in.getHoldS();
}

RepEvent get_rep(double t_s, wire::Rep::Reader in) {
  RepEvent e;
  e.t_s = t_s;
  e.exercise = from_wire<DrillExercise>(in.getExercise(), "rep.exercise");
  e.side = from_wire<DrillSide>(in.getSide(), "rep.side");
  e.rep = in.getRep();
  e.t_start_s = in.getTStartS();
  e.t_end_s = in.getTEndS();
  e.range_of_motion_deg = get_metric(in.getRangeOfMotionDeg(), "rep.range_of_motion_deg");
  e.hold_s = get_hold(in.getHold());
  const auto x = in.getExcursion();
  e.excursion = PelvisExcursion{x.getTiltDeg(), x.getObliquityDeg(), x.getRotationDeg()};
  e.watched = get_watched(in.getWatched());
  e.tolerance_deg = in.getToleranceDeg();
  e.pelvis_moved = in.getPelvisMoved();
  return e;
}

AxisSummary get_axis(wire::AxisSummary::Reader in, const char* field) {
  return AxisSummary{get_metric(in.getMeanAbsDeg(), field), get_metric(in.getWorstDeg(), field)};
}

DrillSetEvent get_drill_set(double t_s, wire::DrillSet::Reader in) {
  DrillSetEvent e;
  e.t_s = t_s;
  e.exercise = from_wire<DrillExercise>(in.getExercise(), "drill_set.exercise");
  e.tolerance_deg = in.getToleranceDeg();
  e.watched = get_watched(in.getWatched());
  for (const auto s : in.getSides()) {
    DrillSideSummary out;
    out.side = from_wire<DrillSide>(s.getSide(), "drill_set.sides.side");
    out.reps = s.getReps();
    out.reps_moved = s.getRepsMoved();
    out.tilt = get_axis(s.getTilt(), "drill_set.sides.tilt");
    out.obliquity = get_axis(s.getObliquity(), "drill_set.sides.obliquity");
    out.rotation = get_axis(s.getRotation(), "drill_set.sides.rotation");
    out.mean_duration_s = get_metric(s.getMeanDurationS(), "drill_set.sides.mean_duration_s");
    out.mean_range_of_motion_deg = get_metric(s.getMeanRangeOfMotionDeg(), "drill_set.sides.mean_range_of_motion_deg");
    out.mean_hold_s = get_hold(s.getMeanHold());
    e.sides.push_back(std::move(out));
  }
  return e;
}

Event get_body(wire::EventMessage::Reader msg) {
  const auto body = msg.getBody();
  const double t_s = msg.getSessionTimeS();
  switch (body.which()) {
    case wire::EventMessage::Body::SESSION_START: {
      const auto in = body.getSessionStart();
      return SessionStartEvent{t_s, get_text(in.getAthlete()), in.getHostStartUnixNs(), get_metrics(in.getMetrics())};
    }
    case wire::EventMessage::Body::SESSION_END:
      return SessionEndEvent{t_s, body.getSessionEnd().getSteps()};
    case wire::EventMessage::Body::STEP:
      return get_step(body.getStep());
    case wire::EventMessage::Body::ATTITUDE: {
      const auto in = body.getAttitude();
      const auto q = in.getOrientation();
      AttitudeEvent e;
      e.t_s = t_s;
      e.orientation = Quaternion{q.getW(), q.getX(), q.getY(), q.getZ()};
      e.angles = PelvisAngles{in.getTiltDeg(), in.getObliquityDeg(), in.getRotationDeg()};
      e.calibration = from_wire<CalibrationSource>(in.getCalibration(), "calibration");
      return e;
    }
    case wire::EventMessage::Body::FORM_ALERT: {
      const auto in = body.getFormAlert();
      return FormAlertEvent{t_s, get_text(in.getMetric()), in.getBaseline(), in.getCurrent(), in.getThreshold()};
    }
    case wire::EventMessage::Body::DEVICE_STATUS: {
      const auto in = body.getDeviceStatus();
      DeviceStatusEvent e;
      e.t_s = t_s;
      e.stream_id = get_text(in.getStreamId());
      e.state = from_wire<DeviceState>(in.getState(), "state");
      e.frames = in.getFrames();
      e.frames_dropped = in.getFramesDropped();
      e.late_samples = in.getLateSamples();
      e.clock_error_bound_s = in.getClockErrorBoundS();
      e.message = get_text(in.getMessage());
      if (in.hasClock()) e.clock = get_clock(in.getClock());  // null from writers before 1.2
      e.metrics = get_metrics(in.getMetrics());               // empty from writers before 1.3
      e.link_reason = from_wire<LinkReason>(in.getLinkReason(), "linkReason");  // none before 1.4
      e.reconnects = in.getReconnects();                                       // 0 before 1.4
      return e;
    }
    case wire::EventMessage::Body::FINDING: {
      const auto in = body.getFinding();
      FindingEvent e;
      e.t_s = t_s;
      e.state = from_wire<FindingState>(in.getState(), "finding.state");
      FormFinding& f = e.finding;
      f.code = from_wire<FindingCode>(in.getCode(), "finding.code");
      f.side = from_wire<FindingSide>(in.getSide(), "finding.side");
      f.metric = get_text(in.getMetric());
      f.t_start_s = in.getTStartS();
      f.t_end_s = in.getTEndS();
      f.value = in.getValue();
      f.threshold = in.getThreshold();
      f.unit = get_text(in.getUnit());
      f.message = get_text(in.getMessage());
      f.steps = in.getSteps();
      f.strength = in.getStrength();
      return e;
    }
    case wire::EventMessage::Body::REP:
      return get_rep(t_s, body.getRep());
    case wire::EventMessage::Body::PELVIS_MOVED: {
      const auto in = body.getPelvisMoved();
      PelvisMovedEvent e;
      e.t_s = t_s;
      e.exercise = from_wire<DrillExercise>(in.getExercise(), "pelvis_moved.exercise");
      e.side = from_wire<DrillSide>(in.getSide(), "pelvis_moved.side");
      e.rep = in.getRep();
      e.axis = from_wire<PelvisAxis>(in.getAxis(), "pelvis_moved.axis");
      e.excursion_deg = in.getExcursionDeg();
      e.tolerance_deg = in.getToleranceDeg();
      return e;
    }
    case wire::EventMessage::Body::DRILL_SET:
      return get_drill_set(t_s, body.getDrillSet());
    case wire::EventMessage::Body::HEARTBEAT:
      throw EventDecodeError("message is a publisher heartbeat, not an event (topic kind 'heartbeat'): "
                             "read it with decode_heartbeat()");
  }
  throw EventDecodeError("unknown event kind (body union member " +
                         std::to_string(static_cast<unsigned>(body.which())) + "), written by schema " +
                         std::to_string(msg.getSchemaMajor()) + "." + std::to_string(msg.getSchemaMinor()) +
                         "; this build reads " + std::to_string(event_schema_major) + "." +
                         std::to_string(event_schema_minor));
}

// Checks framing, size and schema major, fills the envelope and hands the
// root to `body`; every failure becomes EventDecodeError.
template <class Body>
auto decode_message(std::span<const std::uint8_t> bytes, Body&& body) {
  if (bytes.empty()) throw EventDecodeError("event message is empty");
  if (bytes.size() % sizeof(capnp::word) != 0)
    throw EventDecodeError("event message is " + std::to_string(bytes.size()) +
                           " bytes, not a whole number of 8-byte words (truncated?)");
  if (bytes.size() > max_message_bytes)
    throw EventDecodeError("event message is " + std::to_string(bytes.size()) + " bytes, more than the " +
                           std::to_string(max_message_bytes) + " an event may take");
  // Network buffers carry no alignment promise; capnp reads words in place.
  auto words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
  std::memcpy(words.begin(), bytes.data(), bytes.size());
  try {
    capnp::ReaderOptions options;
    options.traversalLimitInWords = traversal_limit_words;
    options.nestingLimit = nesting_limit;
    capnp::FlatArrayMessageReader reader(kj::ArrayPtr<const capnp::word>(words.begin(), words.size()), options);
    if (reader.getEnd() != words.end())
      throw EventDecodeError("event message has " +
                             std::to_string((words.end() - reader.getEnd()) * sizeof(capnp::word)) +
                             " trailing bytes after the message");
    const auto msg = reader.getRoot<wire::EventMessage>();
    EventEnvelope envelope;
    envelope.schema_major = msg.getSchemaMajor();
    envelope.schema_minor = msg.getSchemaMinor();
    if (envelope.schema_major != event_schema_major)
      throw EventDecodeError("event message has schema major version " + std::to_string(envelope.schema_major) +
                             " (" + std::to_string(envelope.schema_major) + "." +
                             std::to_string(envelope.schema_minor) + "); this build reads only major " +
                             std::to_string(event_schema_major));
    envelope.athlete = get_text(msg.getAthlete());
    envelope.sequence = msg.getSequence();
    envelope.session_time_s = msg.getSessionTimeS();
    if (msg.hasProvenance()) envelope.provenance = get_provenance(msg.getProvenance());  // since 1.3
    return body(std::move(envelope), msg);
  } catch (const EventDecodeError&) {
    throw;
  } catch (const std::out_of_range& e) {  // unknown enumerant (schema_enums.hpp)
    throw EventDecodeError(std::string("event message: ") + e.what());
  } catch (const kj::Exception& e) {
    throw EventDecodeError("malformed event message: " + std::string(e.getDescription().cStr()));
  }
}

}  // namespace

DecodedEvent decode_event(std::span<const std::uint8_t> bytes) {
  return decode_message(bytes, [](EventEnvelope envelope, wire::EventMessage::Reader msg) {
    return DecodedEvent{std::move(envelope), get_body(msg)};
  });
}

DecodedHeartbeat decode_heartbeat(std::span<const std::uint8_t> bytes) {
  return decode_message(bytes, [](EventEnvelope envelope, wire::EventMessage::Reader msg) {
    const auto body = msg.getBody();
    if (!body.isHeartbeat())
      throw EventDecodeError("message is not a heartbeat (body union member " +
                             std::to_string(static_cast<unsigned>(body.which())) + ")");
    const auto in = body.getHeartbeat();
    PublisherHeartbeat h;
    h.t_s = envelope.session_time_s;
    h.uptime_s = in.getUptimeS();
    h.period_s = in.getPeriodS();
    h.sent = in.getSent();
    h.send_failures = in.getSendFailures();
    h.subscriptions = in.getSubscriptions();
    h.snapshots_sent = in.getSnapshotsSent();
    return DecodedHeartbeat{std::move(envelope), h};
  });
}

}  // namespace stridefuse
