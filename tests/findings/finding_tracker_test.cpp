// The findings live (fusion/FINDINGS.md, "Live"): step by step, the tracker
// starts and ends the findings the session's rules find.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "fusion/simulated_session.hpp"
#include "stridefuse/fusion/finding_tracker.hpp"
#include "synthetic_steps.hpp"

namespace stridefuse::fusion {
namespace {

using findings_testing::StepLevels;
using findings_testing::synthetic_steps;

TEST(FindingTracker, StartsAndEndsAnEpisodeWhereTheSessionRulesPutIt) {
  const auto steps = synthetic_steps(400, [](Side side, double t) {
    StepLevels l;
    l.pelvic_drop_deg = side == Side::left && t > 60.0 && t < 120.0 ? 9.0 : 4.0;
    return l;
  });
  FindingTracker tracker;
  std::vector<FindingChange> changes;
  std::vector<double> change_times;
  for (const auto& s : steps)
    for (auto& c : tracker.add(s)) {
      change_times.push_back(s.t_ic_s);
      changes.push_back(std::move(c));
    }
  const auto session = find_form_findings(steps);
  std::vector<FindingChange> drops;
  std::vector<double> drop_times;
  for (std::size_t i = 0; i < changes.size(); ++i)
    if (changes[i].finding.code == FindingCode::hip_drop) drops.push_back(changes[i]), drop_times.push_back(change_times[i]);
  ASSERT_EQ(drops.size(), 2u);
  EXPECT_EQ(drops[0].kind, FindingChange::Kind::started);
  EXPECT_EQ(drops[1].kind, FindingChange::Kind::ended);
  EXPECT_EQ(drops[0].finding.side, FindingSide::left);
  // Said as soon as the evidence is in: within the sustain windows' steps of
  // its first window's end, long before the episode is over.
  EXPECT_LT(drop_times[0], 100.0);
  EXPECT_GT(drop_times[1], 120.0);
  const auto batch = std::find_if(session.begin(), session.end(),
                                  [](const FormFinding& f) { return f.code == FindingCode::hip_drop; });
  ASSERT_NE(batch, session.end());
  EXPECT_DOUBLE_EQ(drops[0].finding.t_start_s, batch->t_start_s);
  EXPECT_DOUBLE_EQ(drops[1].finding.t_start_s, batch->t_start_s);
  EXPECT_DOUBLE_EQ(drops[1].finding.t_end_s, batch->t_end_s);
  EXPECT_EQ(tracker.active(), 0u);
  EXPECT_TRUE(tracker.finish().empty());
}

TEST(FindingTracker, FinishEndsWhatIsStillGoing) {
  StepLevels l;
  l.cadence_spm = 150.0;
  FindingTracker tracker;
  std::size_t started = 0;
  for (const auto& s : findings_testing::steady_steps(200, l))
    for (const auto& c : tracker.add(s)) started += c.kind == FindingChange::Kind::started;
  EXPECT_EQ(started, 1u);
  EXPECT_EQ(tracker.active(), 1u);
  const auto ended = tracker.finish();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].kind, FindingChange::Kind::ended);
  EXPECT_EQ(ended[0].finding.code, FindingCode::cadence_low);
  EXPECT_EQ(ended[0].finding.steps, 200u);
  EXPECT_EQ(tracker.active(), 0u);
}

TEST(FindingTracker, NeutralStepsChangeNothing) {
  FindingTracker tracker;
  for (const auto& s : findings_testing::steady_steps(400, {})) EXPECT_TRUE(tracker.add(s).empty());
  EXPECT_TRUE(tracker.finish().empty());
}

// A long session holds only what its rules can still read: each side's
// baseline for the drift rule, the steps of a finding going, the newest
// windows. A drift that starts late still compares with the start, and ends
// over the same steps as the session's rules say.
TEST(FindingTracker, ALongSessionHoldsOnlyTheStepsItsRulesCanStillRead) {
  constexpr double drift_from_s = 1500.0;
  const auto steps = synthetic_steps(8000, [](Side side, double t) {
    StepLevels l;
    l.pelvic_drop_deg = side == Side::left && t > drift_from_s ? 5.5 : 2.0;
    return l;
  });
  FindingTracker tracker;
  std::vector<FindingChange> drifts;
  std::size_t most_held_before = 0, most_entries_before = 0, steps_before = 0;
  for (const auto& s : steps) {
    for (auto& c : tracker.add(s))
      if (c.finding.code == FindingCode::fatigue_drift) drifts.push_back(std::move(c));
    if (s.t_ic_s < drift_from_s) {
      most_held_before = std::max(most_held_before, tracker.held_steps());
      most_entries_before = std::max(most_entries_before, tracker.list_entries());
      ++steps_before;
    }
  }
  ASSERT_GT(steps_before, 4000u);
  // Without releasing, every step would be held twice (its side's list and both sides').
  EXPECT_LT(most_held_before, 500u) << "of " << 2 * steps_before;
  // The released entries are dropped from the lists too (256 at a time).
  EXPECT_LT(most_entries_before, 1300u) << "of " << 2 * steps_before;
  const auto session = find_form_findings(steps);
  const auto batch = std::find_if(session.begin(), session.end(), [](const FormFinding& f) {
    return f.code == FindingCode::fatigue_drift && f.side == FindingSide::left;
  });
  ASSERT_NE(batch, session.end());
  ASSERT_EQ(drifts.size(), 1u);
  EXPECT_EQ(drifts[0].kind, FindingChange::Kind::started);
  EXPECT_DOUBLE_EQ(drifts[0].finding.t_start_s, batch->t_start_s);
  // Going to the end of the session, it holds its steps; finish() describes all of them.
  EXPECT_GT(tracker.held_steps(), batch->steps);
  const auto ended = tracker.finish();
  const auto drift_end = std::find_if(ended.begin(), ended.end(), [](const FindingChange& c) {
    return c.finding.code == FindingCode::fatigue_drift;
  });
  ASSERT_NE(drift_end, ended.end());
  EXPECT_DOUBLE_EQ(drift_end->finding.t_start_s, batch->t_start_s);
  EXPECT_DOUBLE_EQ(drift_end->finding.t_end_s, batch->t_end_s);
  EXPECT_DOUBLE_EQ(drift_end->finding.value, batch->value);
  EXPECT_EQ(drift_end->finding.steps, batch->steps);
}

// On simulated runs the live findings are the session's, side by side.
TEST(FindingTracker, SimulatedRunsStartTheSessionFindings) {
  sim::RunnerConfig neutral;
  neutral.foot_strike_distance_m = 0.15;
  neutral.tilt_offset_deg = 3.0;
  neutral.pelvic_drop_deg = 4.0;
  auto asymmetric = neutral;
  asymmetric.pelvic_drop_asymmetry_pct = 40.0;
  auto fatigue = neutral;
  fatigue.fatigue.foot_strike_distance_m_per_hour = 1.8;
  fatigue.fatigue.tilt_offset_deg_per_hour = 120.0;
  for (const auto& [config, seconds] : {std::pair{neutral, 150.0}, std::pair{asymmetric, 150.0}, std::pair{fatigue, 180.0}}) {
    const auto session = testing::run_simulated_session(config, seconds);
    std::set<std::string> live, batch;
    FindingTracker tracker({}, RunnerProfile{config.leg_length_m});
    for (const auto& s : session.steps)
      for (const auto& c : tracker.add(s))
        if (c.kind == FindingChange::Kind::started) live.insert(std::string(to_string(c.finding.code)) + "/" + c.finding.metric);
    for (const auto& f : find_form_findings(session.steps, {}, RunnerProfile{config.leg_length_m}))
      batch.insert(std::string(to_string(f.code)) + "/" + f.metric);
    EXPECT_EQ(live, batch);
  }
}

}  // namespace
}  // namespace stridefuse::fusion
