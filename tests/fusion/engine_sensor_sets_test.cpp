// Every set of sensors, walking and running (issue 13): the engine on the
// simulated runner with pelvis; left+right; left+pelvis; right+pelvis; all
// three, each with its figures against the truth, what each step says it came
// from, and the metrics the set cannot give absent with the reason. Also a
// stream lost and back midway, and the walking detector on real lower-back
// recordings (the short version of sensor_subsets_bench).

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "mobgap_trial.hpp"
#include "simulated_session.hpp"
#include "stridefuse/fusion/metric_support.hpp"

namespace stridefuse::fusion {
namespace {

struct SensorSetCase {
  const char* name;
  sim::SensorSet sensors;
  bool walking;
};

std::string case_name(const ::testing::TestParamInfo<SensorSetCase>& info) {
  return std::string(info.param.walking ? "Walking_" : "Running_") + info.param.name;
}

class EngineSensorSets : public ::testing::TestWithParam<SensorSetCase> {};

// Figures the whole matrix meets (sensor_subsets_bench prints them): from
// the insoles the timing is the insole detector's; from the pelvis alone a
// walking contact is placed at the loading edge's steepest point, a few ms
// into the heel-strike transient, and its final contact after the next step's loading.
TEST_P(EngineSensorSets, StepsWithTheirSourceModeAndFigures) {
  const auto& p = GetParam();
  sim::RunnerConfig c;
  c.seed = 7;
  c.sensors = p.sensors;
  EngineConfig engine;
  if (p.walking) {
    c.walking_s = std::numeric_limits<double>::infinity();
    engine.treadmill_speed_mps = c.walking.speed_mps;
  }
  const auto a = testing::run_simulated_session(c, 70.0, engine);
  const bool pelvis = p.sensors.pelvis, both_insoles = p.sensors.left_insole && p.sensors.right_insole;
  SCOPED_TRACE(p.name);
  ASSERT_GT(a.truth_steps, 90u);
  EXPECT_GE(a.recall, 0.98);  // a step counts with its side right
  EXPECT_GE(a.precision, 0.98);
  EXPECT_LE(a.ic_s.abs_quantile(0.5), p.walking && !both_insoles ? 8e-3 : 3e-3);
  EXPECT_LE(a.contact_s.rms, p.walking ? 20e-3 : 5e-3);
  EXPECT_LE(a.cadence_spm.rms, 2.0);
  EXPECT_EQ(a.mode_agree, a.matched) << "every step's gait recognised";
  // Which sensor timed the steps: the insoles when both are there, else the
  // pelvis for the foot without one.
  const double pelvis_share = static_cast<double>(a.from_pelvis) / static_cast<double>(a.matched);
  EXPECT_NEAR(pelvis_share, both_insoles ? 0.0 : pelvis && !p.sensors.left_insole && !p.sensors.right_insole ? 1.0 : 0.5,
              0.02);
  // Insole metrics only for a foot with an insole, pelvis metrics only with the pelvis.
  const std::size_t insole_steps = p.sensors.left_insole + p.sensors.right_insole;
  EXPECT_NEAR(static_cast<double>(a.strike_index_pct.count), static_cast<double>(a.matched) * insole_steps / 2.0, 3.0);
  if (!pelvis) {
    EXPECT_EQ(a.tilt_deg.count, 0u);
  } else {
    EXPECT_GT(a.tilt_deg.count, a.matched * 8 / 10);  // after the mounting calibration
  }
  if (pelvis && insole_steps > 0 && !p.walking) {
    EXPECT_GT(a.foot_strike_m.count, 0u);
  }
  if (p.walking) {
    EXPECT_EQ(a.foot_strike_m.count, 0u) << "the foot-strike distance needs running";
  }
}

INSTANTIATE_TEST_SUITE_P(
    EverySet, EngineSensorSets,
    ::testing::Values(SensorSetCase{"Pelvis", {true, false, false}, false},
                      SensorSetCase{"LeftRight", {false, true, true}, false},
                      SensorSetCase{"LeftPelvis", {true, true, false}, false},
                      SensorSetCase{"RightPelvis", {true, false, true}, false},
                      SensorSetCase{"AllThree", {true, true, true}, false},
                      SensorSetCase{"Pelvis", {true, false, false}, true},
                      SensorSetCase{"LeftRight", {false, true, true}, true},
                      SensorSetCase{"LeftPelvis", {true, true, false}, true},
                      SensorSetCase{"RightPelvis", {true, false, true}, true},
                      SensorSetCase{"AllThree", {true, true, true}, true}),
    case_name);

TEST(EngineSensorSets, WhatEachSetCanGiveIsListedPerFoot) {
  sim::RunnerConfig c;
  auto streams_of = [&](sim::SensorSet set) {
    c.sensors = set;
    return sim::RunnerSimulation(c).streams();
  };
  auto reason = [](const std::vector<MetricSupport>& m, const std::string& metric, Side side) {
    for (const auto& row : m)
      if (row.metric == metric) return side == Side::left ? row.left : row.right;
    ADD_FAILURE() << "no row for " << metric;
    return AbsentReason::none;
  };
  EngineConfig treadmill;
  treadmill.treadmill_speed_mps = 3.5;
  const auto pelvis = metric_support(streams_of({true, false, false}), {});
  EXPECT_EQ(reason(pelvis, "contact_time_s", Side::left), AbsentReason::none);
  EXPECT_EQ(reason(pelvis, "strike_index_pct", Side::right), AbsentReason::no_insole);
  EXPECT_EQ(reason(pelvis, "step_length_m", Side::left), AbsentReason::no_speed_source);
  EXPECT_EQ(reason(pelvis, "attitude", Side::left), AbsentReason::none);
  const auto insoles = metric_support(streams_of({false, true, true}), treadmill);
  EXPECT_EQ(reason(insoles, "tilt_ic_deg", Side::left), AbsentReason::no_pelvis_sensor);
  EXPECT_EQ(reason(insoles, "foot_strike_distance_m", Side::left), AbsentReason::no_pelvis_sensor);
  EXPECT_EQ(reason(insoles, "step_length_m", Side::right), AbsentReason::none);
  EXPECT_EQ(reason(insoles, "attitude", Side::right), AbsentReason::no_pelvis_sensor);
  const auto left_only = metric_support(streams_of({false, true, false}), {});
  EXPECT_EQ(reason(left_only, "contact_time_s", Side::right), AbsentReason::no_insole);
  EXPECT_EQ(reason(left_only, "flight_time_s", Side::left), AbsentReason::no_right_insole) << "needs the other foot";
  const auto left_pelvis = metric_support(streams_of({true, true, false}), treadmill);
  EXPECT_EQ(reason(left_pelvis, "foot_strike_distance_m", Side::left), AbsentReason::none);
  EXPECT_EQ(reason(left_pelvis, "foot_strike_distance_m", Side::right), AbsentReason::no_insole);
  EXPECT_EQ(reason(left_pelvis, "contact_time_s", Side::right), AbsentReason::none) << "timed by the pelvis";
  const auto all = streams_of({true, true, true});
  std::vector<bool> live(all.size(), true);
  live[1] = false;  // the left insole lost: as the right one with the pelvis
  EXPECT_EQ(metric_support(all, treadmill, live), metric_support(streams_of({true, false, true}), treadmill));
  EXPECT_THROW(metric_support(all, treadmill, {true}), std::invalid_argument);
}

// A battery dies: the simulated runner's left insole delivers nothing from
// 40 to 80 s; the engine runs to `until_s`.
struct EngineOutput {
  std::vector<StepEvent> steps;
  std::vector<DeviceStatusEvent> statuses;
  std::vector<double> step_published_s;  ///< per step: the time of the sample that brought it out
};
EngineOutput run_with_left_insole_away(sim::RunnerSimulation& simulation, const std::vector<StreamDescriptor>& streams,
                                       const EngineConfig& config, double until_s) {
  EngineOutput out;
  double now_s = 0.0;
  Engine engine(streams, config, [&](const Event& e) {
    if (const auto* s = std::get_if<StepEvent>(&e)) {
      out.steps.push_back(*s);
      out.step_published_s.push_back(now_s);
    }
    if (const auto* d = std::get_if<DeviceStatusEvent>(&e)) out.statuses.push_back(*d);
  });
  simulation.advance_to(until_s, [&](const sim::SimulatedSample& s) {
    if (s.stream == sim::RunnerSimulation::left_insole_stream && s.true_time_s > 40.0 && s.true_time_s < 80.0) return;
    Sample sample;
    sample.stream = s.stream;
    sample.t_s = s.true_time_s;
    sample.channel_count = s.channel_count;
    sample.values = s.values;
    now_s = s.true_time_s;
    engine.push(sample);
  });
  engine.finish();
  return out;
}

// A battery dies: the left insole stops at 40 s and comes back at 80 s. Its
// steps are timed by the pelvis meanwhile, and the status events say what the
// session can give then.
TEST(EngineSensorSets, AnInsoleLostAndBackHandsItsFootToThePelvisAndBack) {
  sim::RunnerConfig c;
  c.seed = 4;
  sim::RunnerSimulation simulation(c);
  const auto streams = simulation.streams();
  EngineConfig config;
  config.treadmill_speed_mps = c.speed_mps;
  const auto [steps, statuses, published_s] = run_with_left_insole_away(simulation, streams, config, 120.0);
  std::size_t left_from_pelvis = 0, left_from_insole_after = 0;
  for (const auto& s : steps) {
    if (s.side != Side::left) continue;
    if (s.t_ic_s > 45.0 && s.t_ic_s < 78.0) {
      EXPECT_EQ(s.detected_by, StepSource::pelvis) << s.t_ic_s;
      EXPECT_EQ(s.strike_index_pct.absent_reason, AbsentReason::no_insole) << s.t_ic_s;
      EXPECT_TRUE(s.contact_time_s.present()) << s.t_ic_s;
      left_from_pelvis += s.detected_by == StepSource::pelvis;
    }
    if (s.t_ic_s > 85.0) left_from_insole_after += s.detected_by == StepSource::insole;
  }
  EXPECT_GT(left_from_pelvis, 44u);  // 1.4 left steps a second for 33 s
  // The right insole settles the side of the pelvis's contacts: no vote, so
  // the steps of both feet come out within 2 s (measured 1.1-1.9 s), not the
  // 3.5 s of the full decision delay: a step is closed by the other foot's
  // next contact, which waits until the pelvis's contact after it is decided,
  // the anchored delay (0.5 s) and up to an analysis interval (0.5 s) late,
  // once the contact after that is found.
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].t_ic_s > 45.0 && steps[i].t_ic_s < 78.0) {
      EXPECT_LE(published_s[i] - steps[i].t_ic_s, 2.0) << to_string(steps[i].side) << " step at " << steps[i].t_ic_s;
    }
  }
  EXPECT_GT(left_from_insole_after, 40u);  // 35 s after it is back
  // The right foot needs only its insole and the pelvis for its foot-strike
  // distance, and the left foot's next contact (from the pelvis meanwhile):
  // it keeps its metrics while the left insole is away.
  std::size_t right_in_gap = 0, right_with_distance = 0, right_with_flight = 0;
  for (const auto& s : steps) {
    if (s.side != Side::right || s.t_ic_s < 45.0 || s.t_ic_s > 78.0) continue;
    ++right_in_gap;
    right_with_distance += s.foot_strike_distance_m.present();
    right_with_flight += s.flight_time_s.present();
    EXPECT_EQ(s.detected_by, StepSource::insole) << s.t_ic_s;
  }
  EXPECT_GT(right_in_gap, 44u);
  EXPECT_GE(right_with_distance, right_in_gap - 2) << "right steps lost their foot-strike distance";
  EXPECT_GE(right_with_flight, right_in_gap - 2);
  // Every step of the session is there: no foot goes missing over the gap.
  std::size_t truth_steps = 0;
  for (const auto& t : simulation.completed_steps()) truth_steps += t.t_ic_s > 10.0 && t.t_ic_s < 115.0;
  std::size_t found = 0;
  for (const auto& s : steps) found += s.t_ic_s > 10.0 && s.t_ic_s < 115.0;
  EXPECT_NEAR(static_cast<double>(found), static_cast<double>(truth_steps), 4.0);
  // Lost: a status with the metric support that changed; back: again.
  std::vector<const DeviceStatusEvent*> changes;
  for (const auto& d : statuses)
    if (!d.metrics.empty()) changes.push_back(&d);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0]->stream_id, "left_insole");
  EXPECT_EQ(changes[0]->state, DeviceState::degraded);
  for (const auto& m : changes[0]->metrics)
    if (m.metric == "strike_index_pct") {
      EXPECT_EQ(m.left, AbsentReason::no_insole);
      EXPECT_EQ(m.right, AbsentReason::none);
    }
  EXPECT_EQ(changes[1]->state, DeviceState::streaming);
  EXPECT_EQ(changes[1]->metrics, metric_support(streams, config));
}

// Insoles without a pelvis: the left insole lost from 40 to 80 s. Nothing
// times the left foot then, so a right step's metrics that need the left
// foot's next contact say no_left_insole (not not_detected, not the right
// foot's no_insole); what needs only the right insole stays.
TEST(EngineSensorSets, InsolesAloneOneLostBlamesThatSideOnly) {
  sim::RunnerConfig c;
  c.seed = 5;
  sim::RunnerSimulation simulation(c);
  auto streams = simulation.streams();
  streams[sim::RunnerSimulation::pelvis_stream].location = BodyLocation::other;  // no pelvis sensor
  EngineConfig config;
  config.treadmill_speed_mps = c.speed_mps;
  const auto [steps, statuses, published_s] = run_with_left_insole_away(simulation, streams, config, 100.0);
  std::size_t right_in_gap = 0, left_in_gap = 0, right_before = 0, right_before_closed = 0, right_own = 0;
  for (const auto& s : steps) {
    if (s.t_ic_s > 20.0 && s.t_ic_s < 38.0 && s.side == Side::right) {
      ++right_before;
      right_before_closed += s.flight_time_s.present() && s.cadence_spm.present() && s.step_length_m.present();
    }
    if (s.t_ic_s < 45.0 || s.t_ic_s > 78.0) continue;
    if (s.side == Side::left) {
      ++left_in_gap;
      continue;
    }
    ++right_in_gap;
    right_own += s.contact_time_s.present() && s.strike_index_pct.present();
    for (const Metric* m : {&s.flight_time_s, &s.cadence_spm, &s.step_length_m})
      EXPECT_EQ(m->absent_reason, AbsentReason::no_left_insole) << s.t_ic_s;
    EXPECT_EQ(s.tilt_ic_deg.absent_reason, AbsentReason::no_pelvis_sensor) << s.t_ic_s;
  }
  EXPECT_EQ(left_in_gap, 0u);
  EXPECT_GT(right_in_gap, 40u);
  EXPECT_GE(right_own, right_in_gap - 1) << "what needs only the right insole stays";
  EXPECT_GE(right_before_closed, right_before - 1);  // with both insoles the right steps are closed
  // The status that says the left insole is lost lists what the right foot lost, by the missing side.
  const DeviceStatusEvent* lost = nullptr;
  for (const auto& d : statuses)
    if (!d.metrics.empty() && d.stream_id == "left_insole" && d.state == DeviceState::degraded) lost = &d;
  ASSERT_NE(lost, nullptr);
  for (const auto& m : lost->metrics) {
    if (m.metric == "flight_time_s" || m.metric == "cadence_spm" || m.metric == "step_length_m") {
      EXPECT_EQ(m.right, AbsentReason::no_left_insole) << m.metric;
    }
    if (m.metric == "strike_index_pct") {
      EXPECT_EQ(m.right, AbsentReason::none);
    }
  }
}

// The walking detector on the three real lower-back trials, scored as
// shared/data/mobgap/README.md says. The figures it reaches (printed by
// sensor_subsets_bench against issue 13's targets) with a margin; a change
// that loses them fails here.
TEST(PelvisWalking, RealLowerBackRecordingsAgainstMotionCapture) {
  const std::string dir = std::string(STRIDEFUSE_SHARED_DIR) + "/data/mobgap";
  // The recordings live beside the repository, not in it.
  if (!std::filesystem::exists(dir + "/" + mobgap::trial_names().front() + "/pelvis.csv"))
    GTEST_SKIP() << "mobgap recordings not found in " << dir;
  mobgap::Score all;
  for (const auto& name : mobgap::trial_names()) {
    const auto trial = mobgap::load_trial(dir, name);
    std::vector<mobgap::Contact> found;
    for (const auto& s : mobgap::pelvis_steps(trial)) {
      EXPECT_EQ(s.detected_by, StepSource::pelvis);
      EXPECT_EQ(s.gait_mode, GaitMode::walking) << name << " at " << s.t_ic_s;
      found.push_back({s.t_ic_s, s.side});
    }
    all.merge(mobgap::score(trial.reference_ic, found));
  }
  EXPECT_EQ(all.reference, 77u);
  EXPECT_GE(all.recall(), 0.92);
  EXPECT_GE(all.precision(), 0.90);
  EXPECT_LE(all.abs_error_ms(0.5), 32.0);
  EXPECT_GE(all.side_share(), 0.96);
}

}  // namespace
}  // namespace stridefuse::fusion
