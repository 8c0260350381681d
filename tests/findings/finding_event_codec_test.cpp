// The finding event on the wire (schema 1.5, EVENTS.md "finding"): encoded
// and decoded field for field, its JSON as `stridefuse sub` prints it, and
// the topic kind.

#include <gtest/gtest.h>

#include "stridefuse/runtime/event_codec.hpp"

namespace stridefuse {
namespace {

FindingEvent sample_finding() {
  FindingEvent e;
  e.t_s = 93.25;
  e.state = FindingState::started;
  e.finding.code = FindingCode::hip_drop;
  e.finding.side = FindingSide::right;
  e.finding.metric = "pelvic_drop_deg";
  e.finding.t_start_s = 60.5;
  e.finding.t_end_s = 93.25;
  e.finding.value = 8.125;
  e.finding.threshold = 6.5;
  e.finding.unit = "deg";
  e.finding.message = "During right stance the left hip dropped 8.1 deg, beyond the 6.5 deg \"hip-drop\" threshold.";
  e.finding.steps = 47;
  e.finding.strength = 0.25;
  return e;
}

TEST(FindingEventCodec, RoundTripsEveryField) {
  const Event event = sample_finding();
  const auto bytes = encode_event(event, "runner-7", 3);
  const auto decoded = decode_event(bytes);
  EXPECT_EQ(decoded.envelope.schema_minor, event_schema_minor);  // 1.5 and later
  const auto* back = std::get_if<FindingEvent>(&decoded.event);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->t_s, 93.25);
  EXPECT_EQ(back->state, FindingState::started);
  EXPECT_EQ(back->finding, sample_finding().finding);
  EXPECT_STREQ(event_kind(event), "finding");
}

TEST(FindingEventCodec, JsonHasFindingsJsonKeysAfterTheState) {
  const auto json = event_to_json(Event{sample_finding()});
  EXPECT_EQ(json,
            "{\"kind\":\"finding\",\"t_s\":93.25,\"state\":\"started\",\"code\":\"hip_drop\",\"side\":\"right\","
            "\"metric\":\"pelvic_drop_deg\",\"t_start_s\":60.5,\"t_end_s\":93.25,\"value\":8.125,\"threshold\":6.5,"
            "\"unit\":\"deg\",\"message\":\"During right stance the left hip dropped 8.1 deg, beyond the 6.5 deg "
            "\\\"hip-drop\\\" threshold.\",\"steps\":47,\"strength\":0.25}");
}

TEST(FindingEventCodec, AnEnumerantBeyondThisBuildIsRefusedByName) {
  FindingEvent e = sample_finding();
  e.finding.code = static_cast<FindingCode>(9);
  try {
    (void)encode_event(Event{e}, "a", 0);
    FAIL() << "an out-of-range code was encoded";
  } catch (const std::invalid_argument& x) {
    EXPECT_NE(std::string(x.what()).find("finding.code"), std::string::npos) << x.what();
  }
}

}  // namespace
}  // namespace stridefuse
