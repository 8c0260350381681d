// CPU and memory of `stridefuse analyze` on a one-hour session (issue 17: at
// most 1.0 s of CPU on one core, peak resident memory at most 64 MB). Runs
// what the command runs, analyze_to_directory, and prints the process CPU
// seconds (user + system, getrusage) of each stage and their total, and the
// process's peak resident memory (VmHWM) at its end.
//
// Then, to say where the CPU goes within the second pass, two runs apart
// (not in the figures above): the analysis with outputs discarded (merge +
// engine; the difference to the full second pass is formatting and writing
// attitude.csv and events.jsonl), and SampleMerger alone on samples shaped
// like the files' (same streams, counts, rates and channel counts).
//
// Usage: analyze_hour_bench [DIR] [--speed MPS] [--out OUT]
//   DIR: files written by `stridefuse simulate` (pelvis.csv, left/right.csv and
//        layouts, speed.csv when present). Without DIR, one hour (seed 5) is
//        simulated into a temporary directory first, by a child process:
//        neither its time nor its memory is counted.
//   --speed: treadmill speed passed to the analysis (as `analyze --speed`);
//        when simulating, the simulated treadmill speed unless given.
//   --out: keep the outputs in OUT (else a temporary directory, removed), to
//        check that a faster build writes the same bytes (cmp against a
//        run of the previous build).

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "stridefuse/core/sample_merger.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/sim/recording_writer.hpp"
#include "stridefuse/sim/runner_config.hpp"

namespace {

namespace fs = std::filesystem;

constexpr double target_cpu_s = 1.0;
constexpr double target_peak_mb = 64.0;

double process_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

// Peak resident set of this process so far, MB (VmHWM).
double peak_resident_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
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

// Simulates in a child process, so that the simulation's memory is not this process's peak.
void simulate_hour(const stridefuse::sim::RunnerConfig& config, const fs::path& dir) {
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (child == 0) {
    try {
      stridefuse::sim::write_simulated_recording(config, 3600.0, dir);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "analyze_hour_bench: simulating: %s\n", e.what());
      ::_exit(1);
    }
    ::_exit(0);
  }
  int status = 0;
  if (::waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("the simulation failed");
}

// Discards every output: the analysis's own cost without formatting or writing.
struct Discard : stridefuse::AnalysisSink {
  void attitude(const stridefuse::AttitudeEvent&) override {}
  void event(const stridefuse::Event&) override {}
};

// Process CPU when each stage began.
struct StageClock {
  std::map<stridefuse::AnalysisStage, double> began;
  stridefuse::AnalysisStageCallback callback() {
    return [this](stridefuse::AnalysisStage s) { began[s] = process_cpu_s(); };
  }
  double span(stridefuse::AnalysisStage from, stridefuse::AnalysisStage to) const { return began.at(to) - began.at(from); }
};

// A CSV's rows, columns and time span, for the merge-alone run.
struct FileShape {
  std::size_t rows = 0, channels = 0;
  double duration_s = 0.0;
};

FileShape shape_of(const fs::path& csv) {
  std::ifstream in(csv);
  std::string line, first, last;
  std::getline(in, line);
  FileShape s;
  for (char c : line) s.channels += c == ',';  // columns after t
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (s.rows++ == 0) first = line;
    last = std::move(line);
  }
  s.duration_s = std::strtod(last.c_str(), nullptr) - std::strtod(first.c_str(), nullptr);
  return s;
}

// SampleMerger alone, fed as the analysis feeds it (a slice of 50 ms at a time).
double merge_alone_cpu_s(const std::vector<FileShape>& files) {
  stridefuse::SampleMerger merger({.stream_count = files.size()});
  std::size_t released = 0;
  const stridefuse::SampleMerger::Callback count = [&](const stridefuse::Sample&, bool) { ++released; };
  double duration_s = 0.0;
  for (const auto& f : files) duration_s = std::max(duration_s, f.duration_s);
  std::vector<std::size_t> next(files.size(), 0);
  stridefuse::Sample sample;
  const double c0 = process_cpu_s();
  for (double horizon_s = 0.05;; horizon_s += 0.05) {
    bool more = false;
    for (std::size_t k = 0; k < files.size(); ++k) {
      const auto& f = files[k];
      const double period_s = f.duration_s / static_cast<double>(f.rows - 1);
      for (; next[k] < f.rows && static_cast<double>(next[k]) * period_s <= horizon_s; ++next[k]) {
        sample.stream = static_cast<std::uint16_t>(k);
        sample.t_s = static_cast<double>(next[k]) * period_s;
        sample.channel_count = static_cast<std::uint8_t>(f.channels);
        merger.push(sample);
      }
      more = more || next[k] < f.rows;
    }
    merger.release(horizon_s, count);
    if (!more) break;
  }
  merger.flush(count);
  return process_cpu_s() - c0;
}

const char* verdict(bool met) { return met ? "met" : "NOT met"; }

}  // namespace

int main(int argc, char** argv) try {
  using stridefuse::AnalysisStage;
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
    simulate_hour(config, simulated_dir);
    data_dir = simulated_dir;
    // As `analyze --speed` would be told the treadmill setting of the session.
    if (!speed_mps && config.speed_source == stridefuse::sim::SpeedSource::treadmill) speed_mps = config.speed_mps;
  }

  auto in = inputs_in(data_dir);
  if (speed_mps && !in.speed_csv) in.speed_mps = speed_mps;
  const auto out_dir = kept_out_dir.empty() ? fresh_temp_dir("analyze_hour_bench_output_") : kept_out_dir;

  StageClock full;
  const auto summary = stridefuse::analyze_to_directory(in, out_dir, {}, full.callback());
  const double peak_mb = peak_resident_mb();

  std::uintmax_t written_bytes = 0;
  for (const auto& e : fs::directory_iterator(out_dir)) written_bytes += e.file_size();
  if (kept_out_dir.empty()) fs::remove_all(out_dir);

  // Apart: the second pass without outputs, and the merge alone.
  StageClock bare;
  Discard discard;
  (void)stridefuse::analyze_streaming(in, discard, {}, bare.callback());
  bare.began[AnalysisStage::done] = process_cpu_s();
  std::vector<FileShape> shapes;
  for (const auto& f : {std::optional<fs::path>(in.pelvis_csv), in.left_csv, in.right_csv, in.speed_csv})
    if (f) shapes.push_back(shape_of(*f));
  const double merge_s = merge_alone_cpu_s(shapes);
  if (!simulated_dir.empty()) fs::remove_all(simulated_dir);

  const double read_s = full.span(AnalysisStage::reading, AnalysisStage::aligning);
  const double align_s = full.span(AnalysisStage::aligning, AnalysisStage::fusing);
  const double fuse_s = full.span(AnalysisStage::fusing, AnalysisStage::finishing);
  const double finish_s = full.span(AnalysisStage::finishing, AnalysisStage::done);
  const double total_s = full.span(AnalysisStage::reading, AnalysisStage::done);
  const double bare_fuse_s = bare.span(AnalysisStage::fusing, AnalysisStage::done);

  std::printf("input: %s (%.0f s of pelvis data, %llu attitude rows, %zu steps, %llu events; %.1f MB written)\n",
              data_dir.c_str(), summary.last_attitude_t_s - summary.first_attitude_t_s,
              static_cast<unsigned long long>(summary.attitude_rows), summary.steps.size(),
              static_cast<unsigned long long>(summary.events), static_cast<double>(written_bytes) / 1e6);
  std::printf("CPU, s (process user + system):\n");
  std::printf("  read:   parse and check the CSVs, temporary copy  %6.3f\n", read_s);
  std::printf("  align:  clock alignment                           %6.3f\n", align_s);
  std::printf("  fuse:   second pass, outputs as they come         %6.3f\n", fuse_s);
  std::printf("            merge + engine (outputs discarded)      %6.3f   (apart; SampleMerger alone %.3f)\n",
              bare_fuse_s, merge_s);
  std::printf("            formatting, writing attitude + events   %6.3f   (the difference)\n", fuse_s - bare_fuse_s);
  std::printf("  finish: steps.csv, report.html                    %6.3f\n", finish_s);
  std::printf("  total                                             %6.3f   (target <= %.1f s for one hour: %s)\n",
              total_s, target_cpu_s, verdict(total_s <= target_cpu_s));
  std::printf("peak resident memory: %.1f MB (target <= %.0f MB for one hour: %s)\n", peak_mb, target_peak_mb,
              verdict(peak_mb <= target_peak_mb));
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "analyze_hour_bench: %s\n", e.what());
  return 1;
}
