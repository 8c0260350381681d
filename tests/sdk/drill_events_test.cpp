// Drill mode's events (schema 1.6, issue 16) on the wire and as text: every
// field round-trips, the JSON has the names EVENTS.md gives, reps.csv's table
// has one column per field, an out-of-range enumerant is refused by name.

#include <gtest/gtest.h>

#include <type_traits>

#include "event_samples.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/event_csv.hpp"

namespace stridefuse {
namespace {

template <class E>
E round_trip(const E& e) {
  const auto decoded = decode_event(encode_event(Event{e}, "runner-7", 3));
  const auto* back = std::get_if<E>(&decoded.event);
  if (!back) throw std::runtime_error("decoded as another kind");
  return *back;
}

// Field for field: the JSON rendering has every field (a Metric's value or
// null, a rep's absent reasons); the set's reasons are compared on their own.
template <class E>
void expect_round_trip(const E& e) {
  const E back = round_trip(e);
  EXPECT_EQ(event_to_json(back), event_to_json(e));
  if constexpr (std::is_same_v<E, DrillSetEvent>) {
    ASSERT_EQ(back.sides.size(), e.sides.size());
    for (std::size_t i = 0; i < e.sides.size(); ++i)
      EXPECT_EQ(back.sides[i].mean_range_of_motion_deg.absent_reason, e.sides[i].mean_range_of_motion_deg.absent_reason);
  }
}

TEST(DrillEvents, EveryFieldRoundTrips) {
  expect_round_trip(test::sample_rep());
  EXPECT_EQ(round_trip(test::sample_pelvis_moved()), test::sample_pelvis_moved());
  expect_round_trip(test::sample_drill_set());
  // Without a hold, and a set of the two-footed bridge with one side.
  auto no_hold = test::sample_rep();
  no_hold.hold_s.reset();
  no_hold.range_of_motion_deg = Metric::absent(AbsentReason::no_insole);
  expect_round_trip(no_hold);
  auto bridge = test::sample_drill_set();
  bridge.exercise = DrillExercise::bridge;
  bridge.sides.resize(1);
  bridge.sides[0].side = DrillSide::both;
  bridge.sides[0].mean_hold_s = 4.5;
  expect_round_trip(bridge);
  EXPECT_NE(event_to_json(bridge).find(R"("mean_hold_s":4.5)"), std::string::npos);
}

TEST(DrillEvents, JsonHasTheNamesOfTheReference) {
  EXPECT_EQ(event_to_json(test::sample_rep()),
            R"({"kind":"rep","t_s":31.75,"exercise":"single-leg-rdl","side":"right","rep":7,"t_start_s":28.5,)"
            R"("t_end_s":31.75,"duration_s":3.25,"range_of_motion_deg":71.25,"hold_s":1.125,"tilt_deg":64.5,)"
            R"("obliquity_deg":-2.25,"rotation_deg":6.375,"watched":"obliquity+rotation","tolerance_deg":5,)"
            R"("pelvis_moved":true,"absent":{}})");
  EXPECT_EQ(event_to_json(test::sample_pelvis_moved()),
            R"({"kind":"pelvis_moved","t_s":30.125,"exercise":"single-leg-rdl","side":"right","rep":7,)"
            R"("axis":"rotation","excursion_deg":5.0625,"tolerance_deg":5})");
  EXPECT_EQ(event_to_json(test::sample_drill_set()),
            R"({"kind":"drill_set","t_s":95.5,"exercise":"donkey-kick","tolerance_deg":4,)"
            R"("watched":"tilt+obliquity+rotation","sides":[{"side":"left","reps":10,"reps_moved":2,)"
            R"("tilt_mean_abs_deg":1.5,"tilt_worst_deg":-3.25,"obliquity_mean_abs_deg":0.75,)"
            R"("obliquity_worst_deg":1.25,"rotation_mean_abs_deg":2.125,"rotation_worst_deg":6.5,)"
            R"("mean_duration_s":2.25,"mean_range_of_motion_deg":48.5,"mean_hold_s":null},)"
            R"({"side":"right","reps":9,"reps_moved":0,"tilt_mean_abs_deg":1.5,"tilt_worst_deg":-3.25,)"
            R"("obliquity_mean_abs_deg":0.75,"obliquity_worst_deg":1.25,"rotation_mean_abs_deg":2.125,)"
            R"("rotation_worst_deg":6.5,"mean_duration_s":2.25,"mean_range_of_motion_deg":null,"mean_hold_s":null}]})");
  auto no_hold = test::sample_rep();
  no_hold.hold_s.reset();
  no_hold.pelvis_moved = false;
  no_hold.range_of_motion_deg = Metric::absent(AbsentReason::no_insole);
  const auto json = event_to_json(no_hold);
  EXPECT_NE(json.find(R"("range_of_motion_deg":null,"hold_s":null,)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("pelvis_moved":false,"absent":{"range_of_motion_deg":"no_insole"}})"), std::string::npos)
      << json;
}

TEST(DrillEvents, TheRepTableHasAColumnPerField) {
  EXPECT_EQ(event_table_header("rep"),
            "kind,t_s,exercise,side,rep,t_start_s,t_end_s,duration_s,range_of_motion_deg,hold_s,tilt_deg,"
            "obliquity_deg,rotation_deg,watched,tolerance_deg,pelvis_moved,absent");
  EXPECT_EQ(event_table_row(test::sample_rep()),
            "rep,31.75,single-leg-rdl,right,7,28.5,31.75,3.25,71.25,1.125,64.5,-2.25,6.375,obliquity+rotation,5,true,");
  // The stream's table of the same kind has the envelope and provenance besides.
  EXPECT_EQ(event_csv_header("rep").rfind("kind,t_s,schema,athlete,sequence,exercise", 0), 0u);
}

TEST(DrillEvents, AnOutOfRangeEnumerantIsRefusedByName) {
  auto rep = test::sample_rep();
  rep.exercise = static_cast<DrillExercise>(9);
  try {
    encode_event(Event{rep}, "runner-7", 0);
    FAIL() << "encoded an exercise that does not exist";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("rep.exercise"), std::string::npos) << e.what();
  }
  auto moved = test::sample_pelvis_moved();
  moved.axis = static_cast<PelvisAxis>(3);
  EXPECT_THROW(encode_event(Event{moved}, "runner-7", 0), std::invalid_argument);
}

TEST(DrillEvents, NamesReadBack) {
  for (int i = 0; i <= static_cast<int>(last_drill_exercise); ++i) {
    const auto exercise = static_cast<DrillExercise>(i);
    EXPECT_EQ(drill_exercise_from(to_string(exercise)), exercise);
  }
  EXPECT_EQ(drill_exercise_from("bridges"), std::nullopt);
  EXPECT_EQ(drill_side_from("both"), DrillSide::both);
  EXPECT_EQ(drill_side_from("Left"), std::nullopt);
}

}  // namespace
}  // namespace stridefuse
