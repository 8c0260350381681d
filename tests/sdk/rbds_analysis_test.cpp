// A real runner (../shared/data/rbds: pelvis markers and the treadmill's
// force plate) through `analyze`, sensor files made by rbds_trial.hpp and the
// truth from the plate. The run is steady treadmill running with no standing
// start: the case where the files' activity cannot tell one stride from the
// next, and where the alignment used to pick offsets whole steps off.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "rbds_trial.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"

namespace stridefuse {
namespace {

class RealRunner : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!rbds::available()) GTEST_SKIP() << "no RBDS recording at " << rbds::data_dir() << " (../shared/data beside the repository)";
    dir_ = std::filesystem::temp_directory_path() /
           ("stridefuse-rbds-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  AnalysisInputs inputs(const rbds::SensorFiles& f) const {
    AnalysisInputs in;
    in.pelvis_csv = f.pelvis_csv;
    in.left_csv = f.left_csv;
    in.left_layout = f.left_layout;
    in.right_csv = f.right_csv;
    in.right_layout = f.right_layout;
    in.speed_mps = rbds::belt_speed_mps;
    in.body_mass_kg = rbds::body_mass_kg;
    return in;
  }
  std::filesystem::path dir_;
};

TEST_F(RealRunner, FilesOnOneClockAreNotMovedAndEveryStepIsFound) {
  const auto files = rbds::make_sensor_files(dir_);
  ASSERT_GT(files.contacts.size(), 70u) << "the plate's contacts: 30 s at about 2.6 steps a second";
  auto in = inputs(files);
  in.same_clock = true;
  const auto result = analyze_recording(in);
  ASSERT_EQ(result.alignments.size(), 2u);
  for (const auto& a : result.alignments) {
    EXPECT_EQ(a.offset_s, 0.0) << a.stream_id;
    EXPECT_FALSE(a.from_data);
    EXPECT_NE(a.note.find("not re-aligned"), std::string::npos) << a.note;
  }
  const auto s = rbds::score(result.steps, files.contacts);
  // Every contact the plate saw, on its own foot, and nothing else.
  EXPECT_GE(s.matched, s.true_steps - 2) << "matched " << s.matched << " of " << s.true_steps;
  EXPECT_EQ(s.wrong_side, 0u);
  EXPECT_LE(s.detected, s.true_steps + 2);
  // The plate's 25 N edges against the insoles made from the same force:
  // what the detector's edge timing costs on a real force curve (targets of
  // issue 11: median 3 ms, 95th percentile 8 ms).
  EXPECT_LT(rbds::Score::median_abs(s.ic_error_s), 0.003);
  EXPECT_LT(rbds::Score::percentile_abs(s.ic_error_s, 0.95), 0.008);
  // Foot-strike distance against the plate's centre of pressure and the
  // centre of mass, which the plate's momentum balance puts com_lead_m
  // ahead of the pelvis markers' centroid (target 2 cm; it read 8-10 cm
  // short while the pelvis's forward acceleration marked the end of
  // braking). Each step's own uncertainty covers its error mostly.
  EXPECT_GT(files.com_lead_m, 0.0) << "a runner's trunk leans forward: the centre of mass leads the pelvis";
  EXPECT_LT(files.com_lead_m, 0.04);
  std::vector<double> fsd, sd;
  for (const auto& [c, step] : rbds::matched_steps(result.steps, files.contacts))
    if (std::isfinite(step->foot_strike_distance_m.value)) {
      fsd.push_back(step->foot_strike_distance_m.value - (c->foot_strike_distance_m - files.com_lead_m));
      sd.push_back(step->foot_strike_distance_uncertainty_m.value);
    }
  ASSERT_GT(fsd.size(), 50u);
  EXPECT_LT(rbds::Score::rms(fsd), 0.02);
  EXPECT_LT(std::abs(rbds::Score::mean(fsd)), 0.01);
  EXPECT_GE(rbds::Score::within_pct(fsd, sd, 2.0), 85.0);
}

// At 50 Hz (8 cells) this runner's right foot settles on a stride of 38
// sample periods: its edges fall at nearly one phase while the edge timing's
// history still holds others. The lowest quantiles of that history then rise
// slowly, and extrapolating their slope down to the contact force put every
// refined IC 6-10 ms early: contact time 8.7 ms RMSE. With the slope floored
// at the rise between the first two samples past the level (and the fall
// between the last two above it at TO), 6.8 ms ("Gait events" in
// fusion/README.md; the target, 5 ms, is not met at 50 Hz).
TEST_F(RealRunner, AFiftyHertzInsoleKeepsItsEdgesWhenTheStrideLocksToItsSamples) {
  rbds::MakeOptions o;
  o.insole_sites = 8;
  o.insole_decimation = 6;
  const auto files = rbds::make_sensor_files(dir_, o);
  auto in = inputs(files);
  in.same_clock = true;
  const auto s = rbds::score(analyze_recording(in).steps, files.contacts);
  EXPECT_GE(s.matched, s.true_steps - 2);
  ASSERT_GT(s.contact_error_s.size(), 60u);
  EXPECT_LT(rbds::Score::rms(s.contact_error_s), 0.0075);
  EXPECT_LT(std::abs(rbds::Score::mean(s.ic_error_s)), 0.002);
}

TEST_F(RealRunner, FilesOnTheirOwnClocksWithGivenOffsetsComeBackToThePlate) {
  rbds::MakeOptions o;
  o.left_clock_offset_s = 12.5;
  o.right_clock_offset_s = -3.25;
  const auto files = rbds::make_sensor_files(dir_, o);
  auto in = inputs(files);
  in.left_offset_s = -12.5;
  in.right_offset_s = 3.25;
  const auto s = rbds::score(analyze_recording(in).steps, files.contacts);
  EXPECT_GE(s.matched, s.true_steps - 2) << "matched " << s.matched << " of " << s.true_steps;
  EXPECT_EQ(s.wrong_side, 0u);
}

// Steady running throughout: the data cannot say which stride is which, so
// the analysis refuses and says how to give the clocks, instead of matching
// steps a stride off (0 of 77 steps, before).
TEST_F(RealRunner, SteadyRunningOnUnknownClocksIsRefusedWithAWayOut) {
  rbds::MakeOptions o;
  o.left_clock_offset_s = 12.5;
  o.right_clock_offset_s = -3.25;
  const auto files = rbds::make_sensor_files(dir_, o);
  try {
    (void)analyze_recording(inputs(files));
    FAIL() << "the alignment guessed";
  } catch (const ClockAlignmentError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("steady activity throughout"), std::string::npos) << what;
    EXPECT_NE(what.find("--same-clock"), std::string::npos) << what;
    EXPECT_NE(what.find("--left-offset"), std::string::npos) << what;
  }
  // The same, already on one clock: still not guessed (the data cannot tell that either).
  EXPECT_THROW((void)analyze_recording(inputs(rbds::make_sensor_files(dir_))), ClockAlignmentError);
}

// The pelvis alone, mounted upside down and turned, running from the first
// sample: the attitude settles within a few strides and the pelvic angles at
// contact follow the markers' (the real runs: 22 s to settle, 7-34
// deg of inclination error).
TEST_F(RealRunner, APelvisMountedAnyWayWithoutStandingSettlesInAFewStrides) {
  rbds::MakeOptions o;
  o.mounting = (Eigen::AngleAxisd(pi, Eigen::Vector3d::UnitZ()) * Eigen::AngleAxisd(80.0 * pi / 180.0, Eigen::Vector3d::UnitY()))
                   .toRotationMatrix();
  const auto files = rbds::make_sensor_files(dir_, o);
  AnalysisInputs in;
  in.pelvis_csv = files.pelvis_csv;
  in.speed_mps = rbds::belt_speed_mps;
  const auto result = analyze_recording(in);
  const auto errors = rbds::inclination_errors_deg(result.attitude, files.up);
  ASSERT_GT(errors.size(), 4000u);
  EXPECT_LT(rbds::settling_time_s(errors, 2.0), 3.0);
  // Pelvic angles at the plate's contacts: their changes within 1 deg (the
  // neutral postures differ, ours from the first strides: the mean difference is removed).
  const rbds::MarkerAngles truth(files);
  std::vector<double> tilt, obliquity;
  for (const auto& [c, s] : rbds::matched_steps(result.steps, files.contacts))
    if (std::isfinite(s->tilt_ic_deg.value)) {
      tilt.push_back(s->tilt_ic_deg.value - truth.at(c->ic_s).tilt_deg);
      obliquity.push_back(s->obliquity_ic_deg.value - truth.at(c->ic_s).obliquity_deg);
    }
  ASSERT_GT(tilt.size(), 40u) << "pelvic angles at most steps after the first seconds";
  for (auto* v : {&tilt, &obliquity}) {
    const double mean = rbds::Score::mean(*v);
    EXPECT_LT(std::abs(mean), 2.0);
    for (double& x : *v) x -= mean;
    EXPECT_LT(rbds::Score::rms(*v), 1.0);
  }
}

// A radio gap of 150 ms in the pelvis stream while running: the attitude
// holds (it was kicked 12 deg off for ten seconds, the upside-down
// run with a 150 ms gap read 12 deg of tilt error).
TEST_F(RealRunner, AShortPelvisGapDoesNotKickTheAttitude) {
  rbds::MakeOptions o;
  o.pelvis_gap_start_s = 15.0;
  o.pelvis_gap_end_s = 15.15;
  const auto files = rbds::make_sensor_files(dir_, o);
  AnalysisInputs in;
  in.pelvis_csv = files.pelvis_csv;
  auto errors = rbds::inclination_errors_deg(analyze_recording(in).attitude, files.up);
  std::erase_if(errors, [](const auto& e) { return e.first < 15.0; });
  ASSERT_GT(errors.size(), 2000u);
  double worst = 0.0;
  for (const auto& e : errors) worst = std::max(worst, e.second);
  EXPECT_LT(worst, 2.0);
}

TEST(AnalysisClockOptions, ContradictoryOrIncompleteClocksAreNamed) {
  AnalysisInputs in;
  in.pelvis_csv = "p.csv";
  in.left_csv = "l.csv";
  in.left_layout = "l.json";
  in.right_csv = "r.csv";
  in.right_layout = "r.json";
  in.same_clock = true;
  in.left_offset_s = 1.0;
  in.right_offset_s = 1.0;
  EXPECT_THROW((void)analyze_recording(in), std::invalid_argument);
  in.same_clock = false;
  in.right_offset_s.reset();
  try {
    (void)analyze_recording(in);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--right-offset with --right"), std::string::npos) << e.what();
  }
  in.right_offset_s = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW((void)analyze_recording(in), std::invalid_argument);
  AnalysisInputs no_pelvis;
  no_pelvis.left_csv = "l.csv";
  no_pelvis.left_layout = "l.json";
  no_pelvis.same_clock = true;
  EXPECT_THROW((void)analyze_recording(no_pelvis), std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse
