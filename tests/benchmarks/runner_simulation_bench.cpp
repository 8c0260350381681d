// Cost and realism of the simulated runner. Generates one-hour sessions (the
// length the fusion accuracy benchmark uses) and prints the wall time, the
// samples per second of wall time, and the per-step figures the model
// produced (contact time, peak vertical force, braking time, vertical
// oscillation), so that "a few seconds per hour" and "looks like running"
// are measured, not claimed. With --write DIR it also times writing the
// recording files of `stridefuse simulate`.
//
// Usage: runner_simulation_bench [hours] [--write DIR]   (default 1 hour)

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "stridefuse/sim/recording_writer.hpp"
#include "stridefuse/sim/runner_simulation.hpp"

namespace {

using stridefuse::sim::RunnerConfig;
using stridefuse::sim::RunnerSimulation;
using stridefuse::sim::SimulatedSample;

struct Range {
  double lo = 1e300, hi = -1e300, sum = 0.0;
  int n = 0;
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    sum += v;
    ++n;
  }
};

void run(const char* name, const RunnerConfig& config, double hours) {
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  RunnerSimulation sim(config);
  std::size_t delivered = 0;
  double checksum = 0.0;
  sim.advance_to(hours * 3600.0, [&](const SimulatedSample& s) {
    ++delivered;
    checksum += s.values[0];
  });
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // CPU time too: on a shared machine the wall time says more about the neighbours.
  const double cpu_s = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  std::size_t generated = 0;
  for (const auto& c : sim.clock_truth()) generated += c.samples_generated;
  const auto steps = sim.completed_steps();
  Range contact, peak, braking, vo, flight;
  for (const auto& s : steps) {
    contact.add(s.contact_time_s);
    peak.add(s.peak_vertical_force_bw);
    braking.add(s.braking_time_s);
    vo.add(s.vertical_oscillation_m);
    flight.add(s.flight_time_s);
  }
  std::printf("%s: %.2f h of session in %.2f s wall, %.2f s CPU (%.0f x real time on CPU), %zu samples generated, "
              "%zu delivered, %.2f M samples per CPU second, %zu steps (checksum %.6g)\n",
              name, hours, wall_s, cpu_s, hours * 3600.0 / cpu_s, generated, delivered, generated / cpu_s / 1e6,
              steps.size(), checksum);
  auto line = [](const char* what, const Range& r, const char* unit) {
    std::printf("    %-24s mean %.3f  min %.3f  max %.3f %s\n", what, r.sum / r.n, r.lo, r.hi, unit);
  };
  line("contact time", contact, "s");
  line("flight time", flight, "s");
  line("peak vertical force", peak, "body weights");
  line("braking time", braking, "s");
  line("vertical oscillation", vo, "m");
}

}  // namespace

int main(int argc, char** argv) {
  double hours = 1.0;
  std::string write_dir;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--write" && i + 1 < argc) write_dir = argv[++i];
    else hours = std::atof(argv[i]);
  }
  if (!(hours > 0.0)) {
    std::fprintf(stderr, "usage: runner_simulation_bench [hours] [--write DIR]\n");
    return 2;
  }

  RunnerConfig defaults;  // pelvis 200 Hz, insoles 16 sensors at 100 Hz
  run("default (pelvis 200 Hz, 2 x 16-sensor insoles 100 Hz)", defaults, hours);

  RunnerConfig heavy;
  heavy.pelvis.rate_hz = 400.0;
  heavy.insoles.sensor_count = 24;
  heavy.insoles.rate_hz = 200.0;
  heavy.speed_source = stridefuse::sim::SpeedSource::stream;
  heavy.fatigue.pelvic_drop_deg_per_hour = 3.0;
  heavy.fatigue.foot_strike_distance_m_per_hour = 0.04;
  heavy.fatigue.cadence_spm_per_hour = -4.0;
  heavy.foot_strike_distance_asymmetry_pct = 8.0;
  run("heavy (pelvis 400 Hz, 2 x 24-sensor insoles 200 Hz, speed stream, fatigue drift, asymmetry)", heavy, hours);

  RunnerConfig forefoot;
  forefoot.strike_pattern = stridefuse::StrikePattern::forefoot;
  forefoot.speed_mps = 4.5;
  forefoot.cadence_spm = 180.0;
  forefoot.foot_strike_distance_m = 0.33;
  run("forefoot at 4.5 m/s, 180 spm, foot-strike distance 0.33 m", forefoot, std::min(hours, 0.1));

  if (!write_dir.empty()) {
    const auto start = std::chrono::steady_clock::now();
    const auto summary = stridefuse::sim::write_simulated_recording(defaults, hours * 3600.0, write_dir);
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("writing the recording files (%zu pelvis rows, %zu steps) to %s: %.2f s wall\n",
                summary.pelvis_samples, summary.steps, write_dir.c_str(), wall_s);
  }
  return 0;
}
