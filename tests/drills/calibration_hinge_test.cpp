// The calibration hinge (fusion/DRILLS.md, "Calibration hinge"): a hinge
// exercise's set may open with one hinge on both feet, which finds the
// pelvis clip's lateral axis before rep 1. It is no rep and raises no event;
// a clip turned on the sacrum no longer leaks the first reps' hinge into
// obliquity; an exercise that does not hinge refuses it by name.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>

#include "drills/drill_run.hpp"

namespace stridefuse {
namespace {

using drill_test::run_drill;

DrillConfig rdl_config(bool calibrated) {
  DrillConfig c{DrillExercise::single_leg_rdl, DrillSide::right, std::nullopt};
  c.calibration_hinge = calibrated;
  return c;
}

// A deep RDL with the clip turned 2 deg about the vertical (its face flat on
// the sacrum, its edge not square): 90 deg of hinge leak 90 x sin 2 = 3.1 deg
// into obliquity until the lateral axis is known.
sim::DrillSimConfig turned_clip_rdl(bool calibrated) {
  sim::DrillSimConfig sc;
  sc.exercise = DrillExercise::single_leg_rdl;
  sc.side = DrillSide::right;
  sc.seed = 7;
  sc.reps = 4;
  sc.rom_deg = 90.0;
  sc.sway_deg = 0.3;
  sc.mount_error_deg = {0.0, 0.0, 2.0};
  sc.faults = std::vector<sim::DrillFault>{};
  sc.calibration_hinge = calibrated;
  return sc;
}

TEST(CalibrationHinge, TheSimulatorPutsItBeforeTheSameReps) {
  const sim::DrillSimulation plain(turned_clip_rdl(false)), calibrated(turned_clip_rdl(true));
  EXPECT_FALSE(plain.calibration().has_value());
  ASSERT_TRUE(calibrated.calibration().has_value());
  const auto& cal = *calibrated.calibration();
  ASSERT_EQ(plain.reps().size(), calibrated.reps().size());
  EXPECT_LT(cal.t_end_s, calibrated.reps().front().t_start_s);
  EXPECT_GT(cal.range_of_motion_deg, 80.0);
  // The reps are the same, later by the calibration and its rest.
  const double shift_s = calibrated.reps().front().t_start_s - plain.reps().front().t_start_s;
  EXPECT_GT(shift_s, cal.t_end_s - cal.t_start_s);
  for (std::size_t i = 0; i < plain.reps().size(); ++i) {
    EXPECT_DOUBLE_EQ(calibrated.reps()[i].range_of_motion_deg, plain.reps()[i].range_of_motion_deg);
    EXPECT_NEAR(calibrated.reps()[i].t_start_s - plain.reps()[i].t_start_s, shift_s, 1e-9);
  }
  // Mid-hinge the pelvis has turned, and both feet stay down and loaded.
  const double mid_s = 0.5 * (cal.t_start_s + cal.t_end_s);
  const double turned_deg =
      calibrated.pelvis_orientation_at(cal.t_start_s).angularDistance(calibrated.pelvis_orientation_at(mid_s)) * 180.0 /
      M_PI;
  EXPECT_NEAR(turned_deg, cal.range_of_motion_deg, 1.5);
  for (int side = 0; side < 2; ++side) {
    EXPECT_GT(calibrated.foot_load_n(side, mid_s), 0.4 * 70.0 * 9.81) << side;
    EXPECT_LT(calibrated.foot_orientation_at(side, cal.t_start_s)
                  .angularDistance(calibrated.foot_orientation_at(side, mid_s)),
              1e-9)
        << side;
  }
}

TEST(CalibrationHinge, FindsTheTurnedClipsLateralAxisBeforeRepOne) {
  const auto plain = run_drill(turned_clip_rdl(false), rdl_config(false));
  const auto calibrated = run_drill(turned_clip_rdl(true), rdl_config(true));
  SCOPED_TRACE(drill_test::describe(calibrated));
  ASSERT_TRUE(drill_test::count_exact(plain));
  ASSERT_TRUE(drill_test::count_exact(calibrated));  // the calibration hinge is no rep
  ASSERT_EQ(calibrated.reps.size(), 4u);
  EXPECT_EQ(calibrated.reps.front().rep, 1u);
  const double plain_error =
      plain.reps.front().excursion.obliquity_deg - plain.truth.front().excursion.obliquity_deg;
  const double calibrated_error =
      calibrated.reps.front().excursion.obliquity_deg - calibrated.truth.front().excursion.obliquity_deg;
  // Without it, rep 1 reads the leak (the documented axis); with it, the truth.
  EXPECT_GT(std::abs(plain_error), 2.0);
  EXPECT_LT(std::abs(calibrated_error), 0.7);
}

TEST(CalibrationHinge, RaisesNoEventEvenPastTheTolerance) {
  auto sc = turned_clip_rdl(true);
  sc.sway_deg = 4.0;
  sc.calibration_sway_deg = 4.0;
  auto config = rdl_config(true);
  config.tolerance_deg = 1.0;
  const sim::DrillSimulation simulation(sc);
  const auto& cal = *simulation.calibration();
  ASSERT_GT(std::max(std::abs(cal.excursion.obliquity_deg), std::abs(cal.excursion.rotation_deg)), 1.0);
  const auto run = run_drill(sc, config);
  SCOPED_TRACE(drill_test::describe(run));
  EXPECT_TRUE(drill_test::count_exact(run));
  for (const auto& e : run.moved) EXPECT_GT(e.t_s, cal.t_end_s) << "rep " << e.rep;
  ASSERT_TRUE(run.set.has_value());
  ASSERT_EQ(run.set->sides.size(), 1u);
  EXPECT_EQ(run.set->sides.front().reps, 4u);
}

// A fault on rep 1, either way: against the clip's leak it is late, or
// hidden, without the calibration hinge; with it, either sign is flagged
// within 100 ms.
TEST(CalibrationHinge, FlagsAFaultOnRepOneInTime) {
  double worst_plain_s = 0.0;
  for (const double fault_deg : {-7.0, 7.0}) {
    SCOPED_TRACE("fault " + std::to_string(fault_deg));
    for (const bool calibrated : {false, true}) {
      auto sc = turned_clip_rdl(calibrated);
      sc.faults = std::vector<sim::DrillFault>{{1, PelvisAxis::obliquity, fault_deg}};
      const auto run = run_drill(sc, rdl_config(calibrated));
      SCOPED_TRACE(drill_test::describe(run));
      std::optional<double> late_s;
      for (std::size_t k = 0; k < run.moved.size(); ++k)
        if (run.moved[k].rep == 1 && run.moved[k].axis == PelvisAxis::obliquity)
          late_s = run.moved_delivered_s[k] - *run.truth.front().crossing_s(PelvisAxis::obliquity, 5.0);
      if (calibrated) {
        ASSERT_TRUE(late_s.has_value());
        EXPECT_LT(std::abs(*late_s), 0.1);
      } else {
        worst_plain_s = std::max(worst_plain_s, late_s.value_or(INFINITY));  // not flagged at all
      }
    }
  }
  EXPECT_GT(worst_plain_s, 0.1);  // what the calibration is for
}

TEST(CalibrationHinge, OnlyTheHingeExercisesTakeOne) {
  for (const char* exercise : {"donkey-kick", "banded-hip-extension", "running-man", "pigeon"}) {
    try {
      fusion::drill_config_from(exercise, "left", std::nullopt, true);
      ADD_FAILURE() << exercise << " took a calibration hinge";
    } catch (const fusion::DrillSetupError& e) {
      EXPECT_NE(std::string(e.what()).find("a calibration hinge calibrates the hinge exercises"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_TRUE(fusion::drill_config_from("bridge", std::nullopt, std::nullopt, true).calibration_hinge);
  EXPECT_TRUE(fusion::drill_config_from("single-leg-rdl", "left", std::nullopt, true).calibration_hinge);
  sim::DrillSimConfig sc;
  sc.exercise = DrillExercise::pigeon;
  sc.side = DrillSide::left;
  sc.calibration_hinge = true;
  EXPECT_THROW(sim::validate(sc), std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse
