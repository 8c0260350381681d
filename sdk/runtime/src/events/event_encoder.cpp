// Events to EventMessage bytes (unpacked, flat array: what `capnp decode` reads).

#include <capnp/any.h>
#include <capnp/dynamic.h>
#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/io.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include "events/schema_enums.hpp"
#include "events/step_wire_fields.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/publisher_heartbeat.hpp"

namespace stridefuse {

namespace wire = stridefuse::schema;
using namespace events_detail;

static_assert(wire::SCHEMA_MAJOR == event_schema_major, "event_codec.hpp and events.capnp disagree on schemaMajor");
static_assert(wire::SCHEMA_MINOR == event_schema_minor, "event_codec.hpp and events.capnp disagree on schemaMinor");

// The enum casts in schema_enums.hpp rely on equal ordinals; check every enumerant.
#define STRIDEFUSE_SAME_ORDINAL(cpp, capnp) \
  static_assert(static_cast<unsigned>(cpp) == static_cast<unsigned>(capnp), #cpp " and " #capnp " differ")
STRIDEFUSE_SAME_ORDINAL(Side::left, wire::Side::LEFT);
STRIDEFUSE_SAME_ORDINAL(Side::right, wire::Side::RIGHT);
STRIDEFUSE_SAME_ORDINAL(StrikePattern::unknown, wire::StrikePattern::UNKNOWN);
STRIDEFUSE_SAME_ORDINAL(StrikePattern::rearfoot, wire::StrikePattern::REARFOOT);
STRIDEFUSE_SAME_ORDINAL(StrikePattern::midfoot, wire::StrikePattern::MIDFOOT);
STRIDEFUSE_SAME_ORDINAL(StrikePattern::forefoot, wire::StrikePattern::FOREFOOT);
STRIDEFUSE_SAME_ORDINAL(AbsentReason::none, wire::AbsentReason::NONE);
STRIDEFUSE_SAME_ORDINAL(AbsentReason::no_pelvis_sensor, wire::AbsentReason::NO_PELVIS_SENSOR);
STRIDEFUSE_SAME_ORDINAL(AbsentReason::no_insole, wire::AbsentReason::NO_INSOLE);
STRIDEFUSE_SAME_ORDINAL(AbsentReason::no_speed_source, wire::AbsentReason::NO_SPEED_SOURCE);
STRIDEFUSE_SAME_ORDINAL(AbsentReason::no_previous_step, wire::AbsentReason::NO_PREVIOUS_STEP);
STRIDEFUSE_SAME_ORDINAL(AbsentReason::not_calibrated, wire::AbsentReason::NOT_CALIBRATED);
STRIDEFUSE_SAME_ORDINAL(AbsentReason::degraded_input, wire::AbsentReason::DEGRADED_INPUT);
STRIDEFUSE_SAME_ORDINAL(AbsentReason::not_detected, wire::AbsentReason::NOT_DETECTED);
STRIDEFUSE_SAME_ORDINAL(AbsentReason::not_for_walking, wire::AbsentReason::NOT_FOR_WALKING);
STRIDEFUSE_SAME_ORDINAL(AbsentReason::no_insole_geometry, wire::AbsentReason::NO_INSOLE_GEOMETRY);
STRIDEFUSE_SAME_ORDINAL(AbsentReason::no_left_insole, wire::AbsentReason::NO_LEFT_INSOLE);
STRIDEFUSE_SAME_ORDINAL(AbsentReason::no_right_insole, wire::AbsentReason::NO_RIGHT_INSOLE);
STRIDEFUSE_SAME_ORDINAL(GaitMode::unknown, wire::GaitMode::UNKNOWN);
STRIDEFUSE_SAME_ORDINAL(GaitMode::walking, wire::GaitMode::WALKING);
STRIDEFUSE_SAME_ORDINAL(GaitMode::running, wire::GaitMode::RUNNING);
STRIDEFUSE_SAME_ORDINAL(StepSource::insole, wire::StepSource::INSOLE);
STRIDEFUSE_SAME_ORDINAL(StepSource::pelvis, wire::StepSource::PELVIS);
STRIDEFUSE_SAME_ORDINAL(CalibrationSource::none, wire::CalibrationSource::NONE);
STRIDEFUSE_SAME_ORDINAL(CalibrationSource::standing, wire::CalibrationSource::STANDING);
STRIDEFUSE_SAME_ORDINAL(CalibrationSource::first_strides, wire::CalibrationSource::FIRST_STRIDES);
STRIDEFUSE_SAME_ORDINAL(DeviceState::connected, wire::DeviceState::CONNECTED);
STRIDEFUSE_SAME_ORDINAL(DeviceState::streaming, wire::DeviceState::STREAMING);
STRIDEFUSE_SAME_ORDINAL(DeviceState::degraded, wire::DeviceState::DEGRADED);
STRIDEFUSE_SAME_ORDINAL(DeviceState::disconnected, wire::DeviceState::DISCONNECTED);
STRIDEFUSE_SAME_ORDINAL(DeviceState::reconnecting, wire::DeviceState::RECONNECTING);
STRIDEFUSE_SAME_ORDINAL(LinkReason::none, wire::LinkReason::NONE);
STRIDEFUSE_SAME_ORDINAL(LinkReason::host_request, wire::LinkReason::HOST_REQUEST);
STRIDEFUSE_SAME_ORDINAL(LinkReason::link_lost, wire::LinkReason::LINK_LOST);
STRIDEFUSE_SAME_ORDINAL(LinkReason::remote, wire::LinkReason::REMOTE);
STRIDEFUSE_SAME_ORDINAL(LinkReason::transport_lost, wire::LinkReason::TRANSPORT_LOST);
STRIDEFUSE_SAME_ORDINAL(LinkReason::refused, wire::LinkReason::REFUSED);
STRIDEFUSE_SAME_ORDINAL(LinkReason::no_answer, wire::LinkReason::NO_ANSWER);
STRIDEFUSE_SAME_ORDINAL(FindingState::started, wire::FindingState::STARTED);
STRIDEFUSE_SAME_ORDINAL(FindingState::ended, wire::FindingState::ENDED);
STRIDEFUSE_SAME_ORDINAL(FindingCode::overstride, wire::FindingCode::OVERSTRIDE);
STRIDEFUSE_SAME_ORDINAL(FindingCode::backseat, wire::FindingCode::BACKSEAT);
STRIDEFUSE_SAME_ORDINAL(FindingCode::anterior_tilt, wire::FindingCode::ANTERIOR_TILT);
STRIDEFUSE_SAME_ORDINAL(FindingCode::hip_drop, wire::FindingCode::HIP_DROP);
STRIDEFUSE_SAME_ORDINAL(FindingCode::asymmetry, wire::FindingCode::ASYMMETRY);
STRIDEFUSE_SAME_ORDINAL(FindingCode::fatigue_drift, wire::FindingCode::FATIGUE_DRIFT);
STRIDEFUSE_SAME_ORDINAL(FindingCode::cadence_low, wire::FindingCode::CADENCE_LOW);
STRIDEFUSE_SAME_ORDINAL(FindingSide::left, wire::FindingSide::LEFT);
STRIDEFUSE_SAME_ORDINAL(FindingSide::right, wire::FindingSide::RIGHT);
STRIDEFUSE_SAME_ORDINAL(FindingSide::both, wire::FindingSide::BOTH);
STRIDEFUSE_SAME_ORDINAL(DrillExercise::bridge, wire::DrillExercise::BRIDGE);
STRIDEFUSE_SAME_ORDINAL(DrillExercise::single_leg_rdl, wire::DrillExercise::SINGLE_LEG_RDL);
STRIDEFUSE_SAME_ORDINAL(DrillExercise::donkey_kick, wire::DrillExercise::DONKEY_KICK);
STRIDEFUSE_SAME_ORDINAL(DrillExercise::banded_hip_extension, wire::DrillExercise::BANDED_HIP_EXTENSION);
STRIDEFUSE_SAME_ORDINAL(DrillExercise::running_man, wire::DrillExercise::RUNNING_MAN);
STRIDEFUSE_SAME_ORDINAL(DrillExercise::pigeon, wire::DrillExercise::PIGEON);
STRIDEFUSE_SAME_ORDINAL(DrillSide::left, wire::DrillSide::LEFT);
STRIDEFUSE_SAME_ORDINAL(DrillSide::right, wire::DrillSide::RIGHT);
STRIDEFUSE_SAME_ORDINAL(DrillSide::both, wire::DrillSide::BOTH);
STRIDEFUSE_SAME_ORDINAL(PelvisAxis::tilt, wire::PelvisAxis::TILT);
STRIDEFUSE_SAME_ORDINAL(PelvisAxis::obliquity, wire::PelvisAxis::OBLIQUITY);
STRIDEFUSE_SAME_ORDINAL(PelvisAxis::rotation, wire::PelvisAxis::ROTATION);
#undef STRIDEFUSE_SAME_ORDINAL

namespace {

// Most events fit in this many words, so the builder reuses one zeroed
// segment instead of allocating per message.
constexpr unsigned scratch_words = 256;

// capnp copies the bytes; a std::string is NUL-terminated as StringPtr requires.
kj::StringPtr text(const std::string& s) { return kj::StringPtr(s.c_str(), s.size()); }

void set_metric(wire::Metric::Builder out, const Metric& m, const char* field) {
  if (m.present()) {
    if (!std::isfinite(m.value))
      throw std::invalid_argument(std::string("metric '") + field +
                                  "' is marked present but its value is not finite");
    out.setValue(m.value);
  } else {
    out.setAbsent(to_wire<wire::AbsentReason>(m.absent_reason, field));
  }
}

// A step is encoded by iterating the step table, each field found by name
// (step_wire_fields.hpp): a new metric needs no code here. The Metric structs
// are allocated in table order, which is the schema's, so the bytes are what
// the per-field setters wrote. Steps are a few per second; the frequent
// attitude events keep their generated setters.
void fill(wire::Step::Builder typed, const StepEvent& e) {
  auto out = capnp::toDynamic(typed);
  const auto& wire_fields = step_wire_fields();
  for (std::size_t i = 0; i < wire_fields.size(); ++i) {
    const StepField& f = step_fields[i];
    const auto& field = wire_fields[i];
    switch (f.kind) {
      case StepFieldKind::side: out.set(field, to_wire<wire::Side>(e.side, f.name)); break;
      case StepFieldKind::index: out.set(field, e.index); break;
      case StepFieldKind::time: out.set(field, e.*f.time); break;
      case StepFieldKind::metric: set_metric(out.init(field).as<wire::Metric>(), e.*f.metric, f.name); break;
      case StepFieldKind::category: {
        const int ordinal = f.category->get(e);
        if (ordinal < 0 || ordinal >= f.category->count)
          throw std::invalid_argument(std::string(f.name) + " has no value " + std::to_string(ordinal));
        out.set(field, capnp::DynamicEnum(field.getType().asEnum(), static_cast<std::uint16_t>(ordinal)));
        break;
      }
    }
  }
}

void fill(capnp::List<wire::MetricSupport>::Builder out, const std::vector<MetricSupport>& metrics) {
  for (unsigned i = 0; i < metrics.size(); ++i) {
    auto m = out[i];
    m.setMetric(text(metrics[i].metric));
    m.setLeft(to_wire<wire::AbsentReason>(metrics[i].left, "metrics.left"));
    m.setRight(to_wire<wire::AbsentReason>(metrics[i].right, "metrics.right"));
  }
}

void fill(wire::StreamClock::Builder out, const StreamClockStatus& c) {
  out.setResets(c.resets);
  out.setWraps(c.wraps);
  out.setOutOfOrder(c.out_of_order);
  out.setDuplicates(c.duplicates);
  out.setRejectedTicks(c.rejected_ticks);
  out.setStrayTicks(c.stray_ticks);
  out.setHostTimeBackwards(c.host_time_backwards);
  out.setAbsurdRates(c.absurd_rates);
  set_metric(out.initDriftPpm(), c.drift_ppm, "clock.drift_ppm");
  set_metric(out.initLatencyCorrectionS(), c.latency_correction_s, "clock.latency_correction_s");
  set_metric(out.initLatencyResidualS(), c.latency_residual_s, "clock.latency_residual_s");
}

void fill(wire::WatchedAxes::Builder out, const WatchedAxes& w) {
  out.setTilt(w.tilt);
  out.setObliquity(w.obliquity);
  out.setRotation(w.rotation);
}

void fill(wire::Rep::Builder out, const RepEvent& e) {
  out.setExercise(to_wire<wire::DrillExercise>(e.exercise, "rep.exercise"));
  out.setSide(to_wire<wire::DrillSide>(e.side, "rep.side"));
  out.setRep(e.rep);
  out.setTStartS(e.t_start_s);
  out.setTEndS(e.t_end_s);
  set_metric(out.initRangeOfMotionDeg(), e.range_of_motion_deg, "rep.range_of_motion_deg");
  if (e.hold_s) out.getHold().setHoldS(*e.hold_s); else out.getHold().setNone();
  auto x = out.initExcursion();
  x.setTiltDeg(e.excursion.tilt_deg);
  x.setObliquityDeg(e.excursion.obliquity_deg);
  x.setRotationDeg(e.excursion.rotation_deg);
  fill(out.initWatched(), e.watched);
  out.setToleranceDeg(e.tolerance_deg);
  out.setPelvisMoved(e.pelvis_moved);
}

void fill(wire::AxisSummary::Builder out, const AxisSummary& a, const char* field) {
  set_metric(out.initMeanAbsDeg(), a.mean_abs_deg, field);
  set_metric(out.initWorstDeg(), a.worst_deg, field);
}

void fill(wire::DrillSet::Builder out, const DrillSetEvent& e) {
  out.setExercise(to_wire<wire::DrillExercise>(e.exercise, "drill_set.exercise"));
  out.setToleranceDeg(e.tolerance_deg);
  fill(out.initWatched(), e.watched);
  auto sides = out.initSides(static_cast<unsigned>(e.sides.size()));
  for (unsigned i = 0; i < e.sides.size(); ++i) {
    const DrillSideSummary& in = e.sides[i];
    auto s = sides[i];
    s.setSide(to_wire<wire::DrillSide>(in.side, "drill_set.sides.side"));
    s.setReps(in.reps);
    s.setRepsMoved(in.reps_moved);
    fill(s.initTilt(), in.tilt, "drill_set.sides.tilt");
    fill(s.initObliquity(), in.obliquity, "drill_set.sides.obliquity");
    fill(s.initRotation(), in.rotation, "drill_set.sides.rotation");
    set_metric(s.initMeanDurationS(), in.mean_duration_s, "drill_set.sides.mean_duration_s");
    set_metric(s.initMeanRangeOfMotionDeg(), in.mean_range_of_motion_deg, "drill_set.sides.mean_range_of_motion_deg");
    if (in.mean_hold_s) s.getMeanHold().setHoldS(*in.mean_hold_s); else s.getMeanHold().setNone();
  }
}

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

void fill_body(wire::EventMessage::Body::Builder body, const Event& event) {
  std::visit(overloaded{
                 [&](const SessionStartEvent& e) {
                   auto out = body.initSessionStart();
                   out.setAthlete(text(e.athlete));
                   out.setHostStartUnixNs(e.host_start_unix_ns);
                   if (!e.metrics.empty()) fill(out.initMetrics(static_cast<unsigned>(e.metrics.size())), e.metrics);
                 },
                 [&](const SessionEndEvent& e) { body.initSessionEnd().setSteps(e.steps); },
                 [&](const StepEvent& e) { fill(body.initStep(), e); },
                 [&](const AttitudeEvent& e) {
                   auto out = body.initAttitude();
                   auto q = out.initOrientation();
                   q.setW(e.orientation.w);
                   q.setX(e.orientation.x);
                   q.setY(e.orientation.y);
                   q.setZ(e.orientation.z);
                   out.setTiltDeg(e.angles.tilt_deg);
                   out.setObliquityDeg(e.angles.obliquity_deg);
                   out.setRotationDeg(e.angles.rotation_deg);
                   out.setCalibration(to_wire<wire::CalibrationSource>(e.calibration, "calibration"));
                 },
                 [&](const FormAlertEvent& e) {
                   auto out = body.initFormAlert();
                   out.setMetric(text(e.metric));
                   out.setBaseline(e.baseline);
                   out.setCurrent(e.current);
                   out.setThreshold(e.threshold);
                 },
                 [&](const DeviceStatusEvent& e) {
                   auto out = body.initDeviceStatus();
                   out.setStreamId(text(e.stream_id));
                   out.setState(to_wire<wire::DeviceState>(e.state, "state"));
                   out.setFrames(e.frames);
                   out.setFramesDropped(e.frames_dropped);
                   out.setLateSamples(e.late_samples);
                   out.setClockErrorBoundS(e.clock_error_bound_s);
                   out.setMessage(text(e.message));
                   if (e.clock) fill(out.initClock(), *e.clock);
                   if (!e.metrics.empty()) fill(out.initMetrics(static_cast<unsigned>(e.metrics.size())), e.metrics);
                   out.setLinkReason(to_wire<wire::LinkReason>(e.link_reason, "linkReason"));
                   out.setReconnects(e.reconnects);
                 },
                 [&](const FindingEvent& e) {
                   auto out = body.initFinding();
                   const FormFinding& f = e.finding;
                   out.setState(to_wire<wire::FindingState>(e.state, "finding.state"));
                   out.setCode(to_wire<wire::FindingCode>(f.code, "finding.code"));
                   out.setSide(to_wire<wire::FindingSide>(f.side, "finding.side"));
                   out.setMetric(text(f.metric));
                   out.setTStartS(f.t_start_s);
                   out.setTEndS(f.t_end_s);
                   out.setValue(f.value);
                   out.setThreshold(f.threshold);
                   out.setUnit(text(f.unit));
                   out.setMessage(text(f.message));
                   out.setSteps(static_cast<std::uint32_t>(f.steps));
                   out.setStrength(f.strength);
                 },
                 [&](const RepEvent& e) { fill(body.initRep(), e); },
                 [&](const PelvisMovedEvent& e) {
                   auto out = body.initPelvisMoved();
                   out.setExercise(to_wire<wire::DrillExercise>(e.exercise, "pelvis_moved.exercise"));
                   out.setSide(to_wire<wire::DrillSide>(e.side, "pelvis_moved.side"));
                   out.setRep(e.rep);
                   out.setAxis(to_wire<wire::PelvisAxis>(e.axis, "pelvis_moved.axis"));
                   out.setExcursionDeg(e.excursion_deg);
                   out.setToleranceDeg(e.tolerance_deg);
                 },
                 [&](const DrillSetEvent& e) { fill(body.initDrillSet(), e); },
             },
             event);
}

// Cap'n Proto writes little-endian; the publisher stamps publishedS in place with the host's double.
static_assert(std::endian::native == std::endian::little, "publishedS is stamped as a native double");

void fill(wire::Provenance::Builder out, const EventProvenance& p) {
  out.setFirstSampleS(p.first_sample_s);
  out.setLastSampleS(p.last_sample_s);
  out.setLastArrivalS(p.last_arrival_s);
  out.setProducedS(p.produced_s);
  out.setPublishedS(p.published_s);
  auto streams = out.initStreams(static_cast<unsigned>(p.streams.size()));
  for (unsigned i = 0; i < p.streams.size(); ++i) {
    streams[i].setStreamId(text(p.streams[i].stream_id));
    streams[i].setClockErrorBoundS(p.streams[i].clock_error_bound_s);
  }
}

// Byte offset of publishedS within Provenance's data section, from the schema.
std::size_t published_field_offset() {
  static const std::size_t offset = [] {
    const auto field = capnp::Schema::from<wire::Provenance>().getFieldByName("publishedS");
    return static_cast<std::size_t>(field.getProto().getSlot().getOffset()) * sizeof(double);
  }();
  return offset;
}

// Where `field` lies in the flat serialization of `segments` (segment table, then each segment).
std::size_t flat_offset(kj::ArrayPtr<const kj::ArrayPtr<const capnp::word>> segments, const capnp::byte* field) {
  std::size_t offset = (segments.size() / 2 + 1) * sizeof(capnp::word);  // the segment table
  for (const auto& segment : segments) {
    const auto* begin = reinterpret_cast<const capnp::byte*>(segment.begin());
    const auto* end = reinterpret_cast<const capnp::byte*>(segment.end());
    if (field >= begin && field < end) return offset + static_cast<std::size_t>(field - begin);
    offset += segment.size() * sizeof(capnp::word);
  }
  throw std::logic_error("publishedS lies in no segment of the message");
}

}  // namespace

struct EventEncoder::Impl {
  kj::Array<capnp::word> scratch = kj::heapArray<capnp::word>(scratch_words);
  std::vector<std::uint8_t> bytes;
  std::optional<std::size_t> published_offset;

  Impl() { std::fill(scratch.asBytes().begin(), scratch.asBytes().end(), 0); }
};

EventEncoder::EventEncoder() : impl_(std::make_unique<Impl>()) {}
EventEncoder::~EventEncoder() = default;

namespace {

void set_envelope(wire::EventMessage::Builder msg, std::string_view athlete, std::uint64_t sequence, double t_s) {
  msg.setSchemaMajor(event_schema_major);
  msg.setSchemaMinor(event_schema_minor);
  auto athlete_text = msg.initAthlete(static_cast<unsigned>(athlete.size()));
  std::copy(athlete.begin(), athlete.end(), athlete_text.begin());
  msg.setSequence(sequence);
  msg.setSessionTimeS(t_s);
}

void flatten(capnp::MessageBuilder& builder, std::vector<std::uint8_t>& bytes) {
  const auto segments = builder.getSegmentsForOutput();
  bytes.resize(capnp::computeSerializedSizeInWords(segments) * sizeof(capnp::word));
  kj::ArrayOutputStream out(kj::arrayPtr(bytes.data(), bytes.size()));
  capnp::writeMessage(out, segments);
}

}  // namespace

std::span<const std::uint8_t> EventEncoder::encode(const Event& event, std::string_view athlete,
                                                   std::uint64_t sequence, const EventProvenance* provenance) {
  // The builder re-zeroes the scratch segment in its destructor, ready for the next event.
  capnp::MallocMessageBuilder builder(impl_->scratch.asPtr());
  auto msg = builder.initRoot<wire::EventMessage>();
  set_envelope(msg, athlete, sequence, event_time_s(event));
  fill_body(msg.initBody(), event);
  impl_->published_offset.reset();
  const capnp::byte* published = nullptr;
  if (provenance) {
    auto out = msg.initProvenance();
    fill(out, *provenance);
    published = capnp::AnyStruct::Builder(kj::mv(out)).getDataSection().begin() + published_field_offset();
  }
  flatten(builder, impl_->bytes);
  if (published) impl_->published_offset = flat_offset(builder.getSegmentsForOutput(), published);
  return {impl_->bytes.data(), impl_->bytes.size()};
}

std::optional<std::size_t> EventEncoder::published_offset() const { return impl_->published_offset; }

std::vector<std::uint8_t> encode_heartbeat(const PublisherHeartbeat& heartbeat, std::string_view athlete,
                                           std::uint64_t sequence) {
  capnp::MallocMessageBuilder builder;
  auto msg = builder.initRoot<wire::EventMessage>();
  set_envelope(msg, athlete, sequence, heartbeat.t_s);
  auto out = msg.initBody().initHeartbeat();
  out.setUptimeS(heartbeat.uptime_s);
  out.setPeriodS(heartbeat.period_s);
  out.setSent(heartbeat.sent);
  out.setSendFailures(heartbeat.send_failures);
  out.setSubscriptions(heartbeat.subscriptions);
  out.setSnapshotsSent(heartbeat.snapshots_sent);
  std::vector<std::uint8_t> bytes;
  flatten(builder, bytes);
  return bytes;
}

std::vector<std::uint8_t> encode_event(const Event& event, std::string_view athlete, std::uint64_t sequence,
                                       const EventProvenance* provenance) {
  EventEncoder encoder;
  const auto bytes = encoder.encode(event, athlete, sequence, provenance);
  return {bytes.begin(), bytes.end()};
}

}  // namespace stridefuse
