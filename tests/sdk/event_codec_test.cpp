// Round trip of every event kind through the Cap'n Proto codec, and rejection
// of everything that is not a complete message of our schema major.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "event_samples.hpp"
#include "stridefuse/runtime/event_codec.hpp"

namespace stridefuse {
namespace {

// Offsets in an unpacked single-segment message: 4-byte segment count, 4-byte
// segment size, 8-byte root pointer, then EventMessage's data section
// (schemaMajor at byte 0, schemaMinor at 2, body union tag at 4; see
// `capnp compile -ocapnp events.capnp`).
constexpr std::size_t root_data = 16;
constexpr std::size_t major_offset = root_data + 0;
constexpr std::size_t minor_offset = root_data + 2;
constexpr std::size_t body_tag_offset = root_data + 4;

void put_u16(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint16_t v) {
  bytes.at(at) = static_cast<std::uint8_t>(v & 0xff);
  bytes.at(at + 1) = static_cast<std::uint8_t>(v >> 8);
}

std::uint16_t get_u16(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return static_cast<std::uint16_t>(bytes.at(at) | (bytes.at(at + 1) << 8));
}

void expect_same_metric(const Metric& a, const Metric& b) {
  EXPECT_EQ(a.absent_reason, b.absent_reason);
  if (a.present()) {
    EXPECT_EQ(a.value, b.value);
  }
}

void expect_same_clock(const StreamClockStatus& a, const StreamClockStatus& b) {
  EXPECT_EQ(a.resets, b.resets);
  EXPECT_EQ(a.wraps, b.wraps);
  EXPECT_EQ(a.out_of_order, b.out_of_order);
  EXPECT_EQ(a.duplicates, b.duplicates);
  EXPECT_EQ(a.rejected_ticks, b.rejected_ticks);
  EXPECT_EQ(a.stray_ticks, b.stray_ticks);
  EXPECT_EQ(a.host_time_backwards, b.host_time_backwards);
  EXPECT_EQ(a.absurd_rates, b.absurd_rates);
  expect_same_metric(a.drift_ppm, b.drift_ppm);
  expect_same_metric(a.latency_correction_s, b.latency_correction_s);
  expect_same_metric(a.latency_residual_s, b.latency_residual_s);
}

void expect_same(const Metric& a, const Metric& b, const char* what) {
  EXPECT_EQ(a.absent_reason, b.absent_reason) << what;
  if (a.present()) {
    EXPECT_EQ(a.value, b.value) << what;
  }
}

void expect_same(const Event& sent, const Event& got) {
  ASSERT_EQ(sent.index(), got.index()) << "kind changed: " << event_kind(sent) << " -> " << event_kind(got);
  if (const auto* a = std::get_if<StepEvent>(&sent)) {
    const auto& b = std::get<StepEvent>(got);
    EXPECT_EQ(a->side, b.side);
    EXPECT_EQ(a->index, b.index);
    EXPECT_EQ(a->t_ic_s, b.t_ic_s);
    EXPECT_EQ(a->t_to_s, b.t_to_s);
    expect_same(a->contact_time_s, b.contact_time_s, "contact_time_s");
    expect_same(a->flight_time_s, b.flight_time_s, "flight_time_s");
    expect_same(a->cadence_spm, b.cadence_spm, "cadence_spm");
    expect_same(a->strike_index_pct, b.strike_index_pct, "strike_index_pct");
    EXPECT_EQ(a->strike_pattern, b.strike_pattern);
    expect_same(a->foot_strike_distance_m, b.foot_strike_distance_m, "foot_strike_distance_m");
    expect_same(a->braking_time_s, b.braking_time_s, "braking_time_s");
    expect_same(a->step_length_m, b.step_length_m, "step_length_m");
    expect_same(a->tilt_ic_deg, b.tilt_ic_deg, "tilt_ic_deg");
    expect_same(a->obliquity_ic_deg, b.obliquity_ic_deg, "obliquity_ic_deg");
    expect_same(a->rotation_ic_deg, b.rotation_ic_deg, "rotation_ic_deg");
    expect_same(a->pelvic_drop_deg, b.pelvic_drop_deg, "pelvic_drop_deg");
    expect_same(a->vertical_oscillation_m, b.vertical_oscillation_m, "vertical_oscillation_m");
    EXPECT_EQ(a->gait_mode, b.gait_mode);
    EXPECT_EQ(a->detected_by, b.detected_by);
    expect_same(a->foot_strike_distance_uncertainty_m, b.foot_strike_distance_uncertainty_m,
                "foot_strike_distance_uncertainty_m");
  } else if (const auto* at = std::get_if<AttitudeEvent>(&sent)) {
    const auto& bt = std::get<AttitudeEvent>(got);
    EXPECT_EQ(at->t_s, bt.t_s);
    EXPECT_EQ(at->orientation.w, bt.orientation.w);
    EXPECT_EQ(at->orientation.x, bt.orientation.x);
    EXPECT_EQ(at->orientation.y, bt.orientation.y);
    EXPECT_EQ(at->orientation.z, bt.orientation.z);
    EXPECT_EQ(at->angles.tilt_deg, bt.angles.tilt_deg);
    EXPECT_EQ(at->angles.obliquity_deg, bt.angles.obliquity_deg);
    EXPECT_EQ(at->angles.rotation_deg, bt.angles.rotation_deg);
    EXPECT_EQ(at->calibration, bt.calibration);
  } else if (const auto* fa = std::get_if<FindingEvent>(&sent)) {
    const auto& fb = std::get<FindingEvent>(got);
    EXPECT_EQ(fa->t_s, fb.t_s);
    EXPECT_EQ(fa->state, fb.state);
    EXPECT_EQ(fa->finding, fb.finding);
  } else if (const auto* af = std::get_if<FormAlertEvent>(&sent)) {
    const auto& bf = std::get<FormAlertEvent>(got);
    EXPECT_EQ(af->t_s, bf.t_s);
    EXPECT_EQ(af->metric, bf.metric);
    EXPECT_EQ(af->baseline, bf.baseline);
    EXPECT_EQ(af->current, bf.current);
    EXPECT_EQ(af->threshold, bf.threshold);
  } else if (const auto* ad = std::get_if<DeviceStatusEvent>(&sent)) {
    const auto& bd = std::get<DeviceStatusEvent>(got);
    EXPECT_EQ(ad->t_s, bd.t_s);
    EXPECT_EQ(ad->stream_id, bd.stream_id);
    EXPECT_EQ(ad->state, bd.state);
    EXPECT_EQ(ad->frames, bd.frames);
    EXPECT_EQ(ad->frames_dropped, bd.frames_dropped);
    EXPECT_EQ(ad->late_samples, bd.late_samples);
    EXPECT_EQ(ad->clock_error_bound_s, bd.clock_error_bound_s);
    EXPECT_EQ(ad->message, bd.message);
    ASSERT_EQ(ad->clock.has_value(), bd.clock.has_value());
    if (ad->clock) expect_same_clock(*ad->clock, *bd.clock);
    EXPECT_EQ(ad->metrics, bd.metrics);
  } else if (const auto* as = std::get_if<SessionStartEvent>(&sent)) {
    const auto& bs = std::get<SessionStartEvent>(got);
    EXPECT_EQ(as->t_s, bs.t_s);
    EXPECT_EQ(as->athlete, bs.athlete);
    EXPECT_EQ(as->host_start_unix_ns, bs.host_start_unix_ns);
    EXPECT_EQ(as->metrics, bs.metrics);
  } else if (const auto* ae = std::get_if<SessionEndEvent>(&sent)) {
    const auto& be = std::get<SessionEndEvent>(got);
    EXPECT_EQ(ae->t_s, be.t_s);
    EXPECT_EQ(ae->steps, be.steps);
  }
}

/// Decoding must either succeed or throw EventDecodeError: nothing else.
void expect_decodes_or_rejects(const std::vector<std::uint8_t>& bytes) {
  try {
    (void)decode_event(bytes);
  } catch (const EventDecodeError&) {
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception type: " << e.what();
  }
}

TEST(EventCodec, EveryKindRoundTripsWithItsEnvelope) {
  std::uint64_t sequence = 1000;
  for (const auto& sent : test::sample_events()) {
    SCOPED_TRACE(event_kind(sent));
    const auto bytes = encode_event(sent, "runner-7", sequence);
    ASSERT_EQ(bytes.size() % 8, 0u);
    const auto got = decode_event(bytes);
    EXPECT_EQ(got.envelope.schema_major, event_schema_major);
    EXPECT_EQ(got.envelope.schema_minor, event_schema_minor);
    EXPECT_EQ(got.envelope.athlete, "runner-7");
    EXPECT_EQ(got.envelope.sequence, sequence);
    EXPECT_EQ(got.envelope.session_time_s, event_time_s(sent));
    expect_same(sent, got.event);
    ++sequence;
  }
}

TEST(EventCodec, EveryAbsentReasonAndEnumerantRoundTrips) {
  for (auto reason : {AbsentReason::no_pelvis_sensor, AbsentReason::no_insole, AbsentReason::no_speed_source,
                      AbsentReason::no_previous_step, AbsentReason::not_calibrated, AbsentReason::degraded_input,
                      AbsentReason::not_detected, AbsentReason::not_for_walking, AbsentReason::no_insole_geometry}) {
    auto step = test::sample_step();
    step.cadence_spm = Metric::absent(reason);
    const auto got = std::get<StepEvent>(decode_event(encode_event(step, "a", 0)).event);
    EXPECT_FALSE(got.cadence_spm.present());
    EXPECT_EQ(got.cadence_spm.absent_reason, reason) << to_string(reason);
  }
  for (auto pattern : {StrikePattern::unknown, StrikePattern::midfoot, StrikePattern::forefoot}) {
    auto step = test::sample_step();
    step.strike_pattern = pattern;
    step.side = Side::left;
    const auto got = std::get<StepEvent>(decode_event(encode_event(step, "a", 0)).event);
    EXPECT_EQ(got.strike_pattern, pattern);
    EXPECT_EQ(got.side, Side::left);
  }
  for (auto mode : {GaitMode::unknown, GaitMode::running}) {
    auto step = test::sample_step();
    step.gait_mode = mode;
    step.detected_by = StepSource::insole;
    const auto got = std::get<StepEvent>(decode_event(encode_event(step, "a", 0)).event);
    EXPECT_EQ(got.gait_mode, mode);
    EXPECT_EQ(got.detected_by, StepSource::insole);
  }
  for (auto state : {DeviceState::connected, DeviceState::streaming, DeviceState::disconnected}) {
    auto status = test::sample_device_status();
    status.state = state;
    EXPECT_EQ(std::get<DeviceStatusEvent>(decode_event(encode_event(status, "a", 0)).event).state, state);
  }
  for (auto source : {CalibrationSource::none, CalibrationSource::standing}) {
    auto att = test::sample_attitude();
    att.calibration = source;
    EXPECT_EQ(std::get<AttitudeEvent>(decode_event(encode_event(att, "a", 0)).event).calibration, source);
  }
}

TEST(EventCodec, EncoderReuseGivesTheSameBytesAsAFreshEncoder) {
  EventEncoder encoder;
  for (int round = 0; round < 3; ++round)
    for (const auto& e : test::sample_events()) {
      const auto reused = encoder.encode(e, "runner-7", 5);
      const auto fresh = encode_event(e, "runner-7", 5);
      EXPECT_EQ(std::vector<std::uint8_t>(reused.begin(), reused.end()), fresh) << event_kind(e);
    }
}

TEST(EventCodec, LongTextsSpillPastTheScratchSegment) {
  auto status = test::sample_device_status();
  status.message = std::string(20000, 'x');
  EventEncoder encoder;
  const auto bytes = encoder.encode(status, std::string(300, 'a'), 1);
  const auto got = decode_event({bytes.data(), bytes.size()});
  EXPECT_EQ(std::get<DeviceStatusEvent>(got.event).message, status.message);
  EXPECT_EQ(got.envelope.athlete, std::string(300, 'a'));
}

TEST(EventCodec, EncodingRejectsAPresentMetricWithoutAFiniteValue) {
  auto step = test::sample_step();
  step.pelvic_drop_deg = Metric{std::numeric_limits<double>::infinity(), AbsentReason::none};
  try {
    (void)encode_event(step, "a", 0);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("pelvic_drop_deg"), std::string::npos) << e.what();
  }
}

TEST(EventCodec, EncodingRejectsAnOutOfRangeEnumValue) {
  auto status = test::sample_device_status();
  status.state = static_cast<DeviceState>(42);
  EXPECT_THROW((void)encode_event(status, "a", 0), std::invalid_argument);
}

TEST(EventCodec, DecodingUnalignedBytesWorks) {
  const auto bytes = encode_event(test::sample_step(), "runner-7", 3);
  std::vector<std::uint8_t> shifted(bytes.size() + 1);
  std::memcpy(shifted.data() + 1, bytes.data(), bytes.size());
  const auto got = decode_event(std::span<const std::uint8_t>(shifted.data() + 1, bytes.size()));
  expect_same(test::sample_step(), got.event);
}

TEST(EventCodec, EveryTruncationIsRejected) {
  for (const auto& e : test::sample_events()) {
    const auto bytes = encode_event(e, "runner-7", 3);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      const std::span<const std::uint8_t> prefix(bytes.data(), n);
      EXPECT_THROW((void)decode_event(prefix), EventDecodeError) << event_kind(e) << " cut to " << n << " bytes";
    }
  }
}

TEST(EventCodec, TrailingBytesAreRejected) {
  auto bytes = encode_event(test::sample_step(), "runner-7", 3);
  bytes.resize(bytes.size() + 8, 0);
  try {
    (void)decode_event(bytes);
    FAIL() << "expected EventDecodeError";
  } catch (const EventDecodeError& e) {
    EXPECT_NE(std::string(e.what()).find("trailing"), std::string::npos) << e.what();
  }
}

TEST(EventCodec, NewerMajorVersionIsRejectedByName) {
  auto bytes = encode_event(test::sample_step(), "runner-7", 3);
  ASSERT_EQ(get_u16(bytes, major_offset), event_schema_major) << "layout assumption broken";
  put_u16(bytes, major_offset, event_schema_major + 1);
  try {
    (void)decode_event(bytes);
    FAIL() << "expected EventDecodeError";
  } catch (const EventDecodeError& e) {
    EXPECT_NE(std::string(e.what()).find("schema major version 2"), std::string::npos) << e.what();
  }
  put_u16(bytes, major_offset, 0);  // a message without a version is not ours either
  EXPECT_THROW((void)decode_event(bytes), EventDecodeError);
}

TEST(EventCodec, NewerMinorVersionIsAccepted) {
  auto bytes = encode_event(test::sample_step(), "runner-7", 3);
  ASSERT_EQ(get_u16(bytes, minor_offset), event_schema_minor);
  put_u16(bytes, minor_offset, event_schema_minor + 7);
  const auto got = decode_event(bytes);
  EXPECT_EQ(got.envelope.schema_minor, event_schema_minor + 7);
  expect_same(test::sample_step(), got.event);
}

TEST(EventCodec, DeviceStatusClockRoundTripsPresentAndAbsent) {
  auto status = test::sample_device_status();
  status.clock->drift_ppm = Metric::absent(AbsentReason::not_calibrated);
  status.clock->latency_correction_s = Metric::absent(AbsentReason::no_insole);
  status.clock->latency_residual_s = Metric::absent(AbsentReason::no_pelvis_sensor);
  expect_same(status, decode_event(encode_event(status, "runner-7", 1)).event);
  status.clock.reset();  // a status without clock state stays without
  const auto got = std::get<DeviceStatusEvent>(decode_event(encode_event(status, "runner-7", 2)).event);
  EXPECT_FALSE(got.clock.has_value());
  status = test::sample_device_status();
  status.clock->latency_residual_s.absent_reason = AbsentReason::none;  // "present" with a NaN value
  status.clock->latency_residual_s.value = std::numeric_limits<double>::quiet_NaN();
  try {
    (void)encode_event(status, "runner-7", 3);
    FAIL() << "a present clock metric without a finite value must be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("clock.latency_residual_s"), std::string::npos) << e.what();
  }
}

// A device status exactly as a schema 1.1 writer sent it (`capnp encode` with
// the 1.1 events.capnp): DeviceStatus of 5 data words and 2 pointers, no clock.
TEST(EventCodec, AVersion11DeviceStatusDecodesWithoutClockState) {
  const std::vector<std::uint8_t> bytes = {
      0x00, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x01, 0x00,
      0x01, 0x00, 0x05, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x29, 0x40, 0x05, 0x00, 0x00, 0x00, 0x4a, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x05, 0x00,
      0x02, 0x00, 0x72, 0x75, 0x6e, 0x6e, 0x65, 0x72, 0x2d, 0x37, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xb0, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfa, 0x7e, 0x6a, 0xbc,
      0x74, 0x93, 0x58, 0x3f, 0x05, 0x00, 0x00, 0x00, 0x62, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0xda, 0x00,
      0x00, 0x00, 0x6c, 0x65, 0x66, 0x74, 0x5f, 0x69, 0x6e, 0x73, 0x6f, 0x6c, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x34, 0x20, 0x66, 0x72, 0x61, 0x6d, 0x65, 0x73, 0x20, 0x6c, 0x6f, 0x73, 0x74, 0x20, 0x6f, 0x72, 0x20, 0x6d,
      0x61, 0x6c, 0x66, 0x6f, 0x72, 0x6d, 0x65, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  const auto got = decode_event(bytes);
  EXPECT_EQ(got.envelope.schema_major, 1);
  EXPECT_EQ(got.envelope.schema_minor, 1);
  const auto& status = std::get<DeviceStatusEvent>(got.event);
  EXPECT_EQ(status.stream_id, "left_insole");
  EXPECT_EQ(status.state, DeviceState::degraded);
  EXPECT_EQ(status.frames, 1200u);
  EXPECT_EQ(status.frames_dropped, 4u);
  EXPECT_EQ(status.late_samples, 2u);
  EXPECT_EQ(status.clock_error_bound_s, 0.0015);
  EXPECT_EQ(status.message, "4 frames lost or malformed");
  EXPECT_FALSE(status.clock.has_value()) << "an old writer's message says nothing about the clock: unknown, not zero";
  EXPECT_NE(event_to_json(got).find(R"("clock":null)"), std::string::npos);
}

// A step exactly as a schema 1.2 writer sent it (`capnp encode` with the 1.2
// events.capnp): no gait mode, no source. It decodes as unknown gait, timed by
// the insole (what every 1.2 step was), and replay clears what 1.2 lacks.
TEST(EventCodec, AVersion12StepDecodesWithUnknownGaitFromTheInsole) {
  const std::vector<std::uint8_t> bytes = {
      0x00, 0x00, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x01, 0x00,
      0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x29, 0x40, 0x05, 0x00, 0x00, 0x00, 0x4a, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x03, 0x00,
      0x0c, 0x00, 0x72, 0x75, 0x6e, 0x6e, 0x65, 0x72, 0x2d, 0x37, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x01, 0x00, 0x01, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x29, 0x40, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x80, 0x29, 0x40, 0x2c, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00,
      0x02, 0x00, 0x00, 0x00, 0x34, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00, 0x02, 0x00,
      0x00, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
      0x44, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x4c, 0x00,
      0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x50, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x54, 0x00, 0x00, 0x00,
      0x02, 0x00, 0x00, 0x00, 0x58, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0xd0, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x70, 0x65, 0x40, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x34, 0x40, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0xf3, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  const auto got = decode_event(bytes);
  EXPECT_EQ(got.envelope.schema_minor, 2);
  const auto& step = std::get<StepEvent>(got.event);
  EXPECT_EQ(step.index, 7u);
  EXPECT_EQ(step.cadence_spm.value, 171.5);
  EXPECT_EQ(step.gait_mode, GaitMode::unknown);
  EXPECT_EQ(step.detected_by, StepSource::insole);
  // This build's step with the fields 1.3 added, cleared to what 1.2 says:
  // encoded again, the same bytes as the old step decoded and encoded again.
  auto now = step;
  now.gait_mode = GaitMode::running;
  now.detected_by = StepSource::pelvis;
  Event as_event = now;
  clear_fields_after_minor(as_event, 2);
  EXPECT_EQ(encode_event(as_event, "runner-7", 5), encode_event(got.event, "runner-7", 5));
}

TEST(EventCodec, FieldsAfterAnOlderMinorAreCleared) {
  Event start = test::sample_session_start(), status = test::sample_device_status(), step = test::sample_step();
  for (auto* e : {&start, &status, &step}) clear_fields_after_minor(*e, event_schema_minor);
  EXPECT_FALSE(std::get<SessionStartEvent>(start).metrics.empty()) << "the current minor keeps everything";
  EXPECT_TRUE(std::get<StepEvent>(step).foot_strike_distance_uncertainty_m.present());
  clear_fields_after_minor(step, 6);
  EXPECT_EQ(std::get<StepEvent>(step).foot_strike_distance_uncertainty_m.absent_reason, AbsentReason::not_detected)
      << "1.7 added the uncertainty";
  EXPECT_TRUE(std::get<StepEvent>(step).foot_strike_distance_m.present());
  for (auto* e : {&start, &status, &step}) clear_fields_after_minor(*e, 2);
  EXPECT_TRUE(std::get<SessionStartEvent>(start).metrics.empty());
  EXPECT_TRUE(std::get<DeviceStatusEvent>(status).metrics.empty());
  EXPECT_TRUE(std::get<DeviceStatusEvent>(status).clock.has_value()) << "1.2 has the clock";
  EXPECT_EQ(std::get<StepEvent>(step).gait_mode, GaitMode::unknown);
  clear_fields_after_minor(status, 1);
  EXPECT_FALSE(std::get<DeviceStatusEvent>(status).clock.has_value());
  EXPECT_THROW(clear_fields_after_minor(step, event_schema_minor + 1), std::invalid_argument);
}

// An older writer's message, as above, has no provenance: nor does one encoded without it.
TEST(EventCodec, AnEventEncodedWithoutProvenanceDecodesWithoutOne) {
  EXPECT_FALSE(decode_event(encode_event(test::sample_step(), "runner-7", 1)).envelope.provenance)
      << "encoded without one";
}

EventProvenance sample_provenance() {
  EventProvenance p;
  p.first_sample_s = 12.3456789012345;
  p.last_sample_s = 12.93;
  p.last_arrival_s = 12.9381;
  p.produced_s = 12.9383;
  p.streams = {{"pelvis_imu", 0.0021}, {"left_insole", 0.0046}, {"a_stream_id_longer_than_inline", 0.5}};
  return p;
}

TEST(EventCodec, ProvenanceRoundTripsWithANaNPublishedTime) {
  const auto p = sample_provenance();
  for (const auto& e : test::sample_events()) {
    const auto decoded = decode_event(encode_event(e, "runner-7", 9, &p));
    ASSERT_TRUE(decoded.envelope.provenance) << event_kind(e);
    const auto& got = *decoded.envelope.provenance;
    EXPECT_EQ(got.first_sample_s, p.first_sample_s);
    EXPECT_EQ(got.last_sample_s, p.last_sample_s);
    EXPECT_EQ(got.last_arrival_s, p.last_arrival_s);
    EXPECT_EQ(got.produced_s, p.produced_s);
    EXPECT_TRUE(std::isnan(got.published_s)) << "nobody stamped it";
    ASSERT_EQ(got.streams.size(), p.streams.size());
    for (std::size_t i = 0; i < p.streams.size(); ++i) {
      EXPECT_EQ(got.streams[i].stream_id, p.streams[i].stream_id);
      EXPECT_EQ(got.streams[i].clock_error_bound_s, p.streams[i].clock_error_bound_s);
    }
    EXPECT_FALSE(got.session_zero) << "not on the wire";
    EXPECT_EQ(event_to_json(decoded.event), event_to_json(e)) << "the event itself is unchanged";
  }
}

// What the publisher's socket thread does when it sends: eight bytes at
// published_offset() are provenance.publishedS, whatever the event.
TEST(EventCodec, ThePublishedOffsetIsWherePublishedSLies) {
  const auto p = sample_provenance();
  EventEncoder encoder;
  std::uint64_t sequence = 0;
  for (const auto& e : test::sample_events()) {
    const auto span = encoder.encode(e, "runner-7", sequence++, &p);
    std::vector<std::uint8_t> bytes(span.begin(), span.end());
    const auto offset = encoder.published_offset();
    ASSERT_TRUE(offset) << event_kind(e);
    ASSERT_LE(*offset + 8, bytes.size());
    const double stamped = 12.9384375;
    std::memcpy(bytes.data() + *offset, &stamped, sizeof stamped);
    const auto decoded = decode_event(bytes);
    EXPECT_EQ(decoded.envelope.provenance->published_s, stamped) << event_kind(e);
    EXPECT_EQ(decoded.envelope.provenance->produced_s, p.produced_s) << "nothing else moved";
    encoder.encode(e, "runner-7", 0);
    EXPECT_FALSE(encoder.published_offset()) << "a message without provenance has none";
  }
}

TEST(EventCodec, UnknownEventKindIsRejectedByName) {
  auto bytes = encode_event(test::sample_session_end(), "runner-7", 3);
  ASSERT_EQ(get_u16(bytes, body_tag_offset), 1) << "layout assumption broken: sessionEnd is union tag 1";
  put_u16(bytes, body_tag_offset, 77);
  try {
    (void)decode_event(bytes);
    FAIL() << "expected EventDecodeError";
  } catch (const EventDecodeError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown event kind"), std::string::npos) << e.what();
  }
}

// Where the encoded value of contact_time_s (0.2221) sits: the Metric's data
// word; its union tag (0 value, 1 absent) is the 16 bits after it.
std::size_t contact_time_offset(const std::vector<std::uint8_t>& bytes) {
  const double value = 0.2221;
  for (std::size_t at = 0; at + 8 <= bytes.size(); at += 8)
    if (std::memcmp(&bytes[at], &value, 8) == 0) return at;
  ADD_FAILURE() << "contact_time_s value not found in the message";
  return 0;
}

TEST(EventCodec, InvalidMetricsAreRejectedByName) {
  const auto good = encode_event(test::sample_step(), "runner-7", 3);
  const auto at = contact_time_offset(good);
  ASSERT_GT(at, 0u);
  ASSERT_EQ(get_u16(good, at + 8), 0) << "layout assumption broken: Metric.value is union tag 0";

  auto expect_rejected = [](const std::vector<std::uint8_t>& bytes, const std::string& words) {
    try {
      (void)decode_event(bytes);
      ADD_FAILURE() << "expected EventDecodeError mentioning " << words;
    } catch (const EventDecodeError& e) {
      EXPECT_NE(std::string(e.what()).find("contact_time_s"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  auto non_finite = good;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::memcpy(&non_finite[at], &nan, 8);
  expect_rejected(non_finite, "non-finite");

  auto absent_none = good;
  std::fill(absent_none.begin() + static_cast<std::ptrdiff_t>(at), absent_none.begin() + static_cast<std::ptrdiff_t>(at + 8), 0);
  put_u16(absent_none, at + 8, 1);
  expect_rejected(absent_none, "reason 'none'");

  auto unknown_reason = absent_none;
  put_u16(unknown_reason, at, 99);
  expect_rejected(unknown_reason, "unknown enumerant 99");
}

TEST(EventCodec, GarbageIsRejectedCleanly) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(8 * (1 + trial % 40)));
    for (auto& b : bytes) b = static_cast<std::uint8_t>(byte(rng));
    if (trial % 2 == 0) {  // a plausible segment table makes the reader go further
      bytes[0] = bytes[1] = bytes[2] = bytes[3] = 0;
      const std::uint32_t words = static_cast<std::uint32_t>(bytes.size() / 8 - 1);
      std::memcpy(&bytes[4], &words, 4);
    }
    EXPECT_THROW((void)decode_event(bytes), EventDecodeError) << "trial " << trial;
  }
  EXPECT_THROW((void)decode_event(std::vector<std::uint8_t>(7, 0)), EventDecodeError);
  EXPECT_THROW((void)decode_event(std::vector<std::uint8_t>(64, 0)), EventDecodeError);
  EXPECT_THROW((void)decode_event(std::vector<std::uint8_t>(64, 0xff)), EventDecodeError);
  EXPECT_THROW((void)decode_event(std::vector<std::uint8_t>(2 * 1024 * 1024, 0)), EventDecodeError);
}

TEST(EventCodec, BitFlipsNeverCrashTheDecoder) {
  std::mt19937 rng(777);
  for (const auto& e : test::sample_events()) {
    const auto good = encode_event(e, "runner-7", 3);
    std::uniform_int_distribution<std::size_t> pos(0, good.size() * 8 - 1);
    for (int trial = 0; trial < 400; ++trial) {
      auto bytes = good;
      for (int flips = 0; flips < 1 + trial % 4; ++flips) {
        const auto bit = pos(rng);
        bytes[bit / 8] = static_cast<std::uint8_t>(bytes[bit / 8] ^ (1u << (bit % 8)));
      }
      expect_decodes_or_rejects(bytes);
    }
  }
}

}  // namespace
}  // namespace stridefuse
