// Drill mode through the C API (issue 16): a simulated set's reps, the
// pelvis moving on its faulty rep and the set summary as sf_event structs;
// bad drill options refused by name.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bindings_c/c_api_support.hpp"

namespace {

using stridefuse::testing::SessionPtr;

TEST(CDrill, ASimulatedSetGivesRepsThePelvisMovingAndTheSet) {
  sf_session_options options;
  ASSERT_EQ(sf_session_options_init(&options), SF_OK);
  options.runner.seed = 2;
  options.duration_s = 11.5;  // 2 s still, 3 reps of 1.6 s with 1 s rests, 1 s still
  sf_drill_options drill;
  ASSERT_EQ(sf_drill_options_init(&drill), SF_OK);
  drill.exercise = SF_DRILL_RUNNING_MAN;
  drill.side = SF_DRILL_RIGHT;
  drill.simulated_reps = 3;
  sf_session* raw = nullptr;
  ASSERT_EQ(sf_session_create_drill(&options, &drill, &raw), SF_OK) << sf_last_error_message();
  SessionPtr session(raw);
  ASSERT_EQ(sf_session_start(session.get()), SF_OK);
  ASSERT_EQ(sf_session_wait(session.get(), 30000), SF_OK);
  std::vector<sf_rep_event> reps;
  std::vector<sf_pelvis_moved_event> moved;
  std::vector<sf_drill_set_event> sets;
  int steps = 0;
  sf_event e;
  while (sf_session_poll_event(session.get(), &e, 0) == SF_OK) {
    if (e.kind == SF_EVENT_REP) reps.push_back(e.body.rep);
    if (e.kind == SF_EVENT_PELVIS_MOVED) moved.push_back(e.body.pelvis_moved);
    if (e.kind == SF_EVENT_DRILL_SET) sets.push_back(e.body.drill_set);
    steps += e.kind == SF_EVENT_STEP;
  }
  ASSERT_EQ(reps.size(), 3u);
  for (std::size_t i = 0; i < reps.size(); ++i) {
    EXPECT_EQ(reps[i].rep, i + 1);
    EXPECT_EQ(reps[i].exercise, SF_DRILL_RUNNING_MAN);
    EXPECT_EQ(reps[i].side, SF_DRILL_RIGHT);
    EXPECT_EQ(reps[i].pelvis_moved, i == 2 ? 1 : 0) << "rep " << i + 1;
    EXPECT_EQ(reps[i].has_hold, 0);
    EXPECT_EQ(reps[i].range_of_motion_deg.present, 1);
    EXPECT_LT(reps[i].t_start_s, reps[i].t_end_s);
  }
  // The default fault of a running man: 6 deg of obliquity on the last rep.
  ASSERT_FALSE(moved.empty());
  EXPECT_EQ(moved.front().rep, 3u);
  EXPECT_EQ(moved.front().axis, SF_AXIS_OBLIQUITY);
  EXPECT_STREQ(sf_pelvis_axis_name(moved.front().axis), "obliquity");
  ASSERT_EQ(sets.size(), 1u);
  ASSERT_EQ(sets[0].side_count, 1u);
  EXPECT_EQ(sets[0].sides[0].side, SF_DRILL_RIGHT);
  EXPECT_EQ(sets[0].sides[0].reps, 3u);
  EXPECT_EQ(sets[0].sides[0].reps_moved, 1u);
  EXPECT_EQ(sets[0].watch_obliquity, 1);
  EXPECT_EQ(sets[0].sides[0].obliquity_worst_deg.present, 1);
  EXPECT_EQ(steps, 0);
}

TEST(CDrill, BadDrillOptionsAreRefusedByName) {
  sf_session_options options;
  ASSERT_EQ(sf_session_options_init(&options), SF_OK);
  sf_drill_options drill;
  ASSERT_EQ(sf_drill_options_init(&drill), SF_OK);
  sf_session* s = nullptr;
  EXPECT_EQ(sf_session_create_drill(&options, nullptr, &s), SF_ERROR_NULL_ARGUMENT);
  drill.exercise = 9;
  EXPECT_EQ(sf_session_create_drill(&options, &drill, &s), SF_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(sf_last_error_message()).find("drill->exercise 9"), std::string::npos) << sf_last_error_message();
  drill.exercise = SF_DRILL_BRIDGE;
  drill.side = 5;
  EXPECT_EQ(sf_session_create_drill(&options, &drill, &s), SF_ERROR_INVALID_ARGUMENT);
  drill.side = SF_DRILL_BOTH;
  drill.tolerance_deg = -3.0;
  EXPECT_EQ(sf_session_create_drill(&options, &drill, &s), SF_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(sf_last_error_message()).find("tolerance"), std::string::npos) << sf_last_error_message();
  drill.tolerance_deg = 0.0;
  drill.exercise = SF_DRILL_PIGEON;
  drill.side = SF_DRILL_LEFT;
  drill.calibration_hinge = 1;
  EXPECT_EQ(sf_session_create_drill(&options, &drill, &s), SF_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(sf_last_error_message()).find("a calibration hinge calibrates the hinge exercises"),
            std::string::npos)
      << sf_last_error_message();
  EXPECT_EQ(s, nullptr);
}

}  // namespace
