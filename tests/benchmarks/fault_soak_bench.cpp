// Issue 12, item 6: the fault soak. A simulated run through the bridge
// emulator on its own clock and the live path in device time (bridge driver,
// device reader, clock sync, merge, engine: run_in_device_time), with each
// sensor's link lost for 2-10 s every 1-2 minutes, 5 % of frames lost (both
// ways), 1 byte in 10,000 to the host corrupted, the bridge unplugged and
// replugged once, a sensor's clock restarting once (a reboot), a sensor
// refusing its first connection. Prints the faults, the steps against the
// simulator's truth while the needed sensors were connected (target recall and
// precision >= 99.5 %), each link's return to the next step using it (target
// p95 <= 2 s), resident memory at 1, 10 and 30 minutes (target: no growth
// beyond 1 MB from 1 to 30 minutes) and crashes (0). Scoring: tests/support/fault_soak.hpp.
//
// Memory: the process also holds the emulated world (the runner simulation,
// which keeps the ground truth of every step, and the emulator). Its own
// growth is measured alone in a child process (this program with --world-only:
// the same runner, emulator and faults, read by no host) and printed beside
// the whole process's, and the session's growth is the difference.
//
//   fault_soak_bench [SECONDS=1800] [SEED=1]

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "../support/fault_soak.hpp"

namespace {

using namespace stridefuse;

std::vector<double> probe_times(double duration_s) {
  std::vector<double> at{60.0, 600.0, 1800.0};
  std::erase_if(at, [&](double t) { return t >= duration_s; });
  at.push_back(duration_s - 1.0);
  return at;
}

bridge::SoakFaults faults_of(double duration_s, std::uint64_t seed, std::size_t sensors) {
  bridge::SoakFaults f;
  f.duration_s = duration_s;
  f.sensors = sensors;
  f.seed = seed;
  f.damage.seed = seed;
  return f;
}

// The emulated world alone: runner, sensors, emulator and its faults, with no
// host reading the bridge (its sensors simulate and encode all the same).
int world_only(double duration_s, std::uint64_t seed) {
  sim::RunnerConfig runner;
  runner.seed = seed;
  auto sensors = std::make_unique<bridge::RunnerSensors>(runner);
  const auto count = sensors->simulation().streams().size();
  bridge::VirtualBridgeTransport world(bridge::BridgeEmulator(std::move(sensors)),
                                       bridge::soak_fault_plan(faults_of(duration_s, seed, count)));
  const auto at = probe_times(duration_s);
  std::size_t next = 0;
  std::vector<std::uint8_t> buffer(4096);
  while (world.last_arrival_s() < duration_s) {
    try {
      world.read(buffer, std::chrono::milliseconds(20));
    } catch (const TransportError&) {
      // unplugged: time goes on
    }
    while (next < at.size() && world.last_arrival_s() >= at[next])
      std::printf("world %.0f %ld\n", at[next++], soak::resident_kb());
  }
  return 0;
}

// Runs this program with --world-only and reads its (time, kB) lines.
std::vector<std::pair<double, long>> world_rss(const char* self, double duration_s, std::uint64_t seed) {
  const std::string command = std::string(self) + " --world-only " + std::to_string(duration_s) + " " + std::to_string(seed);
  std::vector<std::pair<double, long>> out;
  if (FILE* child = popen(command.c_str(), "r")) {
    double t = 0.0;
    long kb = 0;
    while (std::fscanf(child, "world %lf %ld\n", &t, &kb) == 2) out.emplace_back(t, kb);
    pclose(child);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--world-only") == 0)
    return world_only(std::atof(argv[2]), std::strtoull(argv[3], nullptr, 10));
  soak::SoakOptions options;
  options.duration_s = argc > 1 ? std::atof(argv[1]) : 1800.0;
  const auto seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1ull;
  if (options.duration_s < 60.0) {
    std::fprintf(stderr, "fault_soak_bench: at least 60 s\n");
    return 2;
  }
  options.faults = faults_of(options.duration_s, seed, 3);
  options.runner_seed = seed;
  options.rss_at_s = probe_times(options.duration_s);
  std::printf("fault soak: %.0f s of session time, seed %llu\n", options.duration_s,
              static_cast<unsigned long long>(seed));
  const auto r = soak::run_fault_soak(options);
  soak::print(r);
  const auto world = world_rss(argv[0], options.duration_s, seed);
  for (const auto& [t_s, kb] : world)
    std::printf("resident memory of the emulated world alone at %5.0f s: %ld kB\n", t_s, kb);

  const bool accurate = r.recall >= 0.995 && r.precision >= 0.995;
  const bool recovers = r.alone_p95_s <= 2.0, recovers_always = r.return_p95_s <= 2.0;
  const bool measured = r.rss_kb.size() >= 2 && world.size() == r.rss_kb.size();
  long growth_kb = 0, world_growth_kb = 0;
  if (measured) {
    growth_kb = r.rss_kb.back().second - r.rss_kb.front().second;
    world_growth_kb = world.back().second - world.front().second;
  }
  const long session_growth_kb = growth_kb - world_growth_kb;
  std::printf("memory growth from %.0f s to %.0f s: whole process %ld kB, emulated world alone %ld kB, session %ld kB\n",
              measured ? r.rss_kb.front().first : 0.0, measured ? r.rss_kb.back().first : 0.0, growth_kb,
              world_growth_kb, session_growth_kb);
  std::printf("targets: recall/precision >= 0.995 %s; return p95 <= 2 s: a link's own %s (%.2f s), over all returns "
              "%s (%.2f s); session memory growth <= 1024 kB %s; crashes 0 %s\n",
              accurate ? "met" : "MISSED", recovers ? "met" : "MISSED", r.alone_p95_s,
              recovers_always ? "met" : "MISSED", r.return_p95_s,
              measured && session_growth_kb <= 1024 ? "met" : "MISSED", r.crashes == 0 ? "met" : "MISSED");
  return 0;
}
