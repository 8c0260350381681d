// CPU cost of `stridefuse analyze` on a one-hour session (issue 3 item 8:
// at most 2 s on one core). Runs the same two steps the command runs,
// analyze_recording then write_analysis into a temporary directory, and prints
// the process CPU seconds (user + system, getrusage) of each and their total.
//
// Usage: analyze_hour_bench [DIR] [--speed MPS] [--out OUT]
//   DIR: files written by `stridefuse simulate` (pelvis.csv, left/right.csv and
//        layouts, speed.csv when present). Without DIR, one hour (seed 5) is
//        simulated into a temporary directory first; that time is not counted.
//   --speed: treadmill speed passed to the analysis (as `analyze --speed`);
//        when simulating, the simulated treadmill speed unless given.
//   --out: keep the outputs in OUT (else a temporary directory, removed), to
//        check that a faster build writes the same bytes (cmp against a
//        run of the previous build).

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "stridefuse/sim/recording_writer.hpp"
#include "stridefuse/sim/runner_config.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/runtime/recording_alignment.hpp"
#include "stridefuse/runtime/recording_files.hpp"

namespace {

namespace fs = std::filesystem;

constexpr double target_cpu_s = 2.0;

double process_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

fs::path fresh_temp_dir(const char* stem) {
  auto dir = fs::temp_directory_path() / (std::string(stem) + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

stridefuse::AnalysisInputs inputs_in(const fs::path& dir) {
  stridefuse::AnalysisInputs in;
  in.pelvis_csv = dir / "pelvis.csv";
  if (!fs::exists(in.pelvis_csv)) throw std::runtime_error(in.pelvis_csv.string() + ": not found");
  for (const char* side : {"left", "right"}) {
    const auto csv = dir / (std::string(side) + ".csv");
    const auto layout = dir / (std::string(side) + "_layout.json");
    if (!fs::exists(csv)) continue;
    (std::string(side) == "left" ? in.left_csv : in.right_csv) = csv;
    (std::string(side) == "left" ? in.left_layout : in.right_layout) = layout;
  }
  if (fs::exists(dir / "speed.csv")) in.speed_csv = dir / "speed.csv";
  return in;
}

}  // namespace

int main(int argc, char** argv) try {
  fs::path data_dir, kept_out_dir;
  std::optional<double> speed_mps;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--speed" && i + 1 < argc) {
      char* end = nullptr;
      speed_mps = std::strtod(argv[++i], &end);
      if (end == argv[i] || *end != '\0' || !(*speed_mps > 0.0)) {
        std::fprintf(stderr, "analyze_hour_bench: --speed wants a positive number of m/s, not '%s'\n", argv[i]);
        return 2;
      }
    } else if (arg == "--out" && i + 1 < argc) {
      kept_out_dir = argv[++i];
    } else if (!arg.empty() && arg[0] != '-' && data_dir.empty()) {
      data_dir = arg;
    } else {
      std::fprintf(stderr, "usage: analyze_hour_bench [DIR] [--speed MPS] [--out OUT]\n");
      return 2;
    }
  }

  fs::path simulated_dir;
  if (data_dir.empty()) {
    simulated_dir = fresh_temp_dir("analyze_hour_bench_input_");
    stridefuse::sim::RunnerConfig config;
    config.seed = 5;
    std::printf("simulating one hour (seed %llu) into %s ...\n", static_cast<unsigned long long>(config.seed),
                simulated_dir.c_str());
    std::fflush(stdout);
    stridefuse::sim::write_simulated_recording(config, 3600.0, simulated_dir);
    data_dir = simulated_dir;
    // As `analyze --speed` would be told the treadmill setting of the session.
    if (!speed_mps && config.speed_source == stridefuse::sim::SpeedSource::treadmill) speed_mps = config.speed_mps;
  }

  auto in = inputs_in(data_dir);
  if (speed_mps && !in.speed_csv) in.speed_mps = speed_mps;
  const auto out_dir = kept_out_dir.empty() ? fresh_temp_dir("analyze_hour_bench_output_") : kept_out_dir;

  // Where the time goes: reading and aligning again on their own (the
  // analysis below repeats them; the engine is what remains of it).
  const double r0 = process_cpu_s();
  std::vector<stridefuse::SensorRecording> recordings;
  recordings.push_back(stridefuse::read_pelvis_csv(in.pelvis_csv));
  if (in.left_csv) recordings.push_back(stridefuse::read_insole_csv(*in.left_csv, stridefuse::read_insole_layout(*in.left_layout)));
  if (in.right_csv)
    recordings.push_back(stridefuse::read_insole_csv(*in.right_csv, stridefuse::read_insole_layout(*in.right_layout)));
  const double r1 = process_cpu_s();
  std::vector<const stridefuse::SensorRecording*> insoles;
  for (std::size_t i = 1; i < recordings.size(); ++i) insoles.push_back(&recordings[i]);
  (void)stridefuse::align_insoles_to_pelvis(recordings.front(), insoles);
  const double r2 = process_cpu_s();
  recordings.clear();
  recordings.shrink_to_fit();

  const double t0 = process_cpu_s();
  const auto result = stridefuse::analyze_recording(in);
  const double t1 = process_cpu_s();
  stridefuse::write_analysis(result, in, out_dir);
  const double t2 = process_cpu_s();

  std::uintmax_t written_bytes = 0;
  for (const auto& e : fs::directory_iterator(out_dir)) written_bytes += e.file_size();
  if (kept_out_dir.empty()) fs::remove_all(out_dir);
  if (!simulated_dir.empty()) fs::remove_all(simulated_dir);

  const double duration_s = result.attitude.empty() ? 0.0 : result.attitude.back().t_s - result.attitude.front().t_s;
  std::printf("input: %s (%.0f s of pelvis data, %zu attitude rows, %zu steps, %zu events; %.1f MB written)\n",
              data_dir.c_str(), duration_s, result.attitude.size(), result.steps.size(), result.events.size(),
              static_cast<double>(written_bytes) / 1e6);
  std::printf("read + align + analyse: %.3f s CPU (of which reading the CSVs %.3f s, aligning the clocks %.3f s,\n"
              "                        merging and the engine the remaining %.3f s)\n",
              t1 - t0, r1 - r0, r2 - r1, (t1 - t0) - (r2 - r0));
  std::printf("write outputs:          %.3f s CPU\n", t2 - t1);
  std::printf("total:                  %.3f s CPU (target <= %.1f s for one hour: %s)\n", t2 - t0, target_cpu_s,
              t2 - t0 <= target_cpu_s ? "met" : "NOT met");
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "analyze_hour_bench: %s\n", e.what());
  return 1;
}
