// Simulated drill sets of every exercise, with the simulator's noise, gyro
// bias, mounting, clocks and lost packets: the count is exact, the faulty
// reps (and only they) are flagged, the excursion is close to the truth.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "drills/drill_run.hpp"

namespace stridefuse {
namespace {

using drill_test::run_drill;

struct Case {
  DrillExercise exercise;
  DrillSide side;
  double standing_s = 0.0;  ///< standing still first, then getting into position
};

class SimulatedSet : public ::testing::TestWithParam<Case> {};

TEST_P(SimulatedSet, CountsFlagsAndMeasuresEveryRep) {
  const auto [exercise, side, standing_s] = GetParam();
  sim::DrillSimConfig sc;
  sc.exercise = exercise;
  sc.side = side;
  sc.seed = 11;
  sc.start_standing_s = standing_s;
  const auto run = run_drill(sc, DrillConfig{exercise, side, std::nullopt});
  const auto& def = fusion::drill_definition(exercise);
  SCOPED_TRACE(drill_test::describe(run));
  ASSERT_EQ(run.reps.size(), 10u);
  ASSERT_TRUE(drill_test::count_exact(run));
  int faulty = 0;
  for (std::size_t i = 0; i < run.truth.size(); ++i) {
    const auto& truth = run.truth[i];
    const auto& rep = run.reps[i];
    SCOPED_TRACE("rep " + std::to_string(truth.rep));
    EXPECT_EQ(rep.side, truth.side);
    EXPECT_EQ(rep.pelvis_moved, truth.faulty);
    faulty += truth.faulty;
    EXPECT_NEAR(rep.excursion.obliquity_deg, truth.excursion.obliquity_deg, 1.0);
    EXPECT_NEAR(rep.excursion.rotation_deg, truth.excursion.rotation_deg, 1.0);
    EXPECT_NEAR(rep.excursion.tilt_deg, truth.excursion.tilt_deg, def.watched.tilt ? 1.0 : 2.0);
    EXPECT_NEAR(rep.t_start_s, truth.t_start_s, 0.3);
    EXPECT_NEAR(rep.t_end_s, truth.t_end_s, 0.5);
    ASSERT_TRUE(rep.range_of_motion_deg.present());
    EXPECT_NEAR(rep.range_of_motion_deg.value, truth.range_of_motion_deg, 2.0);
    EXPECT_EQ(rep.hold_s.has_value(), truth.hold_s.has_value());
    if (rep.hold_s && truth.hold_s) {
      EXPECT_NEAR(*rep.hold_s, *truth.hold_s, 0.5);
    }
  }
  EXPECT_EQ(faulty, 2);
  // One pelvis_moved per faulty rep (the fault is on one axis), near the true crossing.
  ASSERT_EQ(run.moved.size(), 2u);
  for (std::size_t k = 0; k < run.moved.size(); ++k) {
    const auto& e = run.moved[k];
    const auto& truth = run.truth[e.rep - 1];
    ASSERT_TRUE(truth.faulty);
    const auto crossing = truth.crossing_s(e.axis, run.tolerance_deg);
    ASSERT_TRUE(crossing.has_value());
    EXPECT_LT(std::abs(e.t_s - *crossing), 0.1);
    EXPECT_LT(run.moved_delivered_s[k] - *crossing, 0.1);
  }
  ASSERT_TRUE(run.set.has_value());
  std::uint32_t total = 0, moved = 0;
  for (const auto& s : run.set->sides) {
    total += s.reps;
    moved += s.reps_moved;
  }
  EXPECT_EQ(total, 10u);
  EXPECT_EQ(moved, 2u);
}

INSTANTIATE_TEST_SUITE_P(
    EveryExercise, SimulatedSet,
    ::testing::Values(Case{DrillExercise::bridge, DrillSide::both}, Case{DrillExercise::bridge, DrillSide::left},
                      Case{DrillExercise::single_leg_rdl, DrillSide::right},
                      Case{DrillExercise::single_leg_rdl, DrillSide::both},
                      Case{DrillExercise::donkey_kick, DrillSide::left}, Case{DrillExercise::donkey_kick, DrillSide::both},
                      Case{DrillExercise::banded_hip_extension, DrillSide::right},
                      Case{DrillExercise::banded_hip_extension, DrillSide::both},
                      Case{DrillExercise::running_man, DrillSide::left}, Case{DrillExercise::running_man, DrillSide::both},
                      Case{DrillExercise::pigeon, DrillSide::right}, Case{DrillExercise::pigeon, DrillSide::both},
                      // Standing first, then down into position: that is no rep.
                      Case{DrillExercise::bridge, DrillSide::both, 1.5},
                      Case{DrillExercise::donkey_kick, DrillSide::both, 1.5},
                      Case{DrillExercise::pigeon, DrillSide::left, 1.5},
                      Case{DrillExercise::single_leg_rdl, DrillSide::both, 1.5}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      std::string name = std::string(to_string(param_info.param.exercise)) + "_" + to_string(param_info.param.side) +
                         (param_info.param.standing_s > 0.0 ? "_from_standing" : "");
      for (char& c : name)
        if (c == '-') c = '_';
      return name;
    });

}  // namespace
}  // namespace stridefuse
