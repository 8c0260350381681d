// The step table (stridefuse/core/step_fields.hpp) says for each metric the
// reasons it can be absent with; the engine on the simulated runner, with
// sensors missing and inputs degraded, gives no other.

#include <gtest/gtest.h>

#include <set>

#include "simulated_session.hpp"
#include "stridefuse/core/step_fields.hpp"

namespace stridefuse::fusion {
namespace {

using testing::run_simulated_session;

// Every absent metric's reason is one its row declares; returns the reasons seen.
std::set<AbsentReason> expect_declared_reasons(const std::vector<StepEvent>& steps, const char* scenario) {
  std::set<AbsentReason> seen;
  for (const auto& s : steps)
    for (const StepField& f : step_metrics) {
      const Metric& m = s.*f.metric;
      if (m.present()) continue;
      seen.insert(m.absent_reason);
      EXPECT_TRUE(f.absent_when.contains(m.absent_reason))
          << scenario << ": step " << s.index << " has " << f.name << " absent with " << to_string(m.absent_reason)
          << ", which its row in the step table does not declare";
    }
  return seen;
}

TEST(StepAbsentReasons, EveryAbsentMetricHasAReasonItsTableRowDeclares) {
  std::set<AbsentReason> seen;
  auto run = [&](const char* scenario, sim::RunnerConfig config,
                 const std::function<void(std::vector<StreamDescriptor>&)>& edit_streams = {}) {
    const auto a = run_simulated_session(config, 15.0, {}, edit_streams);
    ASSERT_GT(a.steps.size(), 20u) << scenario;
    seen.merge(expect_declared_reasons(a.steps, scenario));
  };
  sim::RunnerConfig config;
  config.seed = 31;
  run("every sensor, treadmill speed", config);
  config.speed_source = sim::SpeedSource::none;
  config.standing_s = 0.0;  // the neutral posture comes from the first strides
  run("no speed, no standing", config);
  config.speed_source = sim::SpeedSource::treadmill;
  run("no pelvis", config, [](std::vector<StreamDescriptor>& s) {
    s[sim::RunnerSimulation::pelvis_stream].location = BodyLocation::other;
  });
  config.pelvis.noise.accel_range_mps2 = 20.0;  // clips at about 2 g: every impact saturates
  run("saturating pelvis accelerometer", config);
  // The scenarios reach the reasons they are there for.
  for (const AbsentReason r :
       {AbsentReason::no_pelvis_sensor, AbsentReason::no_speed_source, AbsentReason::not_calibrated})
    EXPECT_TRUE(seen.contains(r)) << to_string(r);
}

}  // namespace
}  // namespace stridefuse::fusion
