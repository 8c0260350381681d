// PelvisStepDetector on synthetic pelvis motion whose contacts are known
// exactly: running contacts between free-fall flights, sides from the
// obliquity, anchors, and what is not a step (standing, one loading bump).

#include "stridefuse/fusion/pelvis_step_detector.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion {
namespace {

constexpr double rate_hz = 200.0;

struct Truth {
  Side side;
  double ic_s, to_s;
};

// A runner at 3 steps/s (contact 0.22 s, flight 0.113 s) running along +x
// from t = 2 s, standing before: the vertical specific force is a half sine
// of 2.5 g peak in stance and 0 in flight; the body brakes in the first half
// of each stance; the obliquity rises in a left stance and falls in a right
// one (`obliquity_cue` rad/s; 0: no cue).
std::vector<PelvisMotionSample> running(double until_s, std::vector<Truth>& truth, double obliquity_cue = 0.6,
                                        unsigned seed = 1) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.05);
  const double step_s = 1.0 / 3.0, contact_s = 0.22, start_s = 2.0;
  std::vector<PelvisMotionSample> out;
  for (int k = 0; start_s + k * step_s < until_s; ++k)
    truth.push_back({k % 2 == 0 ? Side::left : Side::right, start_s + k * step_s, start_s + k * step_s + contact_s});
  for (int i = 0; i / rate_hz < until_s; ++i) {
    const double t = i / rate_hz;
    PelvisMotionSample s;
    s.t_s = t;
    double specific = standard_gravity_mps2;  // standing
    if (t >= start_s) {
      specific = 0.0;
      const int k = static_cast<int>((t - start_s) / step_s);
      const double tau = t - start_s - k * step_s;
      if (tau < contact_s) {
        const double u = tau / contact_s;
        specific = 2.5 * standard_gravity_mps2 * std::sin(pi * u);
        s.linear_mps2.x() = -4.0 * std::sin(2.0 * pi * u);
        s.rate_radps.x() = (u < 0.5 ? 1.0 : -1.0) * (k % 2 == 0 ? obliquity_cue : -obliquity_cue);
      }
    }
    s.linear_mps2.z() = specific - standard_gravity_mps2 + noise(rng);
    s.linear_mps2.x() += noise(rng);
    s.linear_mps2.y() += noise(rng);
    out.push_back(s);
  }
  return out;
}

// The true contact a found one is (nearest initial contact).
const Truth& truth_of(const std::vector<Truth>& truth, const PelvisContact& c) {
  return *std::min_element(truth.begin(), truth.end(), [&](const Truth& a, const Truth& b) {
    return std::abs(a.ic_s - c.t_ic_s) < std::abs(b.ic_s - c.t_ic_s);
  });
}

std::vector<PelvisContact> run(PelvisStepDetector& d, const std::vector<PelvisMotionSample>& motion) {
  std::vector<PelvisContact> out;
  for (const auto& s : motion) {
    d.push(s);
    for (const auto& c : d.take_decided()) out.push_back(c);
  }
  for (const auto& c : d.take_remaining()) out.push_back(c);
  return out;
}

TEST(PelvisStepDetector, RejectsInconsistentSettings) {
  PelvisStepDetectorConfig c;
  c.decision_delay_s = 0.0;
  EXPECT_THROW(PelvisStepDetector{c}, std::invalid_argument);
  c = {};
  c.anchored_decision_delay_s = c.decision_delay_s + 0.1;  // an anchored contact waits no longer than a voted one
  EXPECT_THROW(PelvisStepDetector{c}, std::invalid_argument);
  c = {};
  c.window_s = 3.0;  // shorter than the decision delay and a step
  EXPECT_THROW(PelvisStepDetector{c}, std::invalid_argument);
  c = {};
  c.max_contact_s = c.min_contact_s;
  EXPECT_THROW(PelvisStepDetector{c}, std::invalid_argument);
  c = {};
  c.min_bout_steps = 1;
  EXPECT_THROW(PelvisStepDetector{c}, std::invalid_argument);
}

TEST(PelvisStepDetector, RunningContactsAreTheLoadingEdgesBetweenFlights) {
  std::vector<Truth> truth;
  PelvisStepDetector d;
  const auto found = run(d, running(20.0, truth));
  // The first contact follows standing, not a flight; the last is cut by the end of the motion.
  ASSERT_GE(found.size(), truth.size() - 2);
  ASSERT_LE(found.size(), truth.size());
  for (const auto& f : found) {
    const auto& t = truth_of(truth, f);
    EXPECT_EQ(f.mode, GaitMode::running);
    EXPECT_EQ(f.side, t.side) << t.ic_s;
    EXPECT_NEAR(f.t_ic_s, t.ic_s, 0.002);
    EXPECT_NEAR(f.t_to_s, t.to_s, 0.002);
  }
  EXPECT_GE(d.decided_until_s(), found.back().t_ic_s);
}

TEST(PelvisStepDetector, ContactsAreReportedOnceTheDecisionDelayHasPassed) {
  std::vector<Truth> truth;
  PelvisStepDetector d;
  for (const auto& s : running(12.0, truth)) {
    d.push(s);
    for (const auto& c : d.take_decided()) EXPECT_LE(c.t_ic_s, s.t_s - PelvisStepDetectorConfig{}.decision_delay_s);
  }
}

TEST(PelvisStepDetector, AnInsolesContactsSettleTheSides) {
  // No obliquity: the sides follow the contacts the right foot's insole
  // gives (as the engine hands them over), by the alternation.
  std::vector<Truth> truth;
  const auto motion = running(12.0, truth, 0.0);
  PelvisStepDetector d;
  for (const auto& t : truth)
    if (t.side == Side::right) d.anchor(Side::right, t.ic_s + 0.003);
  const auto found = run(d, motion);
  ASSERT_GT(found.size(), 25u);
  for (const auto& f : found) EXPECT_EQ(f.side, truth_of(truth, f).side) << f.t_ic_s;
  // One contact settles the steps of its bout within side_vote_steps of it.
  PelvisStepDetector one;
  one.anchor(Side::right, 2.0 + 5.0 / 3.0);  // the sixth contact (k = 5) is a right one
  for (const auto& f : run(one, motion)) {
    if (std::abs(f.t_ic_s - (2.0 + 5.0 / 3.0)) < 4.0 / 3.0 + 0.01) {
      EXPECT_EQ(f.side, truth_of(truth, f).side) << f.t_ic_s;
    }
  }
}

TEST(PelvisStepDetector, ContactsAnInsoleSettlesAreReportedWithoutWaitingForTheVote) {
  // The right insole's contacts reach the detector 50 ms after they happen,
  // as the engine hands them over: the left foot's contacts between them need
  // no vote, and come the anchored delay (plus at most an analysis interval
  // and the next contact's step) after them, placed as exactly as later.
  std::vector<Truth> truth;
  const auto motion = running(14.0, truth, 0.0);
  PelvisStepDetector d;
  std::size_t next_anchor = 0, reported = 0;
  for (const auto& s : motion) {
    while (next_anchor < truth.size() && truth[next_anchor].ic_s + 0.05 <= s.t_s) {
      if (truth[next_anchor].side == Side::right) d.anchor(Side::right, truth[next_anchor].ic_s + 0.003);
      ++next_anchor;
    }
    d.push(s);
    for (const auto& c : d.take_decided()) {
      const auto& t = truth_of(truth, c);
      EXPECT_EQ(c.side, t.side) << c.t_ic_s;
      EXPECT_NEAR(c.t_ic_s, t.ic_s, 0.002);
      EXPECT_NEAR(c.t_to_s, t.to_s, 0.002);
      // The default anchored delay (0.5 s), an analysis interval (0.5 s), the next contact's step (1/3 s).
      EXPECT_LE(s.t_s - c.t_ic_s, 1.35)
          << "reported " << s.t_s - c.t_ic_s << " s after its contact";
      EXPECT_GE(d.decided_until_s(), c.t_ic_s);
      ++reported;
    }
  }
  EXPECT_GE(reported, truth.size() - 6) << "all but the first (after standing) and the last few";
}

TEST(PelvisStepDetector, StandingAndASingleLoadingAreNotSteps) {
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0.0, 0.05);
  PelvisStepDetector d;
  std::vector<PelvisMotionSample> motion;
  for (int i = 0; i < 30 * rate_hz; ++i) {
    PelvisMotionSample s;
    s.t_s = i / rate_hz;
    s.linear_mps2 = {noise(rng), noise(rng), noise(rng)};
    // Standing up from a chair at 10 s: one rise and fall of the vertical force.
    const double u = (s.t_s - 10.0) / 0.8;
    if (u > 0.0 && u < 1.0) s.linear_mps2.z() += 3.0 * std::sin(2.0 * pi * u);
    motion.push_back(s);
  }
  EXPECT_TRUE(run(d, motion).empty());
}

}  // namespace
}  // namespace stridefuse::fusion
