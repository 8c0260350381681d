// check_drill_streams() and the DrillTracker's constructor refuse a drill
// that its streams cannot run, naming what is missing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "drills/synthetic_drill.hpp"

namespace stridefuse {
namespace {

using ::testing::HasSubstr;
using drill_test::SyntheticDrill;

std::string refusal(const DrillConfig& config, const std::vector<StreamDescriptor>& streams) {
  try {
    fusion::check_drill_streams(config, streams);
  } catch (const fusion::DrillSetupError& e) {
    // The tracker refuses the same way.
    EXPECT_THROW(fusion::DrillTracker(streams, config, {}), fusion::DrillSetupError);
    return e.what();
  }
  return "";
}

std::vector<StreamDescriptor> streams(bool pelvis, bool left, bool right, bool imu = true) {
  SyntheticDrill d;
  d.pelvis = pelvis;
  d.insole = {left, right};
  d.insole_imu = {imu, imu};
  return d.streams();
}

TEST(DrillSetup, NamesTheMissingPelvisImu) {
  EXPECT_THAT(refusal({DrillExercise::bridge, DrillSide::both, std::nullopt}, streams(false, true, true)),
              HasSubstr("bridge needs the pelvis IMU"));
}

TEST(DrillSetup, NamesTheMissingInsoleAndItsImu) {
  EXPECT_THAT(refusal({DrillExercise::donkey_kick, DrillSide::left, std::nullopt}, streams(true, false, true)),
              HasSubstr("donkey-kick on the left needs the left insole's IMU (there is no left insole stream)"));
  EXPECT_THAT(refusal({DrillExercise::donkey_kick, DrillSide::left, std::nullopt}, streams(true, true, true, false)),
              HasSubstr("donkey-kick on the left needs the left insole's IMU (left_insole has no IMU channels)"));
  EXPECT_THAT(refusal({DrillExercise::pigeon, DrillSide::both, std::nullopt}, streams(true, true, false)),
              HasSubstr("pigeon on both sides needs the right insole's IMU"));
  EXPECT_THAT(refusal({DrillExercise::banded_hip_extension, DrillSide::both, std::nullopt}, streams(true, true, false)),
              HasSubstr("banded-hip-extension on both sides counts reps from the right insole's pressure"));
  EXPECT_THAT(refusal({DrillExercise::running_man, DrillSide::right, std::nullopt}, streams(true, true, false)),
              HasSubstr("running-man on the right counts reps from the right insole's pressure"));
  EXPECT_THAT(refusal({DrillExercise::bridge, DrillSide::left, std::nullopt}, streams(true, false, true)),
              HasSubstr("bridge on the left times the leg-extended hold from the left insole"));
  EXPECT_THAT(refusal({DrillExercise::single_leg_rdl, DrillSide::both, std::nullopt}, streams(true, true, false)),
              HasSubstr("single-leg-rdl on both sides tells each rep's side from the right insole"));
}

TEST(DrillSetup, AcceptsWhatEachExerciseNeedsAndNoMore) {
  EXPECT_EQ(refusal({DrillExercise::bridge, DrillSide::both, std::nullopt}, streams(true, false, false)), "");
  EXPECT_EQ(refusal({DrillExercise::single_leg_rdl, DrillSide::left, std::nullopt}, streams(true, false, false)), "");
  EXPECT_EQ(refusal({DrillExercise::running_man, DrillSide::left, std::nullopt}, streams(true, true, false, false)), "");
  EXPECT_EQ(refusal({DrillExercise::donkey_kick, DrillSide::right, 3.0}, streams(true, false, true)), "");
}

TEST(DrillSetup, RefusesAOneSidedExerciseWithoutASide) {
  // DrillConfig always holds a side; a code that is none of the three is no side at all.
  const auto no_side = static_cast<DrillSide>(7);
  EXPECT_THAT(refusal({DrillExercise::single_leg_rdl, no_side, std::nullopt}, streams(true, true, true)),
              HasSubstr("single-leg-rdl is one-sided: give a side (left, right or both)"));
  EXPECT_THAT(refusal({DrillExercise::bridge, no_side, std::nullopt}, streams(true, true, true)),
              HasSubstr("bridge: the side must be left, right or both"));
}

TEST(DrillSetup, RefusesAnInvalidTolerance) {
  for (const double bad : {0.0, -2.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()})
    EXPECT_THAT(refusal({DrillExercise::bridge, DrillSide::both, bad}, streams(true, true, true)),
                HasSubstr("drill tolerance must be a positive, finite number of degrees"))
        << bad;
}

TEST(DrillSetup, RefusesAnUnknownExercise) {
  EXPECT_THROW(fusion::drill_definition(static_cast<DrillExercise>(42)), fusion::DrillSetupError);
  EXPECT_THAT(refusal({static_cast<DrillExercise>(42), DrillSide::both, std::nullopt}, streams(true, true, true)),
              HasSubstr("unknown drill exercise"));
}

TEST(DrillSetup, DefinesEveryExercise) {
  for (int i = 0; i <= static_cast<int>(last_drill_exercise); ++i) {
    const auto& def = fusion::drill_definition(static_cast<DrillExercise>(i));
    EXPECT_EQ(def.exercise, static_cast<DrillExercise>(i));
    EXPECT_GT(def.default_tolerance_deg, 0.0);
    EXPECT_TRUE(def.watched.obliquity && def.watched.rotation) << to_string(def.exercise);
    EXPECT_EQ(def.one_sided, def.exercise != DrillExercise::bridge);
  }
}

}  // namespace
}  // namespace stridefuse
