// Fusion engine on the simulated runner: accuracy of every per-step metric
// against the simulator's ground truth, and the engine's CPU time for the
// session (goal: an hour of data in at most 2 s on one core).
//
//   engine_accuracy_bench [duration_s=3600]

#include <cstdio>
#include <cstdlib>
#include <string>

#include "../fusion/simulated_session.hpp"

using namespace stridefuse;

namespace {

void run(const char* name, const sim::RunnerConfig& config, double duration_s) {
  std::printf("== %s, %.0f s simulated\n", name, duration_s);
  const auto a = fusion::testing::run_simulated_session(config, duration_s);
  fusion::testing::print(a);
  const double per_hour = a.engine_seconds * 3600.0 / duration_s;
  std::printf("  engine CPU per hour of data: %.3f s (goal <= 2 s): %s\n\n", per_hour,
              per_hour <= 2.0 ? "met" : "NOT met");
}

}  // namespace

int main(int argc, char** argv) {
  const double duration_s = argc > 1 ? std::atof(argv[1]) : 3600.0;
  if (!(duration_s > 30.0)) {
    std::fprintf(stderr, "usage: engine_accuracy_bench [duration_s > 30]\n");
    return 2;
  }
  sim::RunnerConfig rearfoot;
  rearfoot.fatigue.pelvic_drop_deg_per_hour = 2.0;
  rearfoot.fatigue.foot_strike_distance_m_per_hour = 0.04;
  run("rearfoot, treadmill 3.5 m/s, standing start, fatigue drift", rearfoot, duration_s);

  sim::RunnerConfig forefoot;
  forefoot.seed = 11;
  forefoot.strike_pattern = StrikePattern::forefoot;
  forefoot.foot_strike_distance_m = 0.12;
  forefoot.pelvis.mount_roll_pitch_yaw_deg = {35.0, 20.0, -120.0};
  forefoot.speed_source = sim::SpeedSource::stream;
  forefoot.insoles.sensor_count = 10;
  run("forefoot, tilted mounting, 10-sensor insoles, speed stream", forefoot, duration_s / 6.0);

  sim::RunnerConfig no_standing;
  no_standing.seed = 5;
  no_standing.standing_s = 0.0;
  no_standing.tilt_offset_deg = 0.0;
  run("no standing start (neutral from the first strides)", no_standing, duration_s / 6.0);
  return 0;
}
